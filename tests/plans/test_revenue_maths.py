"""The revenue maths the planner adds: the "why stop at 2 months?" table and the windows
of the register reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fokus.core.revenue import first_year_revenue, last_12_months, recent_start, retention_table


def test_why_stop_at_2_months_table_for_15_customers_at_10000():
    table = retention_table([None] * 15, Decimal(10_000))
    assert table == [
        (2, Decimal(300_000)),
        (3, Decimal(450_000)),
        (6, Decimal(900_000)),
        (12, Decimal(1_800_000)),
    ]


def test_the_last_12_months_end_today_and_start_the_day_after_a_year_ago():
    assert last_12_months(dt.date(2027, 6, 30)) == (dt.date(2026, 7, 1), dt.date(2027, 6, 30))
    assert last_12_months(dt.date(2028, 2, 29)) == (dt.date(2027, 3, 1), dt.date(2028, 2, 29))


def test_first_year_revenue_counts_the_year_from_the_start_up_to_today():
    entries = [
        (dt.date(2025, 12, 31), Decimal(999)),  # before the start
        (dt.date(2026, 1, 1), Decimal(100)),
        (dt.date(2026, 12, 31), Decimal(200)),
        (dt.date(2027, 1, 1), Decimal(400)),  # the second year
    ]
    assert first_year_revenue(dt.date(2026, 1, 1), entries, dt.date(2027, 6, 30)) == 300
    assert first_year_revenue(dt.date(2026, 1, 1), entries, dt.date(2026, 6, 30)) == 100


def test_a_recent_start_is_within_the_last_24_months_and_not_in_the_future():
    today = dt.date(2027, 6, 30)
    assert recent_start(dt.date(2025, 6, 30), today)
    assert not recent_start(dt.date(2025, 6, 29), today)
    assert not recent_start(dt.date(2027, 7, 1), today)
