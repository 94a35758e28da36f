"""The secret calendar feed, parsed back with the icalendar library."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from icalendar import Calendar

from fokus.dataio.models import CalendarFeed

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers(org, alice, bob, today):
    from fokus.customers import advisory
    from fokus.customers.services import contact_log, customer_create

    d = dt.date
    due = customer_create(
        organisation=org, name="Bageriet", since=d(2026, 1, 1), owner=alice, today=today
    )
    contact_log(customer=due, date=d(2027, 4, 10), today=today)
    booked = customer_create(
        organisation=org, name="Cykelsmeden", since=d(2026, 7, 20), today=today
    )
    advisory.advisory_book(customer=booked, date=d(2027, 7, 22))
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


def test_a_stopped_feed_is_gone(client, alice, customers, today):
    client.force_login(alice)
    path = _feed_url(client).split("testserver")[-1]

    client.post("/data/calendar/", {"action": "revoke"})

    assert client.get(path).status_code == 404
    assert CalendarFeed.objects.get().revoked_at is not None


def test_a_new_address_stops_the_old_one(client, alice, customers, today):
    client.force_login(alice)
    old = _feed_url(client).split("testserver")[-1]
    new = _feed_url(client).split("testserver")[-1]

    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_the_feed_stops_when_its_user_leaves_the_organisation(client, bob, customers, today):
    from fokus.accounts.models import Membership

    client.force_login(bob)
    path = _feed_url(client).split("testserver")[-1]
    Membership.objects.filter(user=bob).delete()

    assert client.get(path).status_code == 404


def test_a_guessed_address_is_not_found(client, db):
    assert client.get("/data/calendar/cal_guess.ics").status_code == 404
