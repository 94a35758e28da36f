"""Fixtures of the API tests: bearer tokens of the named users and a JSON client."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.cache import cache

TODAY = dt.datetime(2027, 6, 30, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def today(time_machine):
    time_machine.move_to(TODAY, tick=False)
    return TODAY.date()


class ApiClient:
    """Django's test client speaking JSON with a bearer token."""

    def __init__(self, client: Any, token: str | None) -> None:
        self.client = client
        self.token = token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
        if self.token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        return extra

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.client.get("/api/v1" + path, params, **self._headers(headers))

    def _send(self, method: str, path: str, body: Any, headers: dict[str, str] | None) -> Any:
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return getattr(self.client, method)(
            "/api/v1" + path,
            data=data,
            content_type="application/json",
            **self._headers(headers),
        )

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self._send("post", path, {} if body is None else body, headers)

    def patch(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self._send("patch", path, {} if body is None else body, headers)

    def delete(self, path: str, headers: dict[str, str] | None = None) -> Any:
        return self.client.delete("/api/v1" + path, **self._headers(headers))


def _token(user, organisation) -> str:
    from fokus.accounts.services import token_create

    return token_create(user=user, organisation=organisation, name="test")[1]


@pytest.fixture
def alice_api(client, alice, org):
    return ApiClient(client, _token(alice, org))


@pytest.fixture
def vera_api(client, vera, org):
    return ApiClient(client, _token(vera, org))


@pytest.fixture
def charlie_api(client, charlie, other_org):
    return ApiClient(client, _token(charlie, other_org))


@pytest.fixture
def anonymous_api(client):
    return ApiClient(client, None)
