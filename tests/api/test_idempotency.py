from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from fokus.accounts.services import token_create
from fokus.api.idempotency import idempotency_purge
from fokus.api.models import IdempotencyKey
from fokus.kpis.models import CheckIn

pytestmark = pytest.mark.django_db


def _bulk(kpi, n=3, value=1):
    return {
        "checkins": [
            {"kpi": kpi.pk, "date": "2027-03-01", "value": value, "note": f"{i}"} for i in range(n)
        ]
    }


def test_the_same_key_and_body_gets_the_same_response_without_a_second_write(
    alice_api, make_kpi, today
):
    kpi = make_kpi()
    key = {"Idempotency-Key": "import-2027-03-01"}

    first = alice_api.post("/checkins/bulk", _bulk(kpi), headers=key)
    again = alice_api.post("/checkins/bulk", _bulk(kpi), headers=key)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert CheckIn.objects.count() == 3


def test_the_same_key_with_another_body_is_refused(alice_api, make_kpi, today):
    kpi = make_kpi()
    key = {"Idempotency-Key": "k1"}
    alice_api.post("/checkins/bulk", _bulk(kpi), headers=key)

    response = alice_api.post("/checkins/bulk", _bulk(kpi, value=2), headers=key)

    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "idempotency_key_reused"
    assert CheckIn.objects.count() == 3


def test_without_a_key_the_same_body_is_stored_again(alice_api, make_kpi, today):
    kpi = make_kpi()

    alice_api.post("/checkins/bulk", _bulk(kpi))
    alice_api.post("/checkins/bulk", _bulk(kpi))

    assert CheckIn.objects.count() == 6


def test_keys_are_per_organisation(alice_api, charlie_api, make_kpi, other_org, today):
    ours, theirs = make_kpi(), make_kpi(organisation=other_org)
    key = {"Idempotency-Key": "same"}

    alice_api.post("/checkins/bulk", _bulk(ours), headers=key)
    response = charlie_api.post("/checkins/bulk", _bulk(theirs), headers=key)

    assert response.status_code == 201
    assert CheckIn.objects.filter(kpi=theirs).count() == 3


def test_a_failed_request_keeps_no_key(alice_api, make_kpi, today):
    kpi = make_kpi()
    bad = {"checkins": [{"kpi": kpi.pk, "date": "2027-03-01", "value": 1, "note": "a\x00"}]}
    key = {"Idempotency-Key": "k2"}

    assert alice_api.post("/checkins/bulk", bad, headers=key).status_code == 422
    assert alice_api.post("/checkins/bulk", _bulk(kpi), headers=key).status_code == 201


def test_a_key_is_forgotten_after_24_hours(alice_api, make_kpi, today, time_machine):
    kpi = make_kpi()
    key = {"Idempotency-Key": "k3"}
    alice_api.post("/checkins/bulk", _bulk(kpi), headers=key)

    time_machine.shift(dt.timedelta(hours=24, seconds=1))
    response = alice_api.post("/checkins/bulk", _bulk(kpi, value=2), headers=key)

    assert response.status_code == 201
    assert CheckIn.objects.count() == 6
    assert IdempotencyKey.objects.count() == 1


def test_purging_forgets_only_old_keys(alice_api, make_kpi, today):
    kpi = make_kpi()
    alice_api.post("/checkins/bulk", _bulk(kpi), headers={"Idempotency-Key": "old"})

    assert idempotency_purge(now=timezone.now()) == 0
    assert idempotency_purge(now=timezone.now() + dt.timedelta(hours=25)) == 1


def test_single_checkins_and_kpis_accept_a_key_too(alice_api, make_kpi, today):
    kpi = make_kpi()
    key = {"Idempotency-Key": "one"}

    first = alice_api.post(f"/kpis/{kpi.pk}/checkins", {"value": 1}, headers=key)
    again = alice_api.post(f"/kpis/{kpi.pk}/checkins", {"value": 1}, headers=key)
    created = alice_api.post(
        "/kpis", {"name": "Ny", "period": "2027", "target": 3}, headers={"Idempotency-Key": "k"}
    )
    created_again = alice_api.post(
        "/kpis", {"name": "Ny", "period": "2027", "target": 3}, headers={"Idempotency-Key": "k"}
    )

    assert first.json() == again.json()
    assert CheckIn.objects.count() == 1
    assert created.json()["id"] == created_again.json()["id"]


def test_an_unusable_key_is_refused(alice_api, make_kpi, today):
    kpi = make_kpi()

    response = alice_api.post("/checkins/bulk", _bulk(kpi), headers={"Idempotency-Key": "x" * 300})

    assert response.status_code == 422
    assert not CheckIn.objects.exists()


def test_the_schema_documents_the_key_as_an_optional_header_where_it_works(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    for path in ("/api/v1/checkins/bulk", "/api/v1/kpis", "/api/v1/kpis/{ref}/checkins"):
        [header] = [p for p in paths[path]["post"]["parameters"] if p["in"] == "header"]
        assert (header["name"], header["required"]) == ("Idempotency-Key", False), path
        assert "24 hours" in header["description"]
    documented = {
        (path, method)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))
    }
    assert documented == {
        ("/api/v1/checkins/bulk", "post"),
        ("/api/v1/kpis", "post"),
        ("/api/v1/kpis/{ref}/checkins", "post"),
    }  # the endpoints that call ``idempotent``


def test_the_key_is_read_alike_with_any_spelling_of_the_header(alice_api, make_kpi, today):
    kpi = make_kpi()

    first = alice_api.post("/checkins/bulk", _bulk(kpi), headers={"idempotency-key": " k2 "})
    again = alice_api.post("/checkins/bulk", _bulk(kpi), headers={"IDEMPOTENCY-KEY": "k2"})
    blank = alice_api.post("/checkins/bulk", _bulk(kpi), headers={"Idempotency-Key": " "})

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["field"] == "Idempotency-Key"
    assert CheckIn.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_the_same_key_write_once(client, alice, org, make_kpi):
    """Both requests wait at the claim; the second replays the first's response."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (the SQLite test database is in memory)")

    _token, raw = token_create(user=alice, organisation=org)
    kpi = make_kpi(start=dt.date(2020, 1, 1), end=dt.date(2040, 12, 31))
    body = _bulk(kpi, n=200)
    barrier = threading.Barrier(4)
    responses = []

    def send():
        try:
            barrier.wait(timeout=10)
            response = Client().post(
                "/api/v1/checkins/bulk",
                data=body,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {raw}",
                HTTP_IDEMPOTENCY_KEY="together",
            )
            responses.append(response)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(responses) == 4
    assert {r.status_code for r in responses} == {201}
    assert len({r.content for r in responses}) == 1
    assert sum(r.has_header("Idempotent-Replayed") for r in responses) == 3
    assert CheckIn.objects.count() == 200
