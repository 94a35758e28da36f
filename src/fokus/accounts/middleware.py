from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from fokus.accounts.selectors import membership_for_request


class OrganisationMiddleware:
    """Puts the logged-in user's membership (and so organisation) on the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = membership_for_request(request)
        request.membership = membership  # type: ignore[attr-defined]
        request.organisation = membership.organisation if membership else None  # type: ignore[attr-defined]
        return self.get_response(request)
