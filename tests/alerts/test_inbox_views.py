"""The inbox page and its actions: acknowledge, snooze, log contact (htmx or plain POST),
the open count for the navigation, and who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fokus.alerts.context_processors import open_alerts
from fokus.alerts.models import Alert, AlertState
from fokus.alerts.services import alerts_sync
from tests.helpers import NOW, TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


@pytest.fixture
def alert(org, overdue_customer):
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    return Alert.objects.get()


def test_the_inbox_requires_login(client):
    response = client.get("/alerts/")
    assert response.status_code == 302 and "/login/" in response.url


def test_the_inbox_lists_the_open_alerts_in_words(alice_client, alert):
    response = alice_client.get("/alerts/", HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert response.status_code == 200
    assert "No contact with Bageriet Østerbro: due 1 April 2027" in content
    assert "90 days overdue" in content
    assert f'hx-post="/alerts/{alert.pk}/ack/"' in content
    assert f'href="/customers/{alert.customer_id}/"' in content
    assert "Log contact" in content


def _inbox_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/alerts/")
    assert response.status_code == 200
    return len(queries)


def test_the_inbox_runs_the_same_number_of_queries_for_3_and_30_alerts(
    alice_client, org, make_customer, make_kpi
):
    for n in range(3):
        make_customer(name=f"Kunde {n}")
    make_kpi(name="Opkald", cadence="weekly")
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    few = _inbox_queries(alice_client)
    for n in range(3, 30):
        make_customer(name=f"Kunde {n}")
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    Alert.objects.filter(pk__in=Alert.objects.order_by("id").values("pk")[:5]).update(
        state=AlertState.ACKNOWLEDGED
    )

    assert Alert.objects.count() == 31
    assert _inbox_queries(alice_client) == few
    assert few <= 10


def test_the_navigation_count_is_the_open_alerts_not_snoozed(rf, org, alice, make_customer):
    for n in range(3):
        make_customer(name=f"Kunde {n}")
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    first, second, _third = Alert.objects.order_by("id")
    Alert.objects.filter(pk=first.pk).update(state=AlertState.ACKNOWLEDGED)
    Alert.objects.filter(pk=second.pk).update(snoozed_until=dt.date(2027, 7, 1))
    request = rf.get("/")
    request.organisation, request.today = org, TODAY

    count = open_alerts(request)["open_alert_count"]
    with CaptureQueriesContext(connection) as queries:
        assert count() == 1
        assert count() == 1
    assert len(queries) == 1


def test_acknowledging_by_htmx_returns_the_inbox_with_the_alert_moved(alice_client, alert):
    response = alice_client.post(
        f"/alerts/{alert.pk}/ack/", HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"
    )

    content = response.content.decode()
    assert response.status_code == 200 and content.startswith('<div id="inbox"')
    assert "hx-swap-oob" in content
    assert "No open alerts" in content and "Acknowledged" in content
    assert Alert.objects.get().state == AlertState.ACKNOWLEDGED


def test_snoozing_hides_the_alert_until_the_date(alice_client, alert, time_machine):
    response = alice_client.post(
        f"/alerts/{alert.pk}/snooze/", {"until": "2027-07-07", "reason": "Ferie"}
    )
    assert response.status_code == 302 and response.url == "/alerts/"

    # The inbox's state filter names "Snoozed" too: the section is what comes and goes.
    content = alice_client.get("/alerts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No open alerts" in content and 'id="snoozed-heading"' in content
    assert "Ferie" in content

    time_machine.move_to(dt.datetime(2027, 7, 7, 8, 0, tzinfo=dt.UTC), tick=False)
    content = alice_client.get("/alerts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No open alerts" not in content and 'id="snoozed-heading"' not in content


def test_snoozing_a_customers_alert_in_the_inbox_snoozes_the_customer(
    alice_client, alert, overdue_customer
):
    alice_client.post(f"/alerts/{alert.pk}/snooze/", {"until": "2027-07-07", "reason": "Ferie"})

    overdue_customer.refresh_from_db()
    assert (overdue_customer.snoozed_until, overdue_customer.snooze_reason) == (
        dt.date(2027, 7, 7),
        "Ferie",
    )
    page = alice_client.get(f"/customers/{overdue_customer.pk}/").content.decode()
    assert "Ferie" in page


def test_snoozing_on_the_customers_page_snoozes_its_alert_in_the_inbox(
    alice_client, alert, overdue_customer
):
    alice_client.post(
        f"/customers/{overdue_customer.pk}/snooze/", {"until": "2027-07-07", "reason": "Ferie"}
    )

    alert.refresh_from_db()
    assert (alert.snoozed_until, alert.snooze_reason) == (dt.date(2027, 7, 7), "Ferie")
    content = alice_client.get("/alerts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No open alerts" in content and 'id="snoozed-heading"' in content

    alice_client.post(f"/customers/{overdue_customer.pk}/unsnooze/")

    alert.refresh_from_db()
    assert (alert.snoozed_until, alert.snooze_reason) == (None, "")


def test_a_bad_snooze_shows_the_reason_at_the_alert_and_saves_nothing(alice_client, alert):
    response = alice_client.post(
        f"/alerts/{alert.pk}/snooze/",
        {"until": "2027-06-01", "reason": "Ferie"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "Snooze until a date after today" in response.content.decode()
    assert Alert.objects.get().snoozed_until is None


def test_logging_a_contact_from_the_inbox_resolves_the_alert(alice_client, alert, overdue_customer):
    response = alice_client.post(
        f"/alerts/{alert.pk}/contact/", {"kind": "meeting", "note": "Kaffe"}, follow=True
    )

    assert response.status_code == 200
    assert Alert.objects.get().state == AlertState.RESOLVED
    [contact] = overdue_customer.contacts.all()
    assert (contact.kind, contact.note, contact.date) == ("meeting", "Kaffe", TODAY)


def test_a_viewer_sees_the_inbox_but_cannot_act(vera_client, alert):
    content = vera_client.get("/alerts/").content.decode()
    assert "Bageriet Østerbro" in content and "/ack/" not in content
    assert vera_client.post(f"/alerts/{alert.pk}/ack/").status_code == 403
    assert (
        vera_client.post(f"/alerts/{alert.pk}/snooze/", {"until": "2027-07-07"}).status_code == 403
    )
    assert vera_client.post(f"/alerts/{alert.pk}/contact/", {"kind": "call"}).status_code == 403
    assert Alert.objects.get().state == AlertState.OPEN


def test_an_outsider_gets_404_for_another_organisations_alert(charlie_client, alert):
    assert "Bageriet" not in charlie_client.get("/alerts/").content.decode()
    assert charlie_client.post(f"/alerts/{alert.pk}/ack/").status_code == 404
    assert charlie_client.post(f"/alerts/{alert.pk}/contact/", {"kind": "call"}).status_code == 404
    assert Alert.objects.get().state == AlertState.OPEN


def test_actions_need_post(alice_client, alert):
    assert alice_client.get(f"/alerts/{alert.pk}/ack/").status_code == 405
