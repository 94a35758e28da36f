"""The due scan is one query on an index: per organisation for the pages, the CLI and the
API, and across every organisation for the worker."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from fokus.customers import selectors
from fokus.customers.models import Customer
from fokus.customers.selectors import customers_due, customers_due_all

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2027, 6, 30)


@pytest.fixture
def register(org, other_org, make_customer, log_contact):
    """In each organisation: one overdue, one due soon, one fine, one former customer."""
    for organisation in (org, other_org):
        make_customer(organisation=organisation, name="Overdue", since=dt.date(2027, 1, 1))
        make_customer(organisation=organisation, name="Due soon", since=dt.date(2027, 4, 10))
        make_customer(organisation=organisation, name="Fine", since=dt.date(2027, 6, 1))
        make_customer(
            organisation=organisation, name="Former", since=dt.date(2020, 1, 1), status="former"
        )
    return org, other_org


def _indexes() -> dict[str, dict]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Customer._meta.db_table)
    return {name: c for name, c in constraints.items() if c["index"]}


def test_the_due_date_columns_are_indexed_for_active_customers():
    indexes = _indexes()

    assert indexes["customer_active_due"]["columns"] == ["organisation_id", "contact_due_on"]
    assert indexes["customer_active_due_all"]["columns"] == ["contact_due_on"]
    assert indexes["customer_active_advisory"]["columns"] == [
        "organisation_id",
        "advisory_due_on",
    ]


def test_an_organisations_due_list_is_one_query(register):
    org, _ = register

    with CaptureQueriesContext(connection) as queries:
        due = customers_due(organisation=org, as_of=AS_OF)

    assert len(queries) == 1
    assert [(c.name, str(d.state)) for c, d in due] == [
        ("Overdue", "overdue"),
        ("Due soon", "due_soon"),
    ]


@pytest.mark.parametrize(
    ("include_due_soon", "expected"),
    [
        (False, [("Overdue", "overdue")]),
        (True, [("Overdue", "overdue"), ("Due soon", "due_soon")]),
    ],
)
def test_the_workers_scan_covers_every_organisation_in_one_query(
    register, monkeypatch, include_due_soon, expected
):
    monkeypatch.setattr(selectors, "SCAN_CHUNK", 1)  # many chunks, still one query

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        found = list(customers_due_all(as_of=AS_OF, include_due_soon=include_due_soon))

    assert len([q for q in queries if "customers_customer" in q["sql"]]) == 1
    assert sorted((c.organisation_id, c.name, str(d.state)) for c, d in found) == sorted(
        (org.pk, name, state) for org in register for name, state in expected
    )


def test_a_scanned_customer_loads_its_other_fields_on_access(register):
    [(customer, due)] = [
        (c, d) for c, d in customers_due_all(as_of=AS_OF) if c.organisation_id == register[0].pk
    ]

    assert customer.get_deferred_fields() >= {"notes", "email"}
    assert "status" not in customer.get_deferred_fields() and customer.status == "active"
    assert customer.email == "" and customer.organisation == register[0]
    assert due.alert is True and due.days_overdue == 90


def _plan(queryset) -> str:
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Customer._meta.db_table}")
            cursor.execute("SET LOCAL enable_seqscan = off")
            return queryset.explain()
    return queryset.explain()


def test_the_scans_use_the_partial_indexes(register):
    # A register of some size, most customers fine for months: on a handful of rows the
    # planner's choice between indexes would be a coin toss.
    Customer.objects.bulk_create(
        Customer(
            organisation=register[i % 2],
            name=f"Fin {i}",
            since=AS_OF,
            contact_due_on=AS_OF + dt.timedelta(days=60 + i % 300),
            advisory_due_on=AS_OF + dt.timedelta(days=365 + i % 300),
        )
        for i in range(3000)
    )
    horizon = AS_OF + dt.timedelta(days=14)
    scan_all = Customer.objects.filter(status="active", contact_due_on__lte=horizon).order_by()
    scan_org = Customer.objects.filter(
        organisation=register[0], status="active", contact_due_on__lte=horizon
    ).order_by("contact_due_on", "name", "id")  # as customers_due orders it

    assert "customer_active_due_all" in _plan(scan_all)
    assert "customer_active_due" in _plan(scan_org)
