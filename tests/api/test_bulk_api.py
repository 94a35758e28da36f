from __future__ import annotations

import pytest

from fokus.kpis.models import CheckIn

pytestmark = pytest.mark.django_db


def _items(kpi, n, start=0):
    return [
        {"kpi": kpi.pk, "date": "2027-03-01", "value": 1, "external_id": f"x-{i}"}
        for i in range(start, start + n)
    ]


def test_a_bulk_of_checkins_is_stored_and_returned_in_order(alice_api, make_kpi, today):
    kpi = make_kpi()
    items = [
        {"kpi": kpi.pk, "date": "2027-03-01", "value": 1},
        {"kpi": kpi.slug, "date": "2027-03-02", "value": "2.5", "note": "tekst"},
    ]

    response = alice_api.post("/checkins/bulk", {"checkins": items})

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["created"], body["unchanged"]) == (2, 0)
    stored = alice_api.get(f"/kpis/{kpi.pk}/checkins").json()
    assert [c["id"] for c in body["checkins"]] == [c["id"] for c in stored]
    assert [c["value"] for c in stored] == [1, 2.5]
    assert [c["note"] for c in stored] == ["", "tekst"]
    assert {c["source"] for c in stored} == {"api"}
    assert body["checkins"][0] == {"id": stored[0]["id"], "external_id": None, "created": True}


def test_one_bad_item_stores_nothing_and_every_bad_item_is_listed(
    alice_api, make_kpi, other_org, today
):
    kpi = make_kpi()
    checklist = make_kpi(name="Liste", measure="checklist", items=["a", "b"], target=None)
    theirs = make_kpi(organisation=other_org, name="Deres")
    items = [
        {"kpi": kpi.pk, "date": "2027-03-01", "value": 1},
        {"kpi": kpi.pk, "date": "2027-03-01", "value": 1, "note": "nul\x00"},
        {"kpi": "findes-ikke", "date": "2027-03-01", "value": 1},
        {"kpi": theirs.pk, "date": "2027-03-01", "value": 1},
        {"kpi": checklist.pk, "date": "2027-03-01", "value": 1},
        {"kpi": kpi.pk, "date": "2027-03-01", "value": "1e20"},
    ]

    response = alice_api.post("/checkins/bulk", {"checkins": items})

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert [(e["index"], e["field"], e["message"]) for e in errors] == [
        (1, "note", "Teksten indeholder et NUL-tegn, som ikke kan gemmes."),
        (2, "kpi", "Der er ingen KPI “findes-ikke”."),
        (3, "kpi", f"Der er ingen KPI “{theirs.pk}”."),
        (
            4,
            "kpi",
            "“Liste” er en tjekliste: sæt flueben ved dens punkter i stedet for at registrere "
            "en værdi.",
        ),
        (5, "value", "“1E+20” er for stort."),
    ]
    assert not CheckIn.objects.exists()


def test_type_errors_in_items_name_the_index_and_field(alice_api, make_kpi, today):
    kpi = make_kpi()
    items = [
        {"kpi": kpi.pk, "date": "2027-02-30", "value": 1},
        {"kpi": kpi.pk, "date": "2027-03-01"},
    ]

    response = alice_api.post("/checkins/bulk", {"checkins": items})

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["index"], e["field"].split(".")[-1]) for e in errors] == [(0, "date"), (1, "value")]


def test_more_than_1000_items_are_refused(alice_api, make_kpi, today):
    kpi = make_kpi()

    response = alice_api.post("/checkins/bulk", {"checkins": _items(kpi, 1001)})

    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "too_many_items"
    assert not CheckIn.objects.exists()


def test_an_empty_bulk_is_refused(alice_api, today):
    assert alice_api.post("/checkins/bulk", {"checkins": []}).status_code == 422


def test_repeated_external_ids_are_not_duplicated(alice_api, make_kpi, today):
    kpi = make_kpi()

    first = alice_api.post("/checkins/bulk", {"checkins": _items(kpi, 3)})
    again = alice_api.post("/checkins/bulk", {"checkins": _items(kpi, 5)})
    twice_in_one = alice_api.post("/checkins/bulk", {"checkins": _items(kpi, 2, 10) * 2})

    assert (first.json()["created"], first.json()["unchanged"]) == (3, 0)
    assert (again.json()["created"], again.json()["unchanged"]) == (2, 3)
    assert again.json()["checkins"][0]["id"] == first.json()["checkins"][0]["id"]
    assert (twice_in_one.json()["created"], twice_in_one.json()["unchanged"]) == (2, 2)
    repeated = twice_in_one.json()["checkins"]
    assert [c["id"] for c in repeated[2:]] == [c["id"] for c in repeated[:2]]
    assert [c["created"] for c in repeated] == [True, True, False, False]
    assert CheckIn.objects.count() == 7


def test_a_bulk_of_a_thousand_takes_a_constant_number_of_queries(
    alice_api, make_kpi, today, django_assert_max_num_queries
):
    kpi = make_kpi()

    with django_assert_max_num_queries(30):
        response = alice_api.post("/checkins/bulk", {"checkins": _items(kpi, 1000)})

    assert response.json()["created"] == 1000


def test_each_item_gets_the_id_of_its_own_checkin_when_some_were_stored_before(
    alice_api, make_kpi, today
):
    kpi = make_kpi()
    alice_api.post("/checkins/bulk", {"checkins": _items(kpi, 1, 5)})
    items = [
        {"kpi": kpi.pk, "date": "2027-03-02", "value": 1, "note": "a"},
        {"kpi": kpi.pk, "date": "2027-03-01", "value": 1, "external_id": "x-5"},
        {"kpi": kpi.pk, "date": "2027-03-03", "value": 2, "note": "b", "external_id": "new"},
        {"kpi": kpi.pk, "date": "2027-03-04", "value": 3, "note": "c"},
    ]

    body = alice_api.post("/checkins/bulk", {"checkins": items}).json()

    checkins = [CheckIn.objects.get(pk=c["id"]) for c in body["checkins"]]
    assert [c.note for c in checkins] == ["a", "", "b", "c"]
    assert [c["created"] for c in body["checkins"]] == [True, False, True, True]
    assert checkins[1].external_id == "x-5"


def test_items_may_name_their_kpi_by_id_slug_or_name(alice_api, make_kpi, today):
    first, second = make_kpi(name="Nye kunder"), make_kpi(name="Tilbud sendt")
    items = [
        {"kpi": first.pk, "date": "2027-03-01", "value": 1},
        {"kpi": second.slug, "date": "2027-03-01", "value": 2},
        {"kpi": "tilbud SENDT", "date": "2027-03-02", "value": 3},
    ]

    response = alice_api.post("/checkins/bulk", {"checkins": items})

    assert response.status_code == 201, response.content
    assert [c.kpi_id for c in CheckIn.objects.order_by("id")] == [first.pk, second.pk, second.pk]


@pytest.mark.parametrize("ref", ["9" * 40, "kpi\x00", "ukendt"])
def test_a_kpi_reference_that_names_no_kpi_is_a_problem_of_its_item(
    alice_api, make_kpi, today, ref
):
    kpi = make_kpi()
    items = [
        {"kpi": kpi.pk, "date": "2027-03-01", "value": 1},
        {"kpi": ref, "date": "2027-03-01", "value": 1},
    ]

    response = alice_api.post("/checkins/bulk", {"checkins": items})

    assert response.status_code == 422, response.content
    assert [(e["index"], e["field"]) for e in response.json()["errors"]] == [(1, "kpi")]
    assert not CheckIn.objects.exists()


def test_another_organisations_kpi_is_unknown(alice_api, make_kpi, other_org, today):
    theirs = make_kpi(organisation=other_org, name="Deres")

    response = alice_api.post(
        "/checkins/bulk",
        {"checkins": [{"kpi": theirs.slug, "date": "2027-03-01", "value": 1}]},
    )

    assert response.status_code == 422
    assert not CheckIn.objects.exists()


def test_a_huge_value_with_many_decimals_is_refused_not_a_server_error(alice_api, make_kpi, today):
    kpi = make_kpi()
    huge = "123456789012345678901234567890.123456"

    bulk = alice_api.post(
        "/checkins/bulk", {"checkins": [{"kpi": kpi.pk, "date": "2027-03-01", "value": huge}]}
    )
    single = alice_api.post(f"/kpis/{kpi.pk}/checkins", {"date": "2027-03-01", "value": huge})

    assert bulk.status_code == 422, bulk.content
    assert bulk.json()["errors"][0]["field"] == "value"
    assert single.status_code == 422, single.content
    assert not CheckIn.objects.exists()


def test_json_beyond_what_the_fast_parser_reads_is_still_understood(alice_api, make_kpi, today):
    kpi = make_kpi()
    huge = "12345678901234567890123"
    body = f'{{"checkins": [{{"kpi": {kpi.pk}, "date": "2027-03-01", "value": {huge}}}]}}'

    response = alice_api.post("/checkins/bulk", body)

    # A number beyond 64 bits is read (and refused as too large), not a parse error.
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "value"


def test_a_body_that_is_not_json_is_a_bad_request(alice_api, today):
    response = alice_api.post("/checkins/bulk", '{"checkins": [')

    assert response.status_code == 400
    assert not CheckIn.objects.exists()


def test_the_answer_of_an_idempotent_request_is_replayed_byte_for_byte(alice_api, make_kpi, today):
    kpi = make_kpi()
    items = {"checkins": [{"kpi": kpi.pk, "date": "2027-03-01", "value": "1.5", "note": "Ærø"}]}
    headers = {"Idempotency-Key": "k-1"}

    first = alice_api.post("/checkins/bulk", items, headers=headers)
    again = alice_api.post("/checkins/bulk", items, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert first.json()["checkins"][0]["created"] is True


def test_a_blank_external_id_is_no_id_and_drops_nothing(alice_api, make_kpi, today):
    kpi = make_kpi()
    items = [
        {"kpi": kpi.pk, "date": "2027-03-01", "value": 1, "external_id": ""},
        {"kpi": kpi.pk, "date": "2027-03-02", "value": 2, "external_id": "  "},
    ]

    bulk = alice_api.post("/checkins/bulk", {"checkins": items}).json()
    one = alice_api.post(f"/kpis/{kpi.pk}/checkins", {"value": 3, "external_id": ""})

    assert (bulk["created"], one.status_code) == (2, 201)
    assert [c["external_id"] for c in bulk["checkins"]] == [None, None]
    assert one.json()["external_id"] is None
    assert CheckIn.objects.count() == 3
