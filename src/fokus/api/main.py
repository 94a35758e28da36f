"""The REST API at /api/v1 (django-ninja): bearer-token auth scoped to the token's
organisation, and every error as application/problem+json (RFC 9457).

Each area of the product has its router in its own app (``fokus.<app>.api``); it is
registered at the bottom of this module.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from fokus.accounts.errors import AccountError
from fokus.accounts.services import token_authenticate
from fokus.core.errors import CoreError
from fokus.kpis.errors import KpiError, error_message

PROBLEM = "application/problem+json"


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; puts the token's organisation on the request."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if "\x00" in token:
            return None
        api_token = token_authenticate(token)
        if api_token is None:
            return None
        request.user = api_token.user
        request.organisation = api_token.organisation  # type: ignore[attr-defined]
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token


api = NinjaAPI(
    title="Fokus API",
    version="1",
    description="KPIs, check-ins, customers and plans of one organisation.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=TokenAuth(),
)


def problem(
    request: HttpRequest,
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
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _domain_error(request: HttpRequest, exc: Any) -> HttpResponse:
    if isinstance(exc, KpiError) and exc.code == "unknown_kpi":
        return problem(request, status=404, title="Not Found", detail=error_message(exc))
    message = exc.message if isinstance(exc, AccountError) else error_message(exc)
    field = getattr(exc, "field", None)
    return problem(
        request,
        status=422,
        title="Unprocessable Content",
        detail=message,
        errors=[{"field": field, "code": exc.code, "message": message}],
    )


def _validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
    errors = [
        {
            "field": ".".join(
                str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path")
            ),
            "code": e.get("type", "invalid"),
            "message": e.get("msg", ""),
        }
        for e in exc.errors
    ]
    return problem(
        request,
        status=422,
        title="Unprocessable Content",
        detail=translation.gettext("The request has invalid fields."),
        errors=errors,
    )


def _not_found(request: HttpRequest, exc: Any) -> HttpResponse:
    return problem(request, status=404, title="Not Found", detail=str(exc) or "Not found")


def _unauthorized(request: HttpRequest, exc: Any) -> HttpResponse:
    return problem(
        request,
        status=401,
        title="Unauthorized",
        detail=translation.gettext("A valid API token is required: Authorization: Bearer <token>."),
        headers={"WWW-Authenticate": "Bearer"},
    )


def _http_error(request: HttpRequest, exc: Any) -> HttpResponse:
    return problem(request, status=exc.status_code, title=str(exc), detail=str(exc))


api.add_exception_handler(KpiError, _domain_error)
api.add_exception_handler(CoreError, _domain_error)
api.add_exception_handler(AccountError, _domain_error)
api.add_exception_handler(NinjaValidationError, _validation_error)
api.add_exception_handler(Http404, _not_found)
api.add_exception_handler(AuthenticationError, _unauthorized)
api.add_exception_handler(HttpError, _http_error)

# Routers of each area (one line each).
