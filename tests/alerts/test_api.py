"""GET /api/v1/alerts, POST /api/v1/alerts/{id}/ack and /snooze."""

from __future__ import annotations

import datetime as dt

import pytest

from fokus.alerts.models import Alert, AlertState
from fokus.alerts.services import alerts_sync

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 6, 30)
NOW = dt.datetime(2027, 6, 30, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def alert(org, overdue_customer):
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    return Alert.objects.get()


def auth(user, organisation):
    from fokus.accounts.services import token_create

    _token, raw = token_create(user=user, organisation=organisation)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_api_lists_the_open_alerts(client, org, alice, alert, overdue_customer):
    response = client.get("/api/v1/alerts", **auth(alice, org))

    assert response.status_code == 200
    [item] = response.json()
    assert item["id"] == alert.pk and item["kind"] == "customer_overdue"
    assert item["state"] == "open" and item["episode"] == 1
    assert item["customer"] == {"id": overdue_customer.pk, "name": "Bageriet Østerbro"}
    assert item["title"] == "No contact with Bageriet Østerbro: due 1 April 2027"
    assert item["snoozed_until"] is None


def test_acknowledge_through_the_api(client, org, bob, alert):
    response = client.post(f"/api/v1/alerts/{alert.pk}/ack", **auth(bob, org))

    assert response.status_code == 200
    assert response.json()["state"] == "acknowledged"
    assert response.json()["acknowledged_by"] == "bob@example.com"


def test_snooze_through_the_api_hides_it_from_the_default_list(client, org, alice, alert):
    headers = auth(alice, org)
    response = client.post(
        f"/api/v1/alerts/{alert.pk}/snooze",
        {"until": "2027-07-07", "reason": "Ferie"},
        content_type="application/json",
        **headers,
    )

    assert response.status_code == 200
    assert response.json()["snoozed_until"] == "2027-07-07"
    assert client.get("/api/v1/alerts", **headers).json() == []
    snoozed = client.get("/api/v1/alerts?include_snoozed=true", **headers).json()
    assert [a["snooze_reason"] for a in snoozed] == ["Ferie"]


def test_a_bad_snooze_is_a_problem_with_the_field(client, org, alice, alert):
    response = client.post(
        f"/api/v1/alerts/{alert.pk}/snooze",
        {"until": "2027-06-01", "reason": "Ferie"},
        content_type="application/json",
        **auth(alice, org),
    )

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "until"
    assert Alert.objects.get().snoozed_until is None


def test_a_viewer_cannot_acknowledge_through_the_api(client, org, vera, alert):
    response = client.post(f"/api/v1/alerts/{alert.pk}/ack", **auth(vera, org))

    assert response.status_code == 403
    assert Alert.objects.get().state == AlertState.OPEN


def test_an_outsider_gets_404(client, other_org, charlie, alert):
    headers = auth(charlie, other_org)

    assert client.get("/api/v1/alerts", **headers).json() == []
    assert client.post(f"/api/v1/alerts/{alert.pk}/ack", **headers).status_code == 404
    assert Alert.objects.get().state == AlertState.OPEN


def test_resolved_alerts_are_listed_on_request(client, org, alice, alert, bob):
    from fokus.alerts.services import alert_log_contact

    alert_log_contact(alert=alert, user=bob, date=TODAY, now=NOW)
    headers = auth(alice, org)

    assert client.get("/api/v1/alerts", **headers).json() == []
    [resolved] = client.get("/api/v1/alerts?state=resolved", **headers).json()
    assert resolved["resolution"] == "contact_logged"
    conflict = client.post(f"/api/v1/alerts/{alert.pk}/ack", **headers)
    assert conflict.status_code == 409
