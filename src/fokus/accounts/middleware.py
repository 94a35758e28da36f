from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from fokus.accounts.selectors import membership_for_request


class OrganisationMiddleware:
    """Puts the logged-in user's membership, organisation and the organisation's today on
    the request (``fokus.accounts.http.AuthenticatedHttpRequest``); None for a visitor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = membership_for_request(request)
        organisation = membership.organisation if membership else None
        request.membership = membership  # type: ignore[attr-defined]
        request.organisation = organisation  # type: ignore[attr-defined]
        request.today = organisation.local_date(timezone.now()) if organisation else None  # type: ignore[attr-defined]
        return self.get_response(request)
