"""GET /api/v1/alerts, POST /api/v1/alerts/{id}/ack and /snooze."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from fokus.accounts.services import token_create
from fokus.alerts.models import Alert, AlertKind, AlertState, Resolution
from fokus.alerts.selectors import alert_get
from fokus.alerts.services import alert_log_contact, alerts_sync
from fokus.alerts.shapes import alert_to_dict
from tests.helpers import NOW, TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


@pytest.fixture
def alert(org, overdue_customer):
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    return Alert.objects.get()


def auth(user, organisation):
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
    alert_log_contact(alert=alert, user=bob, date=TODAY, now=NOW)
    headers = auth(alice, org)

    assert client.get("/api/v1/alerts", **headers).json() == []
    [resolved] = client.get("/api/v1/alerts?state=resolved", **headers).json()
    assert resolved["resolution"] == "contact_logged"
    conflict = client.post(f"/api/v1/alerts/{alert.pk}/ack", **headers)
    assert conflict.status_code == 409


def _json(client, method, path, headers, body=None):
    if body is None:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(path, body, content_type="application/json", **headers)


def test_snoozing_a_not_contacted_alert_snoozes_the_customer_until_that_date(
    client, org, alice, alert, overdue_customer, time_machine
):
    """POST /alerts/{id}/snooze on a customer's alert is the customer's snooze: the due
    list and the customer say so, and no alert comes back before that date."""
    headers = auth(alice, org)
    pk = overdue_customer.pk

    snoozed = _json(
        client,
        "post",
        f"/api/v1/alerts/{alert.pk}/snooze",
        headers,
        {"until": "2027-07-20", "reason": "ferie"},
    )

    assert snoozed.status_code == 200
    [due] = _json(client, "get", "/api/v1/customers/due", headers).json()
    assert (due["customer"]["id"], due["state"], due["snoozed_until"]) == (
        pk,
        "overdue",
        "2027-07-20",
    )
    customer = _json(client, "get", f"/api/v1/customers/{pk}", headers).json()
    assert (customer["snoozed_until"], customer["snooze_reason"]) == ("2027-07-20", "ferie")

    for day in (TODAY, dt.date(2027, 7, 19)):  # the scan keeps quiet until then
        result = alerts_sync(organisation=org, today=day, now=NOW)
        assert (result.raised, result.resolved) == ([], [])
    assert _json(client, "get", "/api/v1/alerts", headers).json() == []

    time_machine.move_to(dt.datetime(2027, 7, 20, 8, 0, tzinfo=dt.UTC), tick=False)
    result = alerts_sync(organisation=org, today=dt.date(2027, 7, 20), now=NOW)
    assert (result.raised, result.resolved) == ([], [])
    [again] = _json(client, "get", "/api/v1/alerts", headers).json()
    assert (again["id"], again["state"]) == (alert.pk, "open")
    assert Alert.objects.count() == 1


def test_unsnoozing_the_customer_over_the_api_brings_its_alert_back(
    client, org, alice, alert, overdue_customer
):
    headers = auth(alice, org)
    path = f"/api/v1/customers/{overdue_customer.pk}"
    _json(client, "patch", path, headers, {"snoozed_until": "2027-07-20", "snooze_reason": "ferie"})
    assert _json(client, "get", "/api/v1/alerts", headers).json() == []

    woken = _json(client, "patch", path, headers, {"snoozed_until": None})

    assert woken.status_code == 200
    assert (woken.json()["snoozed_until"], woken.json()["snooze_reason"]) == (None, "")
    [item] = _json(client, "get", "/api/v1/alerts", headers).json()
    assert (item["id"], item["snoozed_until"], item["snooze_reason"]) == (alert.pk, None, None)


def test_a_reason_too_long_for_the_customer_snoozes_nothing(
    client, org, alice, alert, overdue_customer
):
    response = _json(
        client,
        "post",
        f"/api/v1/alerts/{alert.pk}/snooze",
        auth(alice, org),
        {"until": "2027-07-20", "reason": "x" * 201},
    )

    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("reason", "text_too_long")
    ]
    overdue_customer.refresh_from_db()
    assert overdue_customer.snoozed_until is None
    assert Alert.objects.get().snoozed_until is None


def test_snoozing_an_alert_about_a_kpi_leaves_the_customers_alone(
    client, org, alice, make_customer, make_kpi
):
    customer = make_customer(name="Ikke berørt")
    kpi = make_kpi(name="Nye kunder")
    other = Alert.objects.create(
        organisation=org,
        kind=AlertKind.KPI_OFF_TRACK,
        subject_key=f"kpi:{kpi.pk}",
        kpi=kpi,
        data={"name": kpi.name},
        raised_on=TODAY,
        raised_at=NOW,
    )

    response = _json(
        client,
        "post",
        f"/api/v1/alerts/{other.pk}/snooze",
        auth(alice, org),
        {"until": "2027-07-20", "reason": "x" * 300},  # an alert's reason may be longer
    )

    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.snoozed_until is None


def test_the_schema_describes_the_alert_answers(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths, components = schema["paths"], schema["components"]["schemas"]

    listed = paths["/api/v1/alerts"]["get"]["responses"]["200"]["content"]["application/json"]
    assert listed["schema"]["items"] == {"$ref": "#/components/schemas/AlertOut"}
    for action in ("ack", "snooze"):
        answer = paths[f"/api/v1/alerts/{{alert_id}}/{action}"]["post"]["responses"]
        assert answer["200"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/AlertOut"
        }
        assert "409" in answer
    alert = components["AlertOut"]["properties"]
    assert alert["kind"]["enum"] == list(AlertKind.values)
    assert alert["state"]["enum"] == list(AlertState.values)
    assert alert["resolution"]["anyOf"][0]["enum"] == list(Resolution.values)


def test_the_api_answers_the_alert_json_unchanged(client, org, alice, alert):
    """The schema only describes the answer: the fields and their order are
    ``alert_to_dict``'s, as the CLI prints them."""
    response = client.get("/api/v1/alerts", **auth(alice, org))

    expected = [alert_to_dict(alert_get(organisation=org, pk=alert.pk))]
    assert json.loads(response.content) == expected
    assert list(response.json()[0]) == list(expected[0])
