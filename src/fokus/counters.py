"""Counters in the cache (Redis when REDIS_URL is set, so shared by every web process):
what the login throttle and the API's rate limit count with."""

from __future__ import annotations

from django.core.cache import cache


def count(key: str, *, timeout: int) -> int:
    """Add one to ``key`` and return its count. The count lives ``timeout`` seconds from
    its first hit (later hits do not prolong it), then starts again from nothing."""
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=timeout)
        return 1
