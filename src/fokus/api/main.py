"""The REST API at /api/v1 (django-ninja): bearer-token auth scoped to the token's
organisation, and every error as application/problem+json (RFC 9457).

Each area of the product has its router in its own app (``fokus.<app>.api``); the
project's URLs (``fokus.urls``) add them to ``api``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import orjson
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from fokus.accounts.services import token_authenticate
from fokus.api.common import PROBLEM, check_rate, problem
from fokus.api.docs import LocalSwagger, docs_asset
from fokus.api.field_errors import field_message
from fokus.api.schemas import Problem
from fokus.errors import REFUSALS, ProductError, refusal

__all__ = ["TokenAuth", "api"]


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; puts the token's organisation on the request.

    The token's user must still be a member of its organisation. Each token may send
    ``FOKUS_API_RATE_LIMIT`` requests per window; past that the answer is 429 with
    ``Retry-After``.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if "\x00" in token or len(token) > 200:
            return None
        now = timezone.now()
        api_token = token_authenticate(token, now=now)
        if api_token is None or not api_token.user.is_active:
            return None
        check_rate(f"token:{api_token.pk}", now=now.timestamp())
        # What an ``ApiRequest`` (fokus.accounts.http) carries.
        request.user = api_token.user
        request.organisation = api_token.organisation  # type: ignore[attr-defined]
        request.api_token = api_token  # type: ignore[attr-defined]
        request.today = api_token.organisation.local_date(now)  # type: ignore[attr-defined]
        return api_token


# Every operation may answer these: bad JSON, no token, no such object, invalid fields,
# rate limited (and, for writes, a viewer's token).
COMMON_PROBLEMS = (400, 401, 404, 422, 429)


class FokusAPI(NinjaAPI):
    """The schema says what the API sends: errors as application/problem+json, also for
    a path no operation matches."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for url in urls:
            if isinstance(url, URLPattern):
                url.callback = _problem_when_not_allowed(url.callback)
        return [
            *urls,
            path("docs/assets/<str:name>", docs_asset, name="docs-asset"),
            re_path(r"^.*$", _no_such_path),
        ]

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(problem_schema.pop("$defs", {}))
        components.setdefault("Problem", problem_schema)
        problem_response = {
            "description": "application/problem+json (RFC 9457)",
            "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                responses = {str(k): v for k, v in operation.get("responses", {}).items()}
                operation["responses"] = responses
                for code, response in responses.items():
                    content = response.get("content")
                    if int(code) >= 400 and content and "application/json" in content:
                        content[PROBLEM] = content.pop("application/json")
                for code in (*COMMON_PROBLEMS, *(() if method == "get" else (403,))):
                    responses.setdefault(str(code), problem_response)
        return schema


def _problem_when_not_allowed(view: Callable[..., Any]) -> Callable[..., Any]:
    """ninja answers a method a path does not take with a plain-text 405: answer it as a
    problem, keeping the ``Allow`` header."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type") == PROBLEM:
            return response
        return problem(
            request,
            status=405,
            detail=translation.gettext(
                "This address does not take %(method)s; it takes %(allowed)s."
            )
            % {"method": request.method, "allowed": response.get("Allow", "")},
            headers={"Allow": response.get("Allow", "")},
        )

    return wrapped


@csrf_exempt
def _no_such_path(request: HttpRequest) -> HttpResponse:
    return problem(
        request, status=404, detail=translation.gettext("There is no such address in the API.")
    )


class JsonParser(Parser):
    """Request bodies parsed by orjson (a bulk request of a thousand check-ins in less than
    half the time). A body orjson refuses goes to the standard parser, which also reads
    numbers beyond 64 bits, and otherwise fails as before (ninja's 400)."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            return orjson.loads(request.body)
        except orjson.JSONDecodeError:
            return super().parse_body(request)


api = FokusAPI(
    title="Fokus API",
    parser=JsonParser(),
    version="1",
    description="KPIs, check-ins, customers and plans of one organisation.",
    urls_namespace="api",
    docs_url="/docs",
    docs=LocalSwagger(),
    openapi_url="/openapi.json",
    auth=TokenAuth(),
)


def _refused(request: HttpRequest, exc: Any) -> HttpResponse:
    """Every refusal of the product (``fokus.errors``): its status, sentence and fields."""
    error: ProductError = refusal(exc)
    return problem(
        request,
        status=error.status,
        detail=error.message,
        errors=error.entries() or None,
        headers=error.headers(),
    )


def _field_error(error: dict[str, Any]) -> dict[str, Any]:
    """One pydantic error as a problem entry: the field path without the body parameter's
    name, and for an item of a list its ``index``."""
    loc = list(error.get("loc", ()))
    if loc and loc[0] == "body":
        loc = loc[2:]
    elif loc and loc[0] in ("query", "path", "header", "cookie", "form"):
        loc = loc[1:]
    entry: dict[str, Any] = {
        "field": ".".join(str(p) for p in loc),
        "code": error.get("type", "invalid"),
        "message": field_message(error),
    }
    index = next((p for p in loc if isinstance(p, int)), None)
    if index is not None:
        entry["index"] = index
    return entry


def _validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
    return problem(
        request,
        status=422,
        detail=translation.gettext("The request has invalid fields."),
        errors=[_field_error(e) for e in exc.errors],
    )


def _not_found(request: HttpRequest, exc: Any) -> HttpResponse:
    return problem(request, status=404, detail=str(exc) or "Not found")


def _unauthorized(request: HttpRequest, exc: Any) -> HttpResponse:
    return problem(
        request,
        status=401,
        detail=translation.gettext("A valid API token is required: Authorization: Bearer <token>."),
        headers={"WWW-Authenticate": "Bearer"},
    )


def _http_error(request: HttpRequest, exc: Any) -> HttpResponse:
    return problem(request, status=exc.status_code, detail=str(exc))


for refused in REFUSALS:
    api.add_exception_handler(refused, _refused)
api.add_exception_handler(NinjaValidationError, _validation_error)
api.add_exception_handler(Http404, _not_found)
api.add_exception_handler(AuthenticationError, _unauthorized)
api.add_exception_handler(HttpError, _http_error)
