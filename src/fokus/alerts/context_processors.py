"""``open_alert_count`` for the navigation: counted only when a template shows it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fokus.alerts.selectors import open_alert_count


class _LazyCount:
    """A callable the template calls (once) when it renders the number."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request
        self._value: int | None = None

    def __call__(self) -> int:
        if self._value is None:
            organisation = getattr(self._request, "organisation", None)
            self._value = (
                0
                if organisation is None
                else open_alert_count(organisation=organisation, today=self._request.today)  # type: ignore[attr-defined]
            )
        return self._value


def open_alerts(request: HttpRequest) -> dict[str, Any]:
    return {"open_alert_count": _LazyCount(request)}
