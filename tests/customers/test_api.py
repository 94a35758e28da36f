"""/api/v1/customers: the register over REST, scoped to the token's organisation; another
organisation's customer is a 404, a viewer cannot write, errors are problem+json."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fokus.customers.models import Contact, Customer, RevenueEntry
from fokus.customers.selectors import customer_get
from fokus.customers.shapes import customer_to_dict

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def test_a_customer_is_created_read_and_changed(alice_api, alice, today):
    created = alice_api.post(
        "/customers",
        {
            "name": "Hansen VVS",
            "since": "2027-01-31",
            "cvr": "12345678",
            "email": "info@hansen-vvs.dk",
            "monthly_revenue": "12500.50",
            "interval_months": 1,
            "owner": "alice@example.com",
            "tags": ["håndværk"],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["name"], body["contact_due"], body["owner"], body["tags"]) == (
        "Hansen VVS",
        "2027-02-28",
        "alice@example.com",
        ["håndværk"],
    )
    assert body["monthly_revenue"] == 12500.5

    read = alice_api.get(f"/customers/{body['id']}")
    assert read.json() == body

    changed = alice_api.patch(
        f"/customers/{body['id']}", {"status": "former", "notes": "Lukket", "owner": None}
    )
    assert changed.status_code == 200
    assert (changed.json()["status"], changed.json()["notes"], changed.json()["owner"]) == (
        "former",
        "Lukket",
        None,
    )
    assert changed.json()["name"] == "Hansen VVS"


def test_a_contact_logged_over_the_api_moves_the_due_date(alice_api, make_customer):
    customer = make_customer(since=dt.date(2027, 1, 1))

    logged = alice_api.post(
        f"/customers/{customer.pk}/contacts", {"kind": "meeting", "note": "Kaffe"}
    )

    assert logged.status_code == 201
    assert logged.json() | {"id": 0} == {
        "id": 0,
        "customer": customer.pk,
        "date": "2027-06-30",
        "kind": "meeting",
        "note": "Kaffe",
        "contact_due": "2027-09-30",
    }
    assert Contact.objects.get().user.email == "alice@example.com"


def test_revenue_with_an_external_id_is_created_once(alice_api, make_customer):
    customer = make_customer()
    entry = {"date": "2027-06-30", "amount": 1500, "description": "Faktura", "external_id": "F-1"}

    first = alice_api.post(f"/customers/{customer.pk}/revenue", entry)
    again = alice_api.post(f"/customers/{customer.pk}/revenue", entry)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert first.json()["amount"] == 1500
    assert RevenueEntry.objects.count() == 1


def test_the_list_is_filtered_sorted_and_paginated(alice_api, make_customer, log_contact):
    for i in range(5):
        make_customer(name=f"Kunde {i}", since=dt.date(2027, 1, 1 + i), tags=["vip"] if i else [])
    make_customer(name="Ny kunde", since=dt.date(2027, 6, 20))
    make_customer(name="Prospekt", since=dt.date(2027, 6, 1), status="prospect")

    page = alice_api.get("/customers", page_size=2, page=2)
    assert page.status_code == 200
    assert (page.json()["count"], page.json()["pages"], page.json()["page"]) == (7, 4, 2)
    assert [c["name"] for c in page.json()["items"]] == ["Kunde 2", "Kunde 3"]

    def names(**params):
        return [c["name"] for c in alice_api.get("/customers", **params).json()["items"]]

    assert names(search="ny") == ["Ny kunde"]
    assert names(status="prospect") == ["Prospekt"]
    assert names(tag="vip", sort="name") == ["Kunde 1", "Kunde 2", "Kunde 3", "Kunde 4"]
    assert names(due="ok") == ["Ny kunde"]
    assert sorted(names(due="overdue")) == [f"Kunde {i}" for i in range(5)]
    assert names(sort="-contact")[0] == "Ny kunde"


def test_another_organisations_customer_is_not_found(alice_api, charlie_api, make_customer):
    customer = make_customer()

    for response in (
        charlie_api.get(f"/customers/{customer.pk}"),
        charlie_api.patch(f"/customers/{customer.pk}", {"name": "Hacked"}),
        charlie_api.post(f"/customers/{customer.pk}/contacts", {}),
        charlie_api.post(f"/customers/{customer.pk}/revenue", {"date": "2027-06-30", "amount": 1}),
    ):
        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM
    assert charlie_api.get("/customers").json()["count"] == 0
    assert charlie_api.get("/customers/due").json() == []
    assert not Contact.objects.exists() and Customer.objects.get().name == "Bageriet Østerbro"


def test_a_viewer_reads_but_cannot_write(vera_api, make_customer):
    customer = make_customer()

    assert vera_api.get(f"/customers/{customer.pk}").status_code == 200
    refused = [
        vera_api.post("/customers", {"name": "Ny"}),
        vera_api.patch(f"/customers/{customer.pk}", {"name": "Ny"}),
        vera_api.post(f"/customers/{customer.pk}/contacts", {}),
        vera_api.post(f"/customers/{customer.pk}/revenue", {"date": "2027-06-30", "amount": 1}),
    ]

    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert all(r["Content-Type"] == PROBLEM for r in refused)
    assert Customer.objects.count() == 1 and not Contact.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "code", "message"),
    [
        (
            {"name": "X", "cvr": "123"},
            "cvr",
            "cvr_invalid",
            "“123” er ikke et CVR-nummer: et CVR-nummer har 8 cifre.",
        ),
        (
            {"name": "X\x00"},
            "name",
            "nul_byte",
            "Teksten indeholder et NUL-tegn, som ikke kan gemmes.",
        ),
        (
            {"name": "X", "email": "nej"},
            "email",
            "email_invalid",
            "“nej” er ikke en gyldig e-mailadresse.",
        ),
        (
            {"name": "X", "owner": "ukendt@example.com"},
            "owner",
            "owner_not_member",
            "ukendt@example.com er ikke medlem af denne organisation.",
        ),
        (
            {"name": "X", "interval_months": 0},
            "interval_months",
            "greater_than_equal",
            "Skal være mindst 1.",
        ),
        (
            {"name": "X", "status": "lead"},
            "status",
            "literal_error",
            "Skal være en af: 'prospect', 'active', 'former'.",
        ),
        (
            {"name": "X", "since": "31-01-2027"},
            "since",
            "date_from_datetime_parsing",
            "Skal være en dato som ÅÅÅÅ-MM-DD, fx 2027-12-31.",
        ),
    ],
)
def test_bad_input_is_a_problem_naming_the_field_and_why_and_nothing_is_saved(
    alice_api, body, field, code, message
):
    response = alice_api.post("/customers", body)

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 422
    assert [(e["field"], e["code"], e["message"]) for e in problem["errors"]] == [
        (field, code, message)
    ]
    assert not Customer.objects.exists()


def test_a_contact_dated_after_today_is_logged_and_moves_the_due_date(alice_api, make_customer):
    customer = make_customer()

    response = alice_api.post(f"/customers/{customer.pk}/contacts", {"date": "2027-11-30"})

    assert response.status_code == 201
    assert response.json()["contact_due"] == "2028-02-29"
    read = alice_api.get(f"/customers/{customer.pk}").json()
    assert (read["last_contact"], read["contact_due"]) == ("2027-11-30", "2028-02-29")
    [row] = alice_api.get("/customers/due", as_of="2028-02-20").json()
    assert (row["due"], row["state"]) == ("2028-02-29", "due_soon")


@pytest.mark.parametrize(
    ("date", "code"),
    [("9995-01-01", "date_too_late"), ("2027-02-30", "date_from_datetime_parsing")],
)
def test_a_contact_date_that_cannot_be_used_is_refused(alice_api, make_customer, date, code):
    customer = make_customer()

    response = alice_api.post(f"/customers/{customer.pk}/contacts", {"date": date})

    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == code
    assert not Contact.objects.exists()


def test_the_list_takes_a_constant_number_of_queries(alice_api, make_customer):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice_api.get("/customers", page_size=100).status_code == 200
        return len(captured)

    for i in range(3):
        make_customer(name=f"A{i}", tags=["x", "y"])
    queries()  # the token's first use of the minute also writes "last used"
    few = queries()
    for i in range(30):
        make_customer(name=f"B{i}", tags=["x"], owner=None)
    assert queries() == few


def test_the_openapi_schema_lists_the_customer_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    for path in (
        "/api/v1/customers",
        "/api/v1/customers/due",
        "/api/v1/customers/{customer_id}",
        "/api/v1/customers/{customer_id}/contacts",
        "/api/v1/customers/{customer_id}/revenue",
    ):
        assert path in paths, path


def test_a_customer_is_snoozed_and_woken_through_patch(alice_api, make_customer):
    customer = make_customer(name="Feriekunden")

    snoozed = alice_api.patch(
        f"/customers/{customer.pk}", {"snoozed_until": "2027-08-01", "snooze_reason": "Ferie"}
    )

    assert snoozed.status_code == 200, snoozed.content
    assert (snoozed.json()["snoozed_until"], snoozed.json()["snooze_reason"]) == (
        "2027-08-01",
        "Ferie",
    )
    [due] = alice_api.get("/customers/due").json()
    assert (due["customer"]["name"], due["state"], due["snoozed_until"]) == (
        "Feriekunden",
        "overdue",
        "2027-08-01",
    )
    moved = alice_api.patch(f"/customers/{customer.pk}", {"snoozed_until": "2027-09-01"})
    assert (moved.json()["snoozed_until"], moved.json()["snooze_reason"]) == (
        "2027-09-01",
        "Ferie",
    )
    reworded = alice_api.patch(f"/customers/{customer.pk}", {"snooze_reason": "Lukket i august"})
    assert (reworded.json()["snoozed_until"], reworded.json()["snooze_reason"]) == (
        "2027-09-01",
        "Lukket i august",
    )

    woken = alice_api.patch(f"/customers/{customer.pk}", {"snoozed_until": None})

    assert (woken.json()["snoozed_until"], woken.json()["snooze_reason"]) == (None, "")
    assert alice_api.get("/customers/due").json()[0]["snoozed_until"] is None


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        (
            {"snoozed_until": "2027-06-30", "snooze_reason": "Ferie"},
            "snoozed_until",
            "snooze_not_future",
        ),
        ({"snoozed_until": "2027-08-01"}, "snooze_reason", "snooze_reason_required"),
        (
            {"snoozed_until": "2027-08-01", "snooze_reason": " "},
            "snooze_reason",
            "snooze_reason_required",
        ),
        (
            {"snoozed_until": "2027-08-01", "snooze_reason": "x" * 201},
            "snooze_reason",
            "text_too_long",
        ),
        ({"snooze_reason": "Ferie"}, "snoozed_until", "snooze_not_future"),
    ],
)
def test_a_refused_snooze_names_the_field_and_saves_nothing(
    alice_api, make_customer, body, field, code
):
    customer = make_customer()

    response = alice_api.patch(f"/customers/{customer.pk}", {"notes": "Ændret", **body})

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, code)]
    customer.refresh_from_db()
    assert (customer.snoozed_until, customer.snooze_reason, customer.notes) == (None, "", "")


def test_a_viewer_cannot_snooze_a_customer(vera_api, make_customer):
    customer = make_customer()

    response = vera_api.patch(
        f"/customers/{customer.pk}", {"snoozed_until": "2027-08-01", "snooze_reason": "Ferie"}
    )

    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.snoozed_until is None


def _response_schema(schema, path, method, status):
    content = schema["paths"][path][method]["responses"][status]["content"]
    found = content["application/json"]["schema"]
    if found.get("type") == "array":
        found = found["items"]
    return schema["components"]["schemas"][found["$ref"].rsplit("/", 1)[1]]


def test_the_openapi_schema_describes_every_customer_answer(client, db):
    """Each answer's shape is in the schema, with the fields the endpoints send."""
    schema = client.get("/api/v1/openapi.json").json()
    customer = {
        "id", "name", "cvr", "contact_person", "email", "phone", "status", "since",
        "monthly_revenue", "interval_months", "owner", "tags", "notes", "last_contact",
        "clock_start", "contact_due", "snoozed_until", "snooze_reason", "advisory_due",
    }  # fmt: skip
    due = {"customer", "last_contact", "due", "state", "days_overdue", "snoozed_until"}
    contact = {"id", "customer", "date", "kind", "note", "contact_due"}
    revenue = {"id", "customer", "date", "amount", "description", "external_id"}
    page = {"items", "count", "page", "pages"}
    expected = [
        ("/api/v1/customers", "get", "200", page),
        ("/api/v1/customers", "post", "201", customer),
        ("/api/v1/customers/{customer_id}", "get", "200", customer),
        ("/api/v1/customers/{customer_id}", "patch", "200", customer),
        ("/api/v1/customers/due", "get", "200", due),
        ("/api/v1/customers/{customer_id}/contacts", "post", "201", contact),
        ("/api/v1/customers/{customer_id}/revenue", "post", "201", revenue),
    ]
    for path, method, status, fields in expected:
        shape = _response_schema(schema, path, method, status)
        assert set(shape["properties"]) == fields, (path, method)
        assert set(shape["required"]) == fields, (path, method)
    [due_state] = [_response_schema(schema, "/api/v1/customers/due", "get", "200")]
    assert due_state["properties"]["state"]["enum"] == ["overdue", "due_soon", "ok"]
    body = schema["paths"]["/api/v1/customers/{customer_id}/revenue"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "amount" in schema["components"]["schemas"][ref]["properties"]


def test_the_answers_are_the_selectors_json_unchanged(alice_api, alice, make_customer):
    """The schemas describe the answers without changing them: same fields, same order,
    same values as the CLI's --json."""
    customer = make_customer(
        name="Hansen VVS", monthly_revenue=Decimal("12500.50"), tags=["b", "a"], owner=alice
    )
    expected = customer_to_dict(customer_get(organisation=customer.organisation, ref=customer.pk))

    read = alice_api.get(f"/customers/{customer.pk}")
    listed = alice_api.get("/customers")

    assert list(json.loads(read.content).items()) == list(expected.items())
    assert listed.json() == {"items": [expected], "count": 1, "page": 1, "pages": 1}


def test_a_null_snooze_reason_alone_changes_nothing(alice_api, make_customer):
    customer = make_customer()

    response = alice_api.patch(f"/customers/{customer.pk}", {"snooze_reason": None})

    assert response.status_code == 200
    assert (response.json()["snoozed_until"], response.json()["snooze_reason"]) == (None, "")
