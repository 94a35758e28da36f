"""Fixtures of the web tests: a logged-in client, KPIs with check-ins, and Chromium."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

# "Today" of the server-side tests: the middle of the KPIs' default year.
TODAY = dt.datetime(2027, 6, 30, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def today(time_machine):
    """Freeze the clock on 30 June 2027 (the organisation's today)."""
    time_machine.move_to(TODAY, tick=False)
    return TODAY.date()


@pytest.fixture
def alice_client(client, alice, today):
    """alice logged in on ``today`` (the session must not start before the time travel)."""
    client.force_login(alice)
    return client


@pytest.fixture
def check_in():
    """Record check-ins ``{date: value}`` on a KPI through the service."""
    from fokus.kpis.services import checkin_record

    def record(kpi, values: dict[dt.date, int | str]):
        for date, value in values.items():
            checkin_record(kpi=kpi, date=date, value=Decimal(value))
        return kpi

    return record


@pytest.fixture
def on_track_kpi(make_kpi, check_in):
    """10 new customers in 2027, 6 of them won by the end of June: on track."""
    kpi = make_kpi(
        name="Nye kunder",
        focus=True,
        milestones=[(dt.date(2027, 3, 31), Decimal(2)), (dt.date(2027, 6, 30), Decimal(5))],
    )
    return check_in(kpi, {dt.date(2027, 2, 10): 1, dt.date(2027, 4, 2): 2, dt.date(2027, 6, 20): 3})
