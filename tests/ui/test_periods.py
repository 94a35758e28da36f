"""The period a page shows by default: the year being planned, from today and from which
of this year and next year have KPIs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from fokus.core.periods import parse_period
from fokus.ui.periods import default_period, requested_period, shown_period, year_of

Y26, Y27 = year_of(2026), year_of(2027)


def test_a_year_is_the_period_the_product_writes_as_the_year():
    assert year_of(2027) == parse_period("2027")


@pytest.mark.parametrize(
    ("today", "with_kpis", "expected"),
    [
        # Most of the year: the current year, with or without KPIs.
        (dt.date(2026, 6, 30), set(), Y26),
        (dt.date(2026, 6, 30), {Y26}, Y26),
        (dt.date(2026, 6, 30), {Y26, Y27}, Y26),
        (dt.date(2026, 9, 30), set(), Y26),
        # Next year has KPIs and this one has none: next year is being planned.
        (dt.date(2026, 6, 30), {Y27}, Y27),
        (dt.date(2026, 1, 1), {Y27}, Y27),
        # From 1 October, the last quarter: next year, whatever has KPIs.
        (dt.date(2026, 10, 1), set(), Y27),
        (dt.date(2026, 12, 4), set(), Y27),
        (dt.date(2026, 12, 4), {Y26}, Y27),
        (dt.date(2026, 12, 31), {Y26, Y27}, Y27),
    ],
)
def test_the_default_period_is_the_year_being_planned(today, with_kpis, expected):
    assert default_period(today, with_kpis) == expected


@pytest.mark.parametrize(
    ("today", "with_kpis", "expected"),
    [
        # The year being planned, once it has KPIs or while neither year has any.
        (dt.date(2026, 12, 4), set(), Y27),
        (dt.date(2026, 12, 4), {Y27}, Y27),
        (dt.date(2026, 12, 4), {Y26, Y27}, Y27),
        (dt.date(2026, 6, 30), {Y26}, Y26),
        (dt.date(2026, 6, 30), {Y27}, Y27),
        # In December, before next year is planned: this year's KPIs are still tracked.
        (dt.date(2026, 12, 4), {Y26}, Y26),
    ],
)
def test_the_dashboard_shows_the_year_being_planned_once_it_has_kpis(today, with_kpis, expected):
    assert shown_period(today, with_kpis) == expected


def test_a_period_not_asked_for_is_the_default_and_a_bad_one_falls_back_to_it():
    assert requested_period(None, Y27) == (Y27, None)
    assert requested_period("  ", Y27) == (Y27, None)
    assert requested_period("2026-K2", Y27) == (parse_period("2026-K2"), None)

    with translation.override("en"):
        period, message = requested_period("2026-K9", Y27)

    assert period == Y27
    assert message == (
        "“2026-K9” is not a period; use e.g. 2027, 2027-Q2 or 2027-05. Showing 2027 instead."
    )


def test_a_year_still_serves_as_the_default():
    assert requested_period(None, 2026) == (Y26, None)
