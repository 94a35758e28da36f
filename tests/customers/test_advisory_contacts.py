"""docs/engine.md's advisory rule through every edge: a logged contact of kind advisory is the
yearly advisory meeting held on its date (base = the latest held meeting, due 12 months
later), and a declined meeting moves neither but keeps the advisory alert quiet until the
day the next cycle would start."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone, translation

from fokus.alerts.models import Alert, AlertKind, AlertState, Resolution
from fokus.customers.advisory import advisory_book, advisory_decline, advisory_hold, advisory_offer
from fokus.customers.derived import derived_kpi_set
from fokus.customers.models import AdvisoryMeeting, Contact, Customer
from fokus.customers.selectors import advisory_due_customers
from fokus.customers.services import customer_create
from fokus.kpis.models import CheckIn
from tests.helpers import TODAY

pytestmark = pytest.mark.django_db


def fokus(*args: str) -> str:
    out = io.StringIO()
    with override_settings(LANGUAGE_CODE="en"), translation.override("en"):
        call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def advisory_alerts(state: str | None = None) -> list[Alert]:
    alerts = Alert.objects.filter(kind=AlertKind.ADVISORY_DUE).order_by("id")
    return list(alerts.filter(state=state) if state else alerts)


def advisory_due_names(as_of: str) -> list[tuple[str, str]]:
    org = Customer.objects.get().organisation
    day = dt.date.fromisoformat(as_of)
    return [(c.name, str(d.state)) for c, d in advisory_due_customers(organisation=org, as_of=day)]


# A logged advisory contact is a held meeting.


def test_the_cli_logs_an_advisory_contact_as_the_held_meeting(org, today):
    """The audit's example: since 30 Nov 2025, advisory contact on 27 Feb 2026."""
    fokus("customers", "add", "C1", "--since", "2025-11-30")

    logged = json.loads(
        fokus("contact", "C1", "--date", "2026-02-27", "--kind", "advisory", "--json")
    )

    customer = Customer.objects.get()
    assert (logged["customer"], logged["kind"], logged["date"]) == (
        customer.pk,
        "advisory",
        "2026-02-27",
    )
    assert (customer.advisory_base_on, customer.advisory_due_on) == (
        dt.date(2026, 2, 27),
        dt.date(2027, 2, 27),
    )
    meeting = AdvisoryMeeting.objects.get()
    assert (meeting.status, meeting.held_on) == ("held", dt.date(2026, 2, 27))
    assert Contact.objects.count() == 1
    assert advisory_due_names("2026-11-01") == []  # not yet due nor to be offered
    fokus("alerts", "run", "--as-of", "2026-11-01", "--no-deliver")
    assert advisory_alerts() == []
    assert advisory_due_names("2027-01-28") == [("C1", "offer")]
    assert advisory_due_names("2027-02-27") == [("C1", "due")]


def test_the_api_logs_an_advisory_contact_as_the_held_meeting(alice_api, make_customer):
    customer = make_customer(name="C1", since=dt.date(2025, 11, 30))

    response = alice_api.post(
        f"/customers/{customer.pk}/contacts",
        {"date": "2026-02-27", "kind": "advisory", "note": "Budget"},
    )

    assert response.status_code == 201
    read = alice_api.get(f"/customers/{customer.pk}").json()
    assert (read["advisory_due"], read["contact_due"]) == ("2027-02-27", "2026-05-27")
    meeting = AdvisoryMeeting.objects.get()
    assert (meeting.status, meeting.held_on, meeting.outcome) == (
        "held",
        dt.date(2026, 2, 27),
        "Budget",
    )


def test_a_booked_meeting_of_the_cycle_becomes_the_held_one(alice_api, make_customer):
    customer = make_customer(since=dt.date(2026, 6, 15))  # due 15 June 2027
    booked = advisory_book(customer=customer, date=dt.date(2027, 6, 20), now=timezone.now())

    response = alice_api.post(
        f"/customers/{customer.pk}/contacts", {"date": "2027-06-22", "kind": "advisory"}
    )

    assert response.status_code == 201
    meeting = AdvisoryMeeting.objects.get()
    assert meeting.pk == booked.pk
    assert (meeting.status, meeting.held_on, meeting.due_on) == (
        "held",
        dt.date(2027, 6, 22),
        dt.date(2027, 6, 15),
    )
    assert alice_api.get(f"/customers/{customer.pk}").json()["advisory_due"] == "2028-06-22"


def test_an_older_advisory_contact_never_moves_the_base_backwards(org, today, make_customer):
    customer = make_customer(name="C1", since=dt.date(2025, 11, 30))
    text = fokus("contact", "C1", "--date", "2026-02-27", "--kind", "advisory")
    assert "advisory meeting is recorded as held; the next one is due 2027-02-27" in text

    fokus("contact", "C1", "--date", "2025-12-15", "--kind", "advisory")
    fokus("contact", "C1", "--date", "2026-02-27", "--kind", "advisory")

    customer.refresh_from_db()
    assert (customer.advisory_base_on, customer.advisory_due_on) == (
        dt.date(2026, 2, 27),
        dt.date(2027, 2, 27),
    )
    assert customer.last_contact_on == dt.date(2026, 2, 27)
    # Both meetings are on record, the one of 27 February once.
    held = AdvisoryMeeting.objects.filter(status="held").order_by("held_on")
    assert list(held.values_list("held_on", flat=True)) == [
        dt.date(2025, 12, 15),
        dt.date(2026, 2, 27),
    ]
    assert Contact.objects.count() == 3


def test_the_contact_form_logs_an_advisory_meeting(alice_client, make_customer):
    customer = make_customer(since=dt.date(2026, 6, 15))

    response = alice_client.post(
        f"/customers/{customer.pk}/contact/", {"date": "2027-06-29", "kind": "advisory"}
    )

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.advisory_due_on == dt.date(2028, 6, 29)
    assert AdvisoryMeeting.objects.get().status == "held"
    page = alice_client.get(f"/customers/{customer.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Advisory meeting held" in page.content.decode()


def test_holding_the_meeting_logs_one_contact_and_one_meeting(make_customer):
    customer = make_customer(since=dt.date(2026, 6, 15))
    offered = advisory_offer(customer=customer, date=dt.date(2027, 6, 1), now=timezone.now())

    held = advisory_hold(
        customer=customer,
        date=dt.date(2027, 6, 10),
        outcome=" Løn ",
        now=timezone.now(),
        today=TODAY,
    )

    assert held.pk == offered.pk and held.outcome == "Løn"
    assert list(Contact.objects.values_list("kind", "note")) == [("advisory", "Løn")]
    assert AdvisoryMeeting.objects.count() == 1


def test_an_advisory_contact_counts_in_the_advisory_meetings_kpi(org, make_kpi, log_contact):
    kpi = derived_kpi_set(
        kpi=make_kpi(name="Rådgivningsmøder"), kind="advisory_meetings", today=dt.date(2027, 6, 30)
    )
    customer = customer_create(organisation=org, name="C1", since=dt.date(2026, 1, 1), today=TODAY)

    log_contact(customer, dt.date(2027, 5, 3), kind="advisory")

    assert list(CheckIn.objects.filter(kpi=kpi).values_list("date", "value")) == [
        (dt.date(2027, 5, 3), 1)
    ]


def test_an_open_advisory_alert_resolves_once_the_meeting_is_logged(
    alice_api, make_customer, django_capture_on_commit_callbacks
):
    customer = make_customer(since=dt.date(2026, 6, 15))  # due 15 June 2027
    fokus("alerts", "run", "--as-of", "2027-06-30", "--no-deliver")
    [alert] = advisory_alerts(AlertState.OPEN)
    # A call is not the advisory meeting: the alert stays.
    with django_capture_on_commit_callbacks(execute=True):
        alice_api.post(f"/customers/{customer.pk}/contacts", {"date": "2027-06-30"})
    assert advisory_alerts(AlertState.OPEN) == [alert]

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_api.post(
            f"/customers/{customer.pk}/contacts", {"date": "2027-06-30", "kind": "advisory"}
        )

    assert response.status_code == 201
    alert.refresh_from_db()
    assert (alert.state, alert.resolution) == (AlertState.RESOLVED, Resolution.CLEARED)
    fokus("alerts", "run", "--as-of", "2027-06-30", "--no-deliver")
    assert advisory_alerts(AlertState.OPEN) == []


def test_the_scan_resolves_the_advisory_alert_after_a_logged_meeting(org, today, make_customer):
    make_customer(name="C1", since=dt.date(2026, 6, 15))
    fokus("alerts", "run", "--as-of", "2027-06-30", "--no-deliver")
    [alert] = advisory_alerts(AlertState.OPEN)

    fokus("contact", "C1", "--date", "2027-06-29", "--kind", "advisory")
    fokus("alerts", "run", "--as-of", "2027-07-01", "--no-deliver")

    alert.refresh_from_db()
    assert alert.state == AlertState.RESOLVED


# A declined meeting.


def test_a_declined_meeting_keeps_the_due_date_and_quiets_the_alert_for_a_year(
    alice_client, alice_api, make_customer, django_capture_on_commit_callbacks
):
    customer = make_customer(name="C1", since=dt.date(2026, 6, 15))  # due 15 June 2027
    fokus("alerts", "run", "--as-of", "2027-06-30", "--no-deliver")
    [alert] = advisory_alerts(AlertState.OPEN)

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            f"/customers/{customer.pk}/advisory/decline/",
            {"date": "2027-06-29", "outcome": "Har ikke tid i år"},
        )

    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.state == AlertState.RESOLVED
    read = alice_api.get(f"/customers/{customer.pk}").json()
    assert read["advisory_due"] == "2027-06-15"  # docs/engine.md: a decline is no base
    for as_of in ("2027-07-01", "2028-06-14"):
        fokus("alerts", "run", "--as-of", as_of, "--no-deliver")
        assert advisory_alerts(AlertState.OPEN) == [], as_of
    fokus("alerts", "run", "--as-of", "2028-06-15", "--no-deliver")
    [again] = advisory_alerts(AlertState.OPEN)
    assert (again.episode, again.data["due"], again.data["state"]) == (2, "2027-06-15", "due")


def test_the_customer_page_shows_the_declined_meeting(alice_client, make_customer):
    customer = make_customer(since=dt.date(2026, 6, 15))
    alice_client.post(
        f"/customers/{customer.pk}/advisory/decline/", {"date": "2027-06-29", "outcome": "Nej tak"}
    )

    english = alice_client.get(f"/customers/{customer.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    danish = alice_client.get(f"/customers/{customer.pk}/", HTTP_ACCEPT_LANGUAGE="da")

    content = english.content.decode()
    assert "Declined (29 Jun 2027); not offered again before 15 Jun 2028" in content
    assert "Advisory meeting declined" in content and "Nej tak" in content
    assert "tilbydes ikke igen før" in danish.content.decode()


def test_declining_again_next_year_quiets_the_alert_one_more_year(make_customer):
    customer = make_customer(since=dt.date(2026, 6, 15))
    advisory_decline(customer=customer, date=dt.date(2027, 6, 1), now=timezone.now())
    assert advisory_due_names("2028-06-15") == [(customer.name, "due")]

    again = advisory_decline(customer=customer, date=dt.date(2028, 6, 16), now=timezone.now())

    customer.refresh_from_db()
    assert again.due_on == dt.date(2028, 6, 15)
    assert customer.advisory_due_on == dt.date(2027, 6, 15)
    assert customer.advisory_snoozed_until == dt.date(2029, 6, 15)
    assert advisory_due_names("2029-06-14") == []
    assert advisory_due_names("2029-06-15") == [(customer.name, "due")]


def test_a_meeting_held_after_a_decline_starts_the_cycle_and_ends_the_quiet(
    org, today, make_customer
):
    customer = make_customer(name="C1", since=dt.date(2026, 6, 15))
    advisory_decline(customer=customer, date=dt.date(2027, 6, 1), now=timezone.now())

    fokus("contact", "C1", "--date", "2027-09-01", "--kind", "advisory")

    customer.refresh_from_db()
    assert (customer.advisory_base_on, customer.advisory_due_on) == (
        dt.date(2027, 9, 1),
        dt.date(2028, 9, 1),
    )
    assert customer.advisory_snoozed_until is None
    assert advisory_due_names("2028-08-02") == [("C1", "offer")]
    assert sorted(AdvisoryMeeting.objects.values_list("status", flat=True)) == [
        "declined",
        "held",
    ]
