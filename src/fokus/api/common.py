"""What every router of the API shares: problem+json responses, the rate limit and the
editor check. Routers import from here, never from ``main`` (which the project's URLs
build from the routers)."""

from __future__ import annotations

import json
import math
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse

from fokus.accounts.http import ApiRequest
from fokus.accounts.models import Role
from fokus.api.errors import Forbidden, RateLimited
from fokus.counters import count

PROBLEM = "application/problem+json"
DEFAULT_RATE_LIMIT = (1200, 60)  # requests per window of seconds, per token
# RFC 9457: with type about:blank the title is the status' own phrase (RFC 9110's).
TITLES = {422: "Unprocessable Content"}


def title_of(status: int) -> str:
    return TITLES.get(status) or HTTPStatus(status).phrase


def problem(
    request: HttpRequest | None = None,
    *,
    status: int,
    detail: str = "",
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """An RFC 9457 problem response."""
    body: dict[str, Any] = {"type": "about:blank", "title": title_of(status), "status": status}
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False),
        status=status,
        content_type=PROBLEM,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def rate_limit() -> tuple[int, int]:
    limit, window = getattr(settings, "FOKUS_API_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    return int(limit), int(window)


def check_rate(key: str, *, now: float) -> None:
    """Count one request of ``key`` in the current fixed window; raise RateLimited with
    the seconds until the window ends once the limit is passed."""
    limit, window = rate_limit()
    slot = int(now // window)
    if count(f"fokus:api-rate:{key}:{slot}", timeout=window + 1) > limit:
        raise RateLimited(max(1, math.ceil((slot + 1) * window - now)))


def require_editor(request: ApiRequest) -> None:
    """Writes need a member role above viewer in the token's organisation."""
    # ``token_authenticate`` read the user's role in the token's organisation with it.
    role = getattr(request.api_token, "role", None)
    if role is None or role == Role.VIEWER:
        raise Forbidden
