"""docs/engine.md "Customer contact" through the register: the due date kept on the customer row,
month ends and leap days, due soon, snoozes, and the yearly advisory meeting."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from fokus.core.contact import DueState
from fokus.customers.advisory import advisory_hold
from fokus.customers.selectors import advisory_due_customers, customers_due, due_of
from fokus.customers.services import customer_snooze, customer_update

pytestmark = pytest.mark.django_db


def _due_json(as_of: str | None = None) -> list[dict]:
    out = io.StringIO()
    args = ["customers", "due", "--json"] + (["--as-of", as_of] if as_of else [])
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("last_contact", "due"),
    [
        (dt.date(2026, 11, 30), dt.date(2027, 2, 28)),
        (dt.date(2027, 11, 30), dt.date(2028, 2, 29)),  # leap year
        (dt.date(2027, 11, 29), dt.date(2028, 2, 29)),
        (dt.date(2027, 8, 31), dt.date(2027, 11, 30)),
        (dt.date(2028, 2, 29), dt.date(2028, 5, 29)),
    ],
)
def test_a_logged_contact_moves_the_due_date_by_calendar_months_clamped_to_the_month_end(
    make_customer, log_contact, last_contact, due
):
    customer = make_customer(since=dt.date(2020, 1, 1))
    log_contact(customer, last_contact)

    customer.refresh_from_db()
    assert customer.last_contact_on == last_contact
    assert customer.contact_due_on == due


def test_last_contact_30_november_is_overdue_on_28_february_by_the_clock(
    org, make_customer, log_contact
):
    customer = make_customer(since=dt.date(2020, 1, 1))
    log_contact(customer, dt.date(2026, 11, 30), today=dt.date(2026, 11, 30))

    with time_machine.travel(dt.datetime(2027, 2, 27, 12, tzinfo=dt.UTC), tick=False):
        [day_before] = _due_json()
    with time_machine.travel(dt.datetime(2027, 2, 28, 12, tzinfo=dt.UTC), tick=False):
        [on_the_day] = _due_json()

    assert day_before["state"] == "due_soon" and day_before["days_overdue"] is None
    assert on_the_day == {
        "customer": {"id": customer.pk, "name": customer.name},
        "last_contact": "2026-11-30",
        "due": "2027-02-28",
        "state": "overdue",
        "days_overdue": 0,
        "snoozed_until": None,
    }


def test_last_contact_30_november_is_due_on_29_february_in_a_leap_year_by_the_clock(
    org, make_customer, log_contact
):
    customer = make_customer(since=dt.date(2020, 1, 1))
    log_contact(customer, dt.date(2027, 11, 30), today=dt.date(2027, 11, 30))

    with time_machine.travel(dt.datetime(2028, 2, 28, 23, 30, tzinfo=dt.UTC), tick=False):
        # 00:30 on 29 February in Copenhagen: the organisation's day has turned.
        [leap_day] = _due_json()
    with time_machine.travel(dt.datetime(2028, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        [march] = _due_json()

    assert (leap_day["due"], leap_day["state"], leap_day["days_overdue"]) == (
        "2028-02-29",
        "overdue",
        0,
    )
    assert march["days_overdue"] == 1


def test_a_customer_never_contacted_is_due_one_interval_after_customer_since(make_customer):
    customer = make_customer(since=dt.date(2027, 5, 31), interval_months=1)

    due = due_of(customer, dt.date(2027, 6, 30))

    assert (due.last_contact, due.due, due.state) == (
        dt.date(2027, 5, 31),
        dt.date(2027, 6, 30),
        DueState.overdue,
    )


def test_due_soon_starts_14_days_before_the_due_date(make_customer):
    customer = make_customer(since=dt.date(2027, 1, 1))  # due 1 April 2027

    listed = {
        day: [d.state for _, d in customers_due(organisation=customer.organisation, as_of=day)]
        for day in (dt.date(2027, 3, 17), dt.date(2027, 3, 18), dt.date(2027, 4, 1))
    }

    assert listed == {
        dt.date(2027, 3, 17): [],
        dt.date(2027, 3, 18): [DueState.due_soon],
        dt.date(2027, 4, 1): [DueState.overdue],
    }


def test_an_older_contact_logged_late_does_not_move_the_last_contact_back(
    make_customer, log_contact
):
    customer = make_customer(since=dt.date(2026, 1, 1))
    log_contact(customer, dt.date(2027, 5, 1))
    log_contact(customer, dt.date(2027, 3, 1))

    customer.refresh_from_db()
    assert customer.last_contact_on == dt.date(2027, 5, 1)
    assert customer.contact_due_on == dt.date(2027, 8, 1)


def test_changing_the_interval_or_the_start_moves_the_due_date(make_customer):
    customer = make_customer(since=dt.date(2027, 1, 31))
    assert customer.contact_due_on == dt.date(2027, 4, 30)

    customer_update(customer=customer, interval_months=1, today=dt.date(2027, 6, 30))
    assert customer.contact_due_on == dt.date(2027, 2, 28)
    customer_update(customer=customer, since=dt.date(2027, 3, 31), today=dt.date(2027, 6, 30))
    assert customer.contact_due_on == dt.date(2027, 4, 30)


def test_the_interval_defaults_to_the_organisations(org, make_customer):
    org.default_contact_interval = 2
    org.save()

    customer = make_customer(since=dt.date(2026, 12, 31))

    assert customer.contact_interval_months == 2
    assert customer.contact_due_on == dt.date(2027, 2, 28)


def test_prospects_and_former_customers_are_never_due(make_customer):
    make_customer(name="Prospekt", status="prospect", since=dt.date(2020, 1, 1))
    make_customer(name="Tidligere", status="former", since=dt.date(2020, 1, 1))
    active = make_customer(name="Aktiv", since=dt.date(2020, 1, 1))

    due = customers_due(organisation=active.organisation, as_of=dt.date(2027, 6, 30))

    assert [c.name for c, _ in due] == ["Aktiv"]


def test_a_snoozed_customer_is_listed_with_the_date_but_not_alerted_before_it(make_customer):
    customer = make_customer(since=dt.date(2020, 1, 1))
    customer_snooze(
        customer=customer,
        until=dt.date(2027, 7, 15),
        reason="Ferie til midten af juli",
        today=dt.date(2027, 6, 30),
    )

    [(_, during)] = customers_due(organisation=customer.organisation, as_of=dt.date(2027, 7, 14))
    [(_, after)] = customers_due(organisation=customer.organisation, as_of=dt.date(2027, 7, 15))

    assert during.state == DueState.overdue and during.alert is False
    assert during.snoozed_until == dt.date(2027, 7, 15)
    assert after.alert is True


def test_the_due_list_is_ordered_by_due_date(org, make_customer):
    make_customer(name="Senere", since=dt.date(2027, 3, 1))
    make_customer(name="Først", since=dt.date(2027, 1, 1))

    due = customers_due(organisation=org, as_of=dt.date(2027, 6, 30))

    assert [(c.name, str(d.due)) for c, d in due] == [
        ("Først", "2027-04-01"),
        ("Senere", "2027-06-01"),
    ]


# The yearly advisory meeting.


def test_the_advisory_meeting_is_due_12_months_after_customer_since_and_offered_30_days_before(
    make_customer,
):
    customer = make_customer(since=dt.date(2027, 2, 28))
    org = customer.organisation

    def state(day: dt.date) -> list[str]:
        return [str(d.state) for _, d in advisory_due_customers(organisation=org, as_of=day)]

    assert customer.advisory_due_on == dt.date(2028, 2, 28)
    assert state(dt.date(2028, 1, 28)) == []
    assert state(dt.date(2028, 1, 29)) == ["offer"]
    assert state(dt.date(2028, 2, 28)) == ["due"]


def test_a_held_meeting_on_a_leap_day_makes_the_next_due_on_28_february(make_customer):
    customer = make_customer(since=dt.date(2027, 1, 1))
    advisory_hold(
        customer=customer, date=dt.date(2028, 2, 29), today=dt.date(2028, 2, 29), now=timezone.now()
    )

    customer.refresh_from_db()
    [(_, due)] = advisory_due_customers(
        organisation=customer.organisation, as_of=dt.date(2029, 2, 28)
    )
    assert (due.base, due.due, due.offer_from) == (
        dt.date(2028, 2, 29),
        dt.date(2029, 2, 28),
        dt.date(2029, 1, 29),
    )
