"""Schemathesis fuzzes every operation of the live OpenAPI schema in-process (WSGI) with a
token: no server error and no response that breaks the schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks

from fokus.accounts.services import token_create
from fokus.alerts.models import Alert
from fokus.alerts.services import alerts_sync
from fokus.customers.models import Customer
from fokus.customers.services import contact_log, customer_create, customer_snooze
from fokus.kpis.services import checkin_record
from fokus.wsgi import application

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_schema(alice, org, make_kpi, settings):
    """The schema as the running app serves it, with some data behind it to hit."""
    settings.FOKUS_API_RATE_LIMIT = (1_000_000, 60)
    kpi = make_kpi(name="Nye kunder")
    checkin_record(kpi=kpi, date=dt.date(2027, 2, 1), value=Decimal(2))
    make_kpi(name="Liste", measure="checklist", items=["a", "b"], target=None)
    _customers_and_alerts(alice, org)
    # Requests through the WSGI handler must not close the test's database connection
    # (with PostgreSQL that would end the test transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _customers_and_alerts(alice, org):
    """Customers in every due state (one snoozed) and their open alerts, so the lists the
    fuzzing reads have items to check against the schema."""
    today = org.local_date(timezone.now())
    overdue = customer_create(
        organisation=org,
        name="Bageriet",
        since=today - dt.timedelta(days=400),
        monthly_revenue=Decimal("12500.50"),
        owner=alice,
        tags=["bager"],
        today=today,
    )
    contact_log(
        customer=overdue,
        date=today - dt.timedelta(days=200),
        kind="meeting",
        today=today,
        now=timezone.now(),
    )
    snoozed = customer_create(
        organisation=org, name="Feriekunden", since=today - dt.timedelta(days=200), today=today
    )
    customer_create(
        organisation=org, name="Snart", since=today - dt.timedelta(days=85), today=today
    )
    customer_create(organisation=org, name="Ny", since=today, today=today)
    alerts_sync(organisation=org, today=today, now=timezone.now())
    customer_snooze(
        customer=snoozed, until=today + dt.timedelta(days=20), reason="Ferie", today=today
    )
    return overdue


@pytest.fixture
def token(alice, org):
    return token_create(user=alice, organisation=org, name="fuzz")[1]


# A schema cannot say every domain rule (a target above the baseline, a period that
# parses), so a schema-valid request may still be refused with 422; and unknown query
# parameters are ignored, as HTTP APIs do. Every response is still checked: no server
# error, documented status codes, content types, headers and bodies.
EXCLUDED = [checks.positive_data_acceptance, checks.negative_data_rejection]
SETTINGS = settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_answers_every_generated_request_within_its_schema(api_schema, token, mode):
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 9  # KPIs and check-ins at least

    for operation in operations:

        @SETTINGS
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case):
            case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)

        call()


def test_the_answers_about_real_customers_and_alerts_match_the_schema(api_schema, token, org):
    """Generated ids rarely exist: ask about the real customer and alert too, and check
    each answer (status, content type, body) against the schema."""
    headers = {"Authorization": f"Bearer {token}"}
    customer = Customer.objects.get(organisation=org, name="Bageriet").pk
    snoozed = Customer.objects.get(organisation=org, name="Feriekunden").pk
    first, second = Alert.objects.filter(organisation=org, kind="customer_overdue").order_by("id")
    until = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    calls = [
        ("/api/v1/customers", "GET", {}, None, 200),
        ("/api/v1/customers/due", "GET", {}, None, 200),
        ("/api/v1/customers/{customer_id}", "GET", {"customer_id": customer}, None, 200),
        (
            "/api/v1/customers/{customer_id}",
            "PATCH",
            {"customer_id": snoozed},
            {"snoozed_until": None, "notes": "Tilbage"},
            200,
        ),
        (
            "/api/v1/customers/{customer_id}/contacts",
            "POST",
            {"customer_id": customer},
            {"kind": "email", "note": "Hej"},
            201,
        ),
        (
            "/api/v1/customers/{customer_id}/revenue",
            "POST",
            {"customer_id": customer},
            {"date": "2027-01-31", "amount": "1500.25", "external_id": "F-1"},
            201,
        ),
        ("/api/v1/alerts", "GET", {"state": "all", "include_snoozed": True}, None, 200),
        ("/api/v1/alerts/{alert_id}/ack", "POST", {"alert_id": first.pk}, None, 200),
        (
            "/api/v1/alerts/{alert_id}/snooze",
            "POST",
            {"alert_id": second.pk},
            {"until": until, "reason": "Ferie"},
            200,
        ),
    ]
    for path, method, params, body, status in calls:
        operation = api_schema[path][method]
        path_parameters = {k: v for k, v in params.items() if "{" + k + "}" in path}
        query = {k: v for k, v in params.items() if k not in path_parameters}
        extra = {} if body is None else {"body": body, "media_type": "application/json"}
        case = operation.Case(path_parameters=path_parameters, query=query or None, **extra)
        response = case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)
        assert response.status_code == status, (path, method, response.text)
