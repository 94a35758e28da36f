"""Template context every page needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The user's membership and whether they may change things (hide buttons they cannot
    use; the views check again on the server)."""
    membership = getattr(request, "membership", None)
    return {
        "membership": membership,
        "can_edit": bool(membership and membership.can_edit),
        "can_manage": bool(membership and membership.can_manage),
    }
