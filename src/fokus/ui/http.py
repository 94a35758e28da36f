"""What the views share about HTTP itself."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request: HttpRequest, default: str) -> str:
    """Where a page should lead back to: the ``next`` it was sent (posted, else in the
    query) when that is an address of this site, else ``default``. Never an address of
    another site: a link that sends a user elsewhere through Fokus (an open redirect)
    could lend a phishing page Fokus' name."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
