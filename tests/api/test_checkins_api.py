from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fokus.kpis.models import CheckIn
from fokus.kpis.services import checkin_record

pytestmark = pytest.mark.django_db

CHECKIN_FIELDS = {"id", "kpi", "date", "value", "note", "source", "external_id", "created_at"}


def test_adding_a_checkin_returns_the_checkin_json(alice_api, alice, make_kpi, today):
    kpi = make_kpi()

    response = alice_api.post(
        f"/kpis/{kpi.pk}/checkins", {"date": "2027-03-01", "value": "2.5", "note": "Bageriet"}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == CHECKIN_FIELDS
    assert (body["kpi"], body["date"], body["value"], body["source"]) == (
        kpi.pk,
        "2027-03-01",
        2.5,
        "api",
    )
    assert CheckIn.objects.get().created_by == alice


def test_a_checkin_without_a_date_is_for_today(alice_api, make_kpi, today):
    kpi = make_kpi()

    body = alice_api.post(f"/kpis/{kpi.slug}/checkins", {"value": 1}).json()

    assert body["date"] == "2027-06-30"


def test_a_repeated_external_id_is_not_stored_twice(alice_api, make_kpi, today):
    kpi = make_kpi()
    item = {"date": "2027-03-01", "value": 1, "external_id": "crm-17"}

    first = alice_api.post(f"/kpis/{kpi.pk}/checkins", item)
    second = alice_api.post(f"/kpis/{kpi.pk}/checkins", {**item, "value": 5})

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert CheckIn.objects.count() == 1


def test_a_checkin_outside_the_period_is_stored_but_does_not_count(alice_api, make_kpi, today):
    kpi = make_kpi()

    response = alice_api.post(f"/kpis/{kpi.pk}/checkins", {"date": "2028-01-01", "value": 1})
    bulk = alice_api.post(
        "/checkins/bulk", {"checkins": [{"kpi": kpi.pk, "date": "2026-12-31", "value": 4}]}
    )

    assert (response.status_code, bulk.status_code) == (201, 201)
    assert CheckIn.objects.count() == 2
    evaluation = alice_api.get(f"/kpis/{kpi.pk}", as_of="2027-06-30").json()["evaluation"]
    assert (evaluation["actual"], evaluation["status"]) == (float(kpi.baseline), "no_data")


@pytest.mark.parametrize("value", ["abc", "1e400", "NaN", "1e17", True])
def test_a_value_that_is_not_a_storable_number_is_refused(alice_api, make_kpi, today, value):
    kpi = make_kpi()

    response = alice_api.post(f"/kpis/{kpi.pk}/checkins", {"date": "2027-03-01", "value": value})

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert not CheckIn.objects.exists()


def test_a_nul_character_in_the_note_is_refused(alice_api, make_kpi, today):
    kpi = make_kpi()

    response = alice_api.post(f"/kpis/{kpi.pk}/checkins", {"value": 1, "note": "a\x00b"})

    assert response.status_code == 422
    assert not CheckIn.objects.exists()


def test_listing_checkins_in_date_order_with_a_date_range(alice_api, make_kpi, today):
    kpi = make_kpi()
    for day, value in ((3, 3), (1, 1), (2, 2)):
        checkin_record(kpi=kpi, date=dt.date(2027, 2, day), value=Decimal(value))

    everything = alice_api.get(f"/kpis/{kpi.pk}/checkins").json()
    later = alice_api.get(f"/kpis/{kpi.pk}/checkins", since="2027-02-02").json()

    assert [c["value"] for c in everything] == [1, 2, 3]
    assert [c["value"] for c in later] == [2, 3]


def test_correcting_and_deleting_a_checkin(alice_api, alice, make_kpi, today):
    kpi = make_kpi()
    checkin, _ = checkin_record(kpi=kpi, date=dt.date(2027, 2, 1), value=Decimal(1))

    changed = alice_api.patch(f"/checkins/{checkin.pk}", {"value": 4, "note": "rettet"})
    assert changed.status_code == 200, changed.content
    checkin.refresh_from_db()
    assert (checkin.value, checkin.note, checkin.updated_by) == (4, "rettet", alice)

    assert alice_api.delete(f"/checkins/{checkin.pk}").status_code == 204
    assert not CheckIn.objects.exists()


def test_another_organisations_checkin_is_not_found(alice_api, make_kpi, other_org, today):
    theirs, _ = checkin_record(
        kpi=make_kpi(organisation=other_org), date=dt.date(2027, 2, 1), value=Decimal(1)
    )

    assert alice_api.patch(f"/checkins/{theirs.pk}", {"value": 9}).status_code == 404
    assert alice_api.delete(f"/checkins/{theirs.pk}").status_code == 404
    theirs.refresh_from_db()
    assert theirs.value == 1


def test_a_value_with_many_decimals_is_kept_to_ten(alice_api, make_kpi, today):
    """A float as clients send it (random.uniform gives 14 or more decimals) is taken and
    rounded half-even to the 10 decimals values keep; the sums use what is stored."""
    kpi = make_kpi()

    one = alice_api.post(
        f"/kpis/{kpi.pk}/checkins", {"date": "2027-03-01", "value": 37.69453228497384}
    )
    bulk = alice_api.post(
        "/checkins/bulk",
        {"checkins": [{"kpi": kpi.pk, "date": "2027-03-02", "value": "0.123456789012345"}]},
    )

    assert (one.status_code, bulk.status_code) == (201, 201)
    assert one.json()["value"] == pytest.approx(37.6945322850, abs=1e-12)
    stored = sorted(CheckIn.objects.values_list("value", flat=True))
    assert stored == [Decimal("0.1234567890"), Decimal("37.6945322850")]
    actual = alice_api.get(f"/kpis/{kpi.pk}", as_of="2027-06-30").json()["evaluation"]["actual"]
    assert actual == pytest.approx(float(kpi.baseline) + 37.6945322850 + 0.1234567890, rel=1e-12)


def test_a_value_is_answered_as_it_is_stored(alice_api, make_kpi, today):
    """More than 15 significant digits are rounded first, so the answer, the list and the
    sums agree on SQLite (which keeps a decimal as a double) as on PostgreSQL."""
    kpi = make_kpi()

    answer = alice_api.post(
        f"/kpis/{kpi.pk}/checkins", {"date": "2027-03-01", "value": "123456.1234567891"}
    ).json()
    listed = alice_api.get(f"/kpis/{kpi.pk}/checkins").json()
    patched = [alice_api.patch(f"/kpis/{kpi.pk}", {"target": "1000000.1234567891"}) for _ in "12"]

    assert answer["value"] == listed[0]["value"] == 123456.123456789
    assert [p.status_code for p in patched] == [200, 200]
    assert kpi.changes.filter(field="target").count() == 1  # the second one is no change
