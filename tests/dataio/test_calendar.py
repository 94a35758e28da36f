"""The secret calendar feed, parsed back with the icalendar library."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from icalendar import Calendar

from fokus.accounts.models import Membership
from fokus.customers import advisory
from fokus.customers.services import contact_log, customer_create
from fokus.dataio.models import CalendarFeed
from tests.helpers import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers(org, alice, bob, today):
    d = dt.date
    due = customer_create(
        organisation=org, name="Bageriet", since=d(2026, 1, 1), owner=alice, today=today
    )
    contact_log(customer=due, date=d(2027, 4, 10), today=today, now=timezone.now())
    booked = customer_create(
        organisation=org, name="Cykelsmeden", since=d(2026, 7, 20), today=today
    )
    advisory.advisory_book(customer=booked, date=d(2027, 7, 22), now=timezone.now())
    customer_create(
        organisation=org, name="Bobs kunde", since=d(2027, 5, 1), owner=bob, today=today
    )
    return due, booked


def _feed_url(client):
    page = client.post("/data/calendar/", {"action": "create"}).content.decode()
    return re.search(r'value="(http[^"]+\.ics)"', page).group(1)


def test_the_feed_has_contacts_due_and_advisory_meetings_each_linking_to_the_customer(
    client, alice, customers, today
):
    due, booked = customers
    client.force_login(alice)
    url = _feed_url(client)
    client.logout()

    response = client.get(url.split("testserver")[-1])

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = {str(e["summary"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    contact = next(
        e
        for s, e in events.items()
        if "Bageriet" in s and "dvisory" not in s and "ådgivning" not in s
    )
    assert contact["dtstart"].dt == dt.date(2027, 7, 10)
    assert str(contact["url"]).endswith(f"/customers/{due.pk}/")
    meeting = next(
        e
        for s, e in events.items()
        if "Cykelsmeden" in s and e["dtstart"].dt == dt.date(2027, 7, 22)
    )
    assert str(meeting["url"]).endswith(f"/customers/{booked.pk}/")
    assert not any("Bobs kunde" in s for s in events)
    assert len({str(e["uid"]) for e in events.values()}) == len(events)


def test_a_stopped_feed_is_gone(alice_client, customers, today):
    path = _feed_url(alice_client).split("testserver")[-1]

    alice_client.post("/data/calendar/", {"action": "revoke"})

    assert alice_client.get(path).status_code == 404
    assert CalendarFeed.objects.get().revoked_at == NOW


def test_a_new_address_stops_the_old_one(alice_client, customers, today):
    old = _feed_url(alice_client).split("testserver")[-1]
    new = _feed_url(alice_client).split("testserver")[-1]

    assert alice_client.get(old).status_code == 404
    assert alice_client.get(new).status_code == 200


def test_the_feed_stops_when_its_user_leaves_the_organisation(bob_client, bob, customers, today):
    path = _feed_url(bob_client).split("testserver")[-1]
    Membership.objects.filter(user=bob).delete()

    assert bob_client.get(path).status_code == 404


def test_a_guessed_address_is_not_found(client, db):
    assert client.get("/data/calendar/cal_guess.ics").status_code == 404


def _events(client, alice):
    client.force_login(alice)
    path = _feed_url(client).split("testserver")[-1]
    client.logout()
    return list(Calendar.from_ical(client.get(path).content).walk("VEVENT"))


def test_a_declined_customer_is_offered_the_next_meeting_when_its_quiet_period_ends(
    client, alice, org, today
):
    """The declined cycle's due date lies in the past; the feed shows the next offer on
    ``advisory_snoozed_until`` (the day the next cycle starts and the alert comes back)."""
    declined = customer_create(
        organisation=org, name="Tømreren", since=dt.date(2026, 3, 1), today=today
    )  # advisory meeting due 1 March 2027, four months ago
    advisory.advisory_decline(
        customer=declined, date=dt.date(2027, 3, 5), note="Ikke i år", now=timezone.now()
    )
    declined.refresh_from_db()
    assert declined.advisory_snoozed_until == dt.date(2028, 3, 1)

    advisory_events = [e for e in _events(client, alice) if "Tømreren" in str(e["summary"])]
    advisory_events = [e for e in advisory_events if e["dtstart"].dt != declined.contact_due_on]

    [offer] = advisory_events
    assert offer["dtstart"].dt == dt.date(2028, 3, 1)
    assert str(offer["url"]).endswith(f"/customers/{declined.pk}/")
    assert str(offer["uid"]) == f"advisory-due-{declined.pk}-2028-03-01@fokus"


def test_a_recently_declined_customer_moves_from_its_due_date_to_the_next_offer(
    client, alice, org, today
):
    declined = customer_create(
        organisation=org, name="Maleren", since=dt.date(2026, 6, 20), today=today
    )  # due 20 June 2027: ten days ago, still inside the feed's window
    waiting = customer_create(
        organisation=org, name="Muremesteren", since=dt.date(2026, 6, 20), today=today
    )
    advisory.advisory_decline(customer=declined, date=dt.date(2027, 6, 25), now=timezone.now())

    days = {
        str(e["summary"]): e["dtstart"].dt
        for e in _events(client, alice)
        if str(e["uid"]).startswith("advisory-due-")
    }

    assert [day for summary, day in days.items() if "Maleren" in summary] == [dt.date(2028, 6, 20)]
    assert [day for summary, day in days.items() if waiting.name in summary] == [
        dt.date(2027, 6, 20)
    ]
