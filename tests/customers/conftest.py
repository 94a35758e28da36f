"""Fixtures of the customer-register tests: a fixed today, customers made through the
services, logged-in web clients and bearer-token API clients of the named users."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

TODAY = dt.date(2027, 6, 30)
# Noon in Copenhagen on TODAY: what the edges read as "today" under time_machine.
NOW = dt.datetime(2027, 6, 30, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def today(time_machine):
    """Freeze the clock on 30 June 2027."""
    time_machine.move_to(NOW, tick=False)
    return TODAY


@pytest.fixture
def make_customer(org):
    """Register a customer through the service (active, since 1 January 2027 by default)."""
    from fokus.customers.services import customer_create

    def make(name="Bageriet Østerbro", since=dt.date(2027, 1, 1), organisation=None, **fields):
        fields.setdefault("today", TODAY)
        return customer_create(organisation=organisation or org, name=name, since=since, **fields)

    return make


@pytest.fixture
def log_contact():
    from fokus.customers.services import contact_log

    def log(customer, date, **fields):
        fields.setdefault("today", max(date, TODAY))
        fields.setdefault("now", timezone.now())
        return contact_log(customer=customer, date=date, **fields)

    return log


@pytest.fixture
def alice_client(client, alice, today):
    client.force_login(alice)
    return client


@pytest.fixture
def vera_client(client, vera, today):
    client.force_login(vera)
    return client


@pytest.fixture
def charlie_client(client, charlie, today):
    client.force_login(charlie)
    return client


class ApiClient:
    """Django's test client speaking JSON with a bearer token."""

    def __init__(self, client: Any, token: str) -> None:
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get("/api/v1" + path, params, **self.headers)

    def send(self, method: str, path: str, body: Any) -> Any:
        return getattr(self.client, method)(
            "/api/v1" + path,
            data=json.dumps(body),
            content_type="application/json",
            **self.headers,
        )

    def post(self, path: str, body: Any) -> Any:
        return self.send("post", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self.send("patch", path, body)


def _api(client, user, organisation) -> ApiClient:
    from fokus.accounts.services import token_create

    cache.clear()  # a fresh rate-limit window
    return ApiClient(client, token_create(user=user, organisation=organisation)[1])


@pytest.fixture
def alice_api(client, alice, org, today):
    return _api(client, alice, org)


@pytest.fixture
def vera_api(client, vera, org, today):
    return _api(client, vera, org)


@pytest.fixture
def charlie_api(client, charlie, other_org, today):
    return _api(client, charlie, other_org)
