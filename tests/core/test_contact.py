"""Customer contact due dates and the yearly advisory meeting."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from fokus.core import (
    AdvisoryState,
    CoreError,
    DueState,
    add_months,
    advisory_due,
    contact_due,
)

PROPERTY = settings(database=None, deadline=None)


def test_30_november_plus_three_months_clamps_to_28_february():
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_30_november_plus_three_months_clamps_to_29_february_in_a_leap_year():
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


def test_a_leap_day_plus_twelve_months_is_28_february():
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)


def test_a_contact_is_due_three_months_after_the_customer_started_when_never_contacted():
    due = contact_due(since=date(2026, 11, 30), last_contact=None, as_of=date(2027, 1, 1))
    assert due.last_contact == date(2026, 11, 30)
    assert due.due == date(2027, 2, 28)
    assert due.state is DueState.ok
    assert due.days_overdue is None
    assert due.alert is False


def test_the_latest_logged_contact_replaces_the_customer_since_date():
    due = contact_due(
        since=date(2020, 1, 1), last_contact=date(2027, 11, 30), as_of=date(2028, 1, 1)
    )
    assert due.due == date(2028, 2, 29)


def test_the_interval_may_be_set_per_customer():
    due = contact_due(
        since=date(2027, 1, 31), last_contact=None, interval_months=1, as_of=date(2027, 1, 31)
    )
    assert due.due == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("as_of", "state", "days_overdue"),
    [
        (date(2027, 2, 13), DueState.ok, None),  # 15 days before
        (date(2027, 2, 14), DueState.due_soon, None),  # exactly 14 days before
        (date(2027, 2, 27), DueState.due_soon, None),
        (date(2027, 2, 28), DueState.overdue, 0),  # due today
        (date(2027, 3, 10), DueState.overdue, 10),
    ],
)
def test_due_soon_starts_14_days_before_and_overdue_on_the_due_date(as_of, state, days_overdue):
    due = contact_due(since=date(2026, 11, 30), last_contact=None, as_of=as_of)
    assert due.state is state
    assert due.days_overdue == days_overdue
    assert due.alert is (state is not DueState.ok)


def test_a_snoozed_customer_is_not_alerted_before_the_snooze_ends():
    kwargs = {"since": date(2026, 11, 30), "last_contact": None}
    snooze = date(2027, 3, 15)
    before = contact_due(**kwargs, as_of=date(2027, 3, 14), snoozed_until=snooze)
    assert before.state is DueState.overdue
    assert before.snoozed_until == snooze
    assert before.alert is False
    on_the_day = contact_due(**kwargs, as_of=snooze, snoozed_until=snooze)
    assert on_the_day.alert is True


def test_a_snooze_in_the_past_does_not_silence_an_alert():
    due = contact_due(
        since=date(2026, 11, 30),
        last_contact=None,
        as_of=date(2027, 3, 1),
        snoozed_until=date(2027, 1, 1),
    )
    assert due.alert is True


@pytest.mark.parametrize("interval", [0, -3, True, 1.5])
def test_the_contact_interval_must_be_a_whole_number_of_months(interval):
    with pytest.raises(CoreError) as caught:
        contact_due(
            since=date(2027, 1, 1), last_contact=None, interval_months=interval, as_of=date.today()
        )
    assert caught.value.field == "interval_months"


@pytest.mark.parametrize(
    ("as_of", "state"),
    [
        (date(2028, 1, 28), AdvisoryState.not_yet),
        (date(2028, 1, 29), AdvisoryState.offer),  # due 2028-02-28 - 30 days
        (date(2028, 2, 27), AdvisoryState.offer),
        (date(2028, 2, 28), AdvisoryState.due),
        (date(2029, 6, 1), AdvisoryState.due),
    ],
)
def test_the_advisory_meeting_is_offered_30_days_before_it_is_due(as_of, state):
    advisory = advisory_due(since=date(2020, 5, 5), last_held=date(2027, 2, 28), as_of=as_of)
    assert advisory.base == date(2027, 2, 28)
    assert advisory.due == date(2028, 2, 28)
    assert advisory.offer_from == date(2028, 1, 29)
    assert advisory.state is state


def test_the_advisory_meeting_counts_from_the_customer_since_date_when_never_held():
    advisory = advisory_due(since=date(2028, 2, 29), last_held=None, as_of=date(2029, 1, 1))
    assert advisory.base == date(2028, 2, 29)
    assert advisory.due == date(2029, 2, 28)
    assert advisory.offer_from == date(2029, 1, 29)
    assert advisory.state is AdvisoryState.not_yet
    assert advisory.state == "not_yet"


def test_the_core_reads_no_clock_so_travelling_to_a_leap_day_changes_nothing():
    args = {"since": date(2027, 11, 30), "last_contact": None, "as_of": date(2028, 2, 1)}
    expected = contact_due(**args)
    with time_machine.travel(date(2028, 2, 29), tick=False):
        assert contact_due(**args) == expected


# --- properties --------------------------------------------------------------------------

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@PROPERTY
@given(day=days, months=st.integers(0, 120))
def test_adding_months_lands_in_the_right_month_with_the_day_clamped(day, months):
    result = add_months(day, months)
    index = day.year * 12 + day.month - 1 + months
    assert (result.year, result.month) == (index // 12, index % 12 + 1)
    assert result.day == min(day.day, calendar.monthrange(result.year, result.month)[1])


@PROPERTY
@given(since=days, offset=st.integers(-100, 400), interval=st.integers(1, 24))
def test_the_due_state_follows_the_distance_to_the_due_date(since, offset, interval):
    as_of = since + timedelta(days=offset)
    due = contact_due(since=since, last_contact=None, interval_months=interval, as_of=as_of)
    gap = (due.due - as_of).days
    expected = DueState.overdue if gap <= 0 else DueState.due_soon if gap <= 14 else DueState.ok
    assert due.state is expected
    assert due.days_overdue == (-gap if gap <= 0 else None)
