"""Small helpers shared by the page views."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _

from fokus.accounts.access import membership_of
from fokus.accounts.models import Organisation
from fokus.accounts.selectors import organisation_today
from fokus.core.errors import PeriodError
from fokus.core.periods import Period, parse_period


def organisation_of(request: HttpRequest) -> Organisation:
    return membership_of(request).organisation


def today_of(request: HttpRequest) -> dt.date:
    """Today in the organisation's time zone (views are the edge that reads the clock)."""
    return organisation_today(organisation_of(request))


def requested_period(text: str | None, year: int) -> tuple[Period, str | None]:
    """The period asked for, else the given year with a message saying why."""
    fallback = parse_period(str(year))
    if text is None or not text.strip():
        return fallback, None
    try:
        return parse_period(text), None
    except PeriodError:
        message = _(
            "“%(text)s” is not a period; use e.g. 2027, 2027-Q2 or 2027-05. "
            "Showing %(year)s instead."
        ) % {"text": text.strip()[:40], "year": year}
        return fallback, message
