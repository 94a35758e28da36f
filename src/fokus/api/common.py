"""What every router of the API shares: problem+json responses, the rate limit, the
editor check and the body types. Routers import from here, never from ``main`` (which
imports the routers)."""

from __future__ import annotations

import json
import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fokus.accounts.models import ApiToken, Role

PROBLEM = "application/problem+json"
DEFAULT_RATE_LIMIT = (1200, 60)  # requests per window of seconds, per token


def problem(
    request: HttpRequest | None = None,
    *,
    status: int,
    title: str,
    detail: str = "",
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """An RFC 9457 problem response."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
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


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(retry_after)


def rate_limit() -> tuple[int, int]:
    limit, window = getattr(settings, "FOKUS_API_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    return int(limit), int(window)


def check_rate(key: str, *, now: float | None = None) -> None:
    """Count one request of ``key`` in the current fixed window; raise RateLimited with
    the seconds until the window ends once the limit is passed. The count lives in the
    cache (Redis when REDIS_URL is set, so shared by every web process)."""
    limit, window = rate_limit()
    now = time.time() if now is None else now
    slot = int(now // window)
    cache_key = f"fokus:api-rate:{key}:{slot}"
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        raise RateLimited(max(1, math.ceil((slot + 1) * window - now)))


def rate_limited(request: HttpRequest, exc: Any) -> HttpResponse:
    return problem(
        request,
        status=429,
        title="Too Many Requests",
        detail=ngettext(
            "Too many requests; try again in %(seconds)s second.",
            "Too many requests; try again in %(seconds)s seconds.",
            exc.retry_after,
        )
        % {"seconds": exc.retry_after},
        headers={"Retry-After": str(exc.retry_after)},
    )


class Forbidden(Exception):
    pass


def forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
    return problem(
        request,
        status=403,
        title="Forbidden",
        detail=_("Viewers can read but not change anything."),
    )


def require_editor(request: HttpRequest) -> None:
    """Writes need a member role above viewer in the token's organisation."""
    token: ApiToken | None = getattr(request, "api_token", None)
    if token is None:
        raise Forbidden
    # ``token_authenticate`` read the user's role in the token's organisation with it.
    role = getattr(token, "role", None)
    if role is None or role == Role.VIEWER:
        raise Forbidden
