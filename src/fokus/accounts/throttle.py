"""Login rate limiting, counted in the Django cache (Redis when REDIS_URL is set).

Failed attempts are counted per e-mail address and per client address in a window of
``settings.LOGIN_FAILURE_WINDOW`` seconds that starts at the first failure. At the limit
further attempts are refused, right or wrong, until the window has passed; a successful
login clears the address's count.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from fokus.counters import count


def _keys(email: str, client: str) -> tuple[str, str]:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"fokus:login-fail:email:{digest}", f"fokus:login-fail:client:{client}"


def _limits() -> tuple[int, int]:
    return settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_FAILURE_LIMIT_PER_CLIENT


def login_blocked(*, email: str, client: str) -> bool:
    """Whether this address or client has used up its failed attempts."""
    email_key, client_key = _keys(email, client)
    counts = cache.get_many([email_key, client_key])
    email_limit, client_limit = _limits()
    return counts.get(email_key, 0) >= email_limit or counts.get(client_key, 0) >= client_limit


def login_failed(*, email: str, client: str) -> None:
    for key in _keys(email, client):
        count(key, timeout=settings.LOGIN_FAILURE_WINDOW)


def login_succeeded(*, email: str) -> None:
    cache.delete(_keys(email, "")[0])


def window_minutes() -> int:
    return max(1, round(settings.LOGIN_FAILURE_WINDOW / 60))
