"""Refusals of the API itself (who may call it, how often, with which key), with their
sentences."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from fokus.errors import ProductError

MESSAGES = {
    "viewer_read_only": _("Viewers can read but not change anything."),
    "rate_limited": ngettext_lazy(
        "Too many requests; try again in %(seconds)s second.",
        "Too many requests; try again in %(seconds)s seconds.",
        "seconds",
    ),
    "idempotency_key_invalid": _("The Idempotency-Key must be 1 to 255 visible characters."),
    "idempotency_key_reused": _(
        "This Idempotency-Key was used in the last 24 hours for another request."
    ),
}


class ApiError(ProductError):
    """A request the API refuses before or around what it asks for."""

    MESSAGES = MESSAGES


class Forbidden(ApiError):
    """A write with a viewer's token."""

    STATUS = 403

    def __init__(self) -> None:
        super().__init__("viewer_read_only")

    def entries(self) -> list[dict[str, object]]:
        return []


class RateLimited(ApiError):
    """More requests in the current window than the token may send."""

    STATUS = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__("rate_limited", seconds=retry_after)
        self.retry_after = retry_after

    def entries(self) -> list[dict[str, object]]:
        return []

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}
