"""Schemathesis fuzzes every operation of the live OpenAPI schema in-process (WSGI) with a
token: no server error and no response that breaks the schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks

from fokus.wsgi import application

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_schema(alice, org, make_kpi, settings):
    """The schema as the running app serves it, with some data behind it to hit."""
    from fokus.kpis.services import checkin_record

    settings.FOKUS_API_RATE_LIMIT = (1_000_000, 60)
    kpi = make_kpi(name="Nye kunder")
    checkin_record(kpi=kpi, date=dt.date(2027, 2, 1), value=Decimal(2))
    make_kpi(name="Liste", measure="checklist", items=["a", "b"], target=None)
    # Requests through the WSGI handler must not close the test's database connection
    # (with PostgreSQL that would end the test transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token(alice, org):
    from fokus.accounts.services import token_create

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
