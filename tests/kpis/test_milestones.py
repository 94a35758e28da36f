from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fokus.kpis.milestones import split_linearly


def test_a_year_is_split_into_k1_to_k3_sub_goals_with_equal_steps():
    assert split_linearly(
        dt.date(2027, 1, 1), dt.date(2027, 12, 31), Decimal(0), Decimal(1_000_000)
    ) == [
        (dt.date(2027, 3, 31), Decimal(250_000)),
        (dt.date(2027, 6, 30), Decimal(500_000)),
        (dt.date(2027, 9, 30), Decimal(750_000)),
    ]


def test_a_quarter_is_split_into_months_and_a_decrease_steps_down():
    milestones = split_linearly(dt.date(2027, 4, 1), dt.date(2027, 6, 30), Decimal(20), Decimal(2))

    assert milestones == [(dt.date(2027, 4, 30), Decimal(14)), (dt.date(2027, 5, 31), Decimal(8))]


def test_a_short_period_gets_no_default_sub_goals():
    assert split_linearly(dt.date(2027, 4, 1), dt.date(2027, 4, 30), Decimal(0), Decimal(5)) == []
