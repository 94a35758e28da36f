"""The contact rules the register runs on, checked against docs/engine.md's pure functions:
the scan's shortcut (the due date kept on the row) agrees with the engine for any dates,
and the monitor rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from fokus.core.contact import (
    MonitorState,
    add_months,
    contact_due,
    contact_state,
    monitor_state,
)

PROPERTY = settings(database=None, deadline=None, max_examples=300)
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))


@PROPERTY
@given(
    since=days,
    last=st.none() | days,
    interval=st.integers(min_value=1, max_value=120),
    offset=st.integers(min_value=-400, max_value=400),
    snoozed=st.none() | st.integers(min_value=-30, max_value=30),
)
def test_the_stored_due_date_gives_the_engines_state_for_any_dates(
    since, last, interval, offset, snoozed
):
    base = last or since
    as_of = base + dt.timedelta(days=offset)
    snoozed_until = None if snoozed is None else as_of + dt.timedelta(days=snoozed)

    engine = contact_due(
        since=since,
        last_contact=last,
        interval_months=interval,
        as_of=as_of,
        snoozed_until=snoozed_until,
    )
    stored = contact_state(
        last_contact=base,
        due=add_months(base, interval),
        as_of=as_of,
        snoozed_until=snoozed_until,
    )

    assert stored == engine


@PROPERTY
@given(
    value=st.decimals(min_value=-1000, max_value=1000, places=2),
    lower=st.none() | st.decimals(min_value=-1000, max_value=0, places=2),
    upper=st.none() | st.decimals(min_value=0, max_value=1000, places=2),
    age=st.integers(min_value=0, max_value=60),
    cadence=st.integers(min_value=1, max_value=30),
)
def test_a_monitor_is_stale_past_its_cadence_else_breached_outside_its_limits(
    value, lower, upper, age, cadence
):
    as_of = dt.date(2027, 6, 30)
    state = monitor_state(
        latest_value=value,
        latest_date=as_of - dt.timedelta(days=age),
        watching_since=dt.date(2027, 1, 1),
        lower=lower,
        upper=upper,
        cadence_days=cadence,
        as_of=as_of,
    )

    outside = (lower is not None and value < lower) or (upper is not None and value > upper)
    if age > cadence:
        assert state == MonitorState.stale
    else:
        assert state == (MonitorState.breached if outside else MonitorState.ok)


def test_a_monitor_without_readings_counts_from_when_watching_began():
    def state(as_of: dt.date) -> MonitorState:
        return monitor_state(
            latest_value=None,
            latest_date=None,
            watching_since=dt.date(2027, 6, 1),
            lower=Decimal(1),
            upper=None,
            cadence_days=7,
            as_of=as_of,
        )

    assert state(dt.date(2027, 6, 8)) == MonitorState.ok
    assert state(dt.date(2027, 6, 9)) == MonitorState.stale
