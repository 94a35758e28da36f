"""Periods as the pages show and ask for them: labels in the UI language (2027-K2 in
Danish, 2027-Q2 in English), date ranges, the links of a period switcher and the period
a page was asked for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container

from babel.dates import get_month_names
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fokus.core.errors import PeriodError
from fokus.core.periods import Period, month_end, parse_period
from fokus.ui.formatting import format_day, locale


def period_label(period: Period) -> str:
    """``2027``, ``2027-K2`` in Danish / ``2027-Q2`` in English, ``2027-05``, or a range."""
    label = period.label
    if "-K" in label:
        label = label.replace("-K", "-" + pgettext("quarter abbreviation", "Q"))
    return label


def period_example(year: int) -> str:
    """A quarter of ``year`` as the UI writes it, to show what a period looks like."""
    return f"{year}-" + pgettext("quarter abbreviation", "Q") + "2"


def period_range(period: Period) -> str:
    return f"{format_day(period.start)} – {format_day(period.end)}"


def period_links(period: Period) -> list[tuple[str, str]]:
    """(label, query value) of the year of ``period`` and its four quarters."""
    year = period.start.year
    links = [(str(year), str(year))]
    quarter = pgettext("quarter abbreviation", "Q")
    links += [(f"{quarter}{q}", f"{year}-K{q}") for q in range(1, 5)]
    return links


def next_period(period: Period) -> Period:
    """The period after ``period`` of the same kind: the next year, quarter or month, else
    a range of the same length."""
    months = period.whole_months
    start = period.end + dt.timedelta(days=1)
    if months is not None:
        year, month = divmod(start.year * 12 + start.month - 1 + months - 1, 12)
        return Period(start, month_end(year, month + 1))
    return Period(start, start + dt.timedelta(days=period.days - 1))


def previous_period(period: Period) -> Period:
    months = period.whole_months
    end = period.start - dt.timedelta(days=1)
    if months is not None:
        year, month = divmod(end.year * 12 + end.month - 1 - (months - 1), 12)
        return Period(dt.date(year, month + 1, 1), end)
    return Period(end - dt.timedelta(days=period.days - 1), end)


def month_links(year: int) -> list[tuple[str, str]]:
    """(month name, query value) of the twelve months of ``year``."""
    names = get_month_names("wide", context="stand-alone", locale=locale())
    return [(f"{names[m].capitalize()} {year}", f"{year}-{m:02d}") for m in range(1, 13)]


# From this day of the year (1 October: the last quarter) the year being planned is the next.
PLANNING_FROM = (10, 1)


def year_of(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))


def default_period(today: dt.date, with_kpis: Container[Period]) -> Period:
    """The period a page shows and a form proposes when the user has not chosen one: the
    year being planned. That is the current year, except

    - in its last quarter (from 1 October), when next year is planned: next year;
    - when the current year has no KPIs but next year has: next year.

    ``with_kpis`` holds those of the two years that have KPIs (goals; a customer's monitor
    is none). Every page that shows or proposes a period by default asks this function;
    the period switcher still shows any period asked for."""
    current, following = year_of(today.year), year_of(today.year + 1)
    if (today.month, today.day) >= PLANNING_FROM:
        return following
    if current not in with_kpis and following in with_kpis:
        return following
    return current


def shown_period(today: dt.date, with_kpis: Container[Period]) -> Period:
    """The period the dashboard shows when none is asked for: the year being planned
    (``default_period``) once it has KPIs, or while the current year has none either; else
    the current year, whose KPIs are still being tracked (in December, before next year
    is planned)."""
    planned = default_period(today, with_kpis)
    current = year_of(today.year)
    if planned in with_kpis or current not in with_kpis:
        return planned
    return current


def requested_period(text: str | None, default: Period | int) -> tuple[Period, str | None]:
    """The period asked for, else the default period (a ``Period``, or a year) with a
    message saying why when what was asked for is not a period."""
    fallback = default if isinstance(default, Period) else year_of(default)
    if text is None or not text.strip():
        return fallback, None
    try:
        return parse_period(text), None
    except PeriodError:
        message = _(
            "“%(text)s” is not a period; use e.g. 2027, 2027-Q2 or 2027-05. "
            "Showing %(year)s instead."
        ) % {"text": text.strip()[:40], "year": period_label(fallback)}
        return fallback, message
