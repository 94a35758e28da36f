"""A KPI as one plain sentence in the UI language, e.g.
"Få 10 nye kunder i perioden 1. januar – 31. december 2027"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_skeleton
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fokus.kpis.models import Direction, Interval, Kpi, Measure, Unit
from fokus.ui.formatting import format_day, format_value, locale


def period_phrase(start: dt.date, end: dt.date) -> str:
    """``1. januar – 31. december 2027`` (the year once when both dates share it)."""
    if start.year == end.year:
        first = format_skeleton("MMMMd", start, locale=locale())
        return f"{first} – {format_day(end)}"
    return f"{format_day(start)} – {format_day(end)}"


def _goal(
    unit: str, measure: str, direction: str, interval: str | None, value: str, period: str
) -> str:
    params = {"value": value, "period": period}
    if interval == Interval.WEEK:
        return _("Get %(value)s every week in the period %(period)s") % params
    if interval == Interval.MONTH:
        return _("Get %(value)s every month in the period %(period)s") % params
    if interval == Interval.QUARTER:
        return _("Get %(value)s every quarter in the period %(period)s") % params
    if measure == Measure.AVERAGE:
        if direction == Direction.DECREASE:
            return _("Average at most %(value)s in the period %(period)s") % params
        return _("Average at least %(value)s in the period %(period)s") % params
    if unit == Unit.RANK or (measure == Measure.LAST and direction == Direction.INCREASE):
        return _("Reach %(value)s in the period %(period)s") % params
    if direction == Direction.DECREASE:
        return _("Get down to %(value)s in the period %(period)s") % params
    return _("Get %(value)s in the period %(period)s") % params


def kpi_sentence(
    *,
    name: str,
    start: dt.date,
    end: dt.date,
    target: Decimal | None,
    unit: str = Unit.COUNT,
    unit_label: str = "",
    direction: str = Direction.INCREASE,
    measure: str = Measure.SUM,
    interval: str | None = None,
    interval_target: Decimal | None = None,
    items: int = 0,
    currency: str = "DKK",
) -> str:
    """The KPI's number and period in words. The name leads the sentence when the unit
    alone does not say what is counted (money, percent, rank, or no unit label)."""
    period = period_phrase(start, end)
    if measure == Measure.CHECKLIST:
        count = items or int(target or 0)
        return ngettext(
            "%(name)s: tick off %(count)s item in the period %(period)s",
            "%(name)s: tick off %(count)s items in the period %(period)s",
            count,
        ) % {
            "name": name.strip(),
            "count": count,
            "period": period,
        }
    amount = interval_target if interval else target
    value = format_value(amount, unit=unit, unit_label=unit_label, currency=currency)
    goal = _goal(unit, measure, direction, interval, value, period)
    says_what = unit in (Unit.COUNT, Unit.NUMBER) and unit_label.strip()
    if says_what or not name.strip():
        return goal
    return f"{name.strip()}: {goal[:1].lower()}{goal[1:]}"


def kpi_sentence_of(kpi: Kpi, *, items: int = 0) -> str:
    return kpi_sentence(
        name=kpi.name,
        start=kpi.start,
        end=kpi.end,
        target=kpi.target,
        unit=kpi.unit,
        unit_label=kpi.unit_label,
        direction=kpi.direction,
        measure=kpi.measure,
        interval=kpi.interval,
        interval_target=kpi.interval_target,
        items=items,
        currency=kpi.organisation.currency,
    )
