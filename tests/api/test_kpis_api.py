from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fokus.accounts.models import Membership
from fokus.accounts.services import token_create, token_revoke
from fokus.customers.services import customer_create
from fokus.kpis.models import KpiChange
from fokus.kpis.services import checkin_record
from tests.helpers import NOW, TODAY

pytestmark = pytest.mark.django_db

KPI_FIELDS = {
    "id",
    "slug",
    "name",
    "description",
    "category",
    "unit",
    "unit_label",
    "direction",
    "measure",
    "start",
    "end",
    "baseline",
    "target",
    "interval",
    "interval_target",
    "milestones",
    "cadence",
    "focus",
    "customer",
    "evaluation",
}
EVALUATION_FIELDS = {
    "as_of",
    "actual",
    "plan",
    "target",
    "baseline",
    "progress",
    "expected_progress",
    "pace",
    "forecast",
    "forecast_progress",
    "status",
    "intervals",
}


def test_creating_a_kpi_returns_it_with_the_interface_fields_and_its_evaluation(alice_api, today):
    response = alice_api.post(
        "/kpis",
        {
            "name": "Nye kunder",
            "period": "2027",
            "target": 10,
            "milestones": [{"date": "2027-03-31", "value": 2}, {"date": "2027-06-30", "value": 5}],
            "focus": True,
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == KPI_FIELDS
    assert set(body["evaluation"]) == EVALUATION_FIELDS
    assert body["slug"] == "nye-kunder"
    assert (body["start"], body["end"], body["target"]) == ("2027-01-01", "2027-12-31", 10)
    assert body["milestones"] == [
        {"date": "2027-03-31", "value": 2},
        {"date": "2027-06-30", "value": 5},
    ]
    assert body["evaluation"]["status"] == "no_data"
    assert body["evaluation"]["as_of"] == "2027-06-30"


def test_a_kpi_without_a_period_is_refused_as_problem_json(alice_api, today):
    response = alice_api.post("/kpis", {"name": "Uden periode", "target": 10})

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 422
    assert body["errors"][0]["field"] == "period"


def test_a_kpi_with_a_bad_target_lists_the_field(alice_api, today):
    response = alice_api.post(
        "/kpis", {"name": "Fald", "period": "2027", "target": 5, "baseline": 10}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "direction_mismatch"


def test_listing_kpis_of_a_period_evaluates_each_as_of_the_given_date(alice_api, make_kpi, today):
    make_kpi(name="Hele året")
    make_kpi(name="Kun K3", start=dt.date(2027, 7, 1), end=dt.date(2027, 9, 30))

    everything = alice_api.get("/kpis").json()
    second_quarter = alice_api.get("/kpis", period="2027-K2", as_of="2027-05-01").json()

    assert {k["name"] for k in everything} == {"Hele året", "Kun K3"}
    assert [k["name"] for k in second_quarter] == ["Hele året"]
    assert second_quarter[0]["evaluation"]["as_of"] == "2027-05-01"


def test_a_bad_period_is_a_422(alice_api, today):
    response = alice_api.get("/kpis", period="sommer")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_reading_a_kpi_by_id_or_slug_as_of_a_date(alice_api, make_kpi, today):
    kpi = make_kpi(name="Nye kunder")
    checkin_record(kpi=kpi, date=dt.date(2027, 2, 1), value=Decimal(3))

    by_id = alice_api.get(f"/kpis/{kpi.pk}", as_of="2027-03-01").json()
    by_slug = alice_api.get("/kpis/nye-kunder", as_of="2027-01-15").json()

    assert by_id["evaluation"]["actual"] == 3
    assert by_slug["evaluation"]["actual"] == 0
    assert by_slug["id"] == kpi.pk


def test_another_organisations_kpi_is_not_found(alice_api, charlie_api, make_kpi, other_org, today):
    theirs = make_kpi(organisation=other_org, name="Hemmelig")

    for response in (
        alice_api.get(f"/kpis/{theirs.pk}"),
        alice_api.patch(f"/kpis/{theirs.pk}", {"target": 20}),
        alice_api.delete(f"/kpis/{theirs.pk}"),
        alice_api.get(f"/kpis/{theirs.pk}/checkins"),
        alice_api.post(f"/kpis/{theirs.pk}/checkins", {"value": 1}),
    ):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
    assert charlie_api.get(f"/kpis/{theirs.pk}").status_code == 200


def test_changing_a_kpis_target_records_the_change(alice_api, alice, make_kpi, today):
    kpi = make_kpi(name="Nye kunder")

    response = alice_api.patch(f"/kpis/{kpi.pk}", {"target": 12, "focus": True})

    assert response.status_code == 200, response.content
    assert response.json()["target"] == 12
    assert response.json()["focus"] is True
    change = KpiChange.objects.get(kpi=kpi, field="target")
    assert (change.old, change.new, change.user) == ("10", "12", alice)


def test_a_change_that_breaks_the_definition_is_refused_and_nothing_is_saved(
    alice_api, make_kpi, today
):
    kpi = make_kpi(name="Nye kunder")

    response = alice_api.patch(f"/kpis/{kpi.pk}", {"target": 0})
    null_name = alice_api.patch(f"/kpis/{kpi.pk}", {"name": None})

    assert response.status_code == 422
    assert null_name.status_code == 422
    kpi.refresh_from_db()
    assert kpi.target == 10


def test_deleting_a_kpi_archives_it(alice_api, make_kpi, today):
    kpi = make_kpi(name="Nye kunder")

    response = alice_api.delete(f"/kpis/{kpi.pk}")

    assert response.status_code == 204
    kpi.refresh_from_db()
    assert kpi.archived_at == NOW
    assert alice_api.get(f"/kpis/{kpi.pk}").status_code == 404
    assert alice_api.get("/kpis").json() == []


def test_a_viewer_reads_but_may_not_write(vera_api, make_kpi, today):
    kpi = make_kpi(name="Nye kunder")

    assert vera_api.get(f"/kpis/{kpi.pk}").status_code == 200
    for response in (
        vera_api.post("/kpis", {"name": "X", "period": "2027", "target": 1}),
        vera_api.patch(f"/kpis/{kpi.pk}", {"target": 20}),
        vera_api.delete(f"/kpis/{kpi.pk}"),
        vera_api.post(f"/kpis/{kpi.pk}/checkins", {"value": 1}),
        vera_api.post("/checkins/bulk", {"checkins": []}),
    ):
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"


def test_requests_without_a_valid_token_are_401_problems(anonymous_api, client, today):
    assert anonymous_api.get("/kpis").status_code == 401
    response = client.get("/api/v1/kpis", HTTP_AUTHORIZATION="Bearer fok_wrong")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response["Content-Type"] == "application/problem+json"


def test_a_revoked_token_no_longer_works(client, alice, org, today):
    token, raw = token_create(user=alice, organisation=org)
    assert client.get("/api/v1/kpis", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200

    token_revoke(token=token, now=timezone.now())

    assert client.get("/api/v1/kpis", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_token_of_someone_who_left_the_organisation_no_longer_works(client, bob, org, today):
    _token, raw = token_create(user=bob, organisation=org)
    Membership.objects.filter(user=bob).delete()

    assert client.get("/api/v1/kpis", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_kpi_cannot_point_at_another_organisations_customer(alice_api, other_org, today):
    theirs = customer_create(
        organisation=other_org,
        name="Fremmed",
        since=dt.date(2026, 1, 1),
        today=TODAY,
    )

    response = alice_api.post(
        "/kpis", {"name": "Overvågning", "period": "2027", "target": 5, "customer": theirs.pk}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "customer"


def test_a_kpi_read_can_be_sent_back_as_it_is(alice_api, make_kpi, today):
    """null where a field is unset (here the cadence) is taken back as the same."""
    kpi = make_kpi()
    read = alice_api.get(f"/kpis/{kpi.pk}").json()
    assert read["cadence"] is None
    body = {k: v for k, v in read.items() if k not in {"id", "slug", "evaluation"}}

    patched = alice_api.patch(f"/kpis/{kpi.pk}", body)
    created = alice_api.post("/kpis", {**body, "name": "Kopi"})

    assert patched.status_code == 200, patched.json()
    assert created.status_code == 201, created.json()
    assert created.json()["cadence"] is None


def test_a_kpi_moves_to_another_period_by_its_name(alice_api, make_kpi, today):
    kpi = make_kpi()

    moved = alice_api.patch(f"/kpis/{kpi.pk}", {"period": "2028-K2"})
    both = alice_api.patch(f"/kpis/{kpi.pk}", {"period": "2028", "start": "2028-01-01"})

    assert (moved.json()["start"], moved.json()["end"]) == ("2028-04-01", "2028-06-30")
    assert both.status_code == 422


def test_a_target_per_interval_without_an_interval_is_refused_not_dropped(alice_api, today):
    body = {"name": "Salg", "period": "2027", "target": 12, "interval_target": 1}

    response = alice_api.post("/kpis", body)

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["code"], error["message"]) == (
        "interval",
        "interval_target_needs_interval",
        "Et mål pr. interval kræver et interval: uge, måned eller kvartal.",
    )


def test_sending_a_kpis_own_target_again_records_no_change(alice_api, make_kpi, today):
    kpi = make_kpi()
    target = alice_api.get(f"/kpis/{kpi.pk}").json()["target"]

    alice_api.patch(f"/kpis/{kpi.pk}", {"target": target})

    assert not KpiChange.objects.filter(kpi=kpi).exists()
