"""Template filters for numbers and dates in the active language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template

from fokus.kpis.formatting import format_day, format_kpi_value
from fokus.kpis.models import Kpi
from fokus.web import presenters

register = template.Library()


@register.filter
def kpi_value(value: Decimal | float | None, kpi: Kpi) -> str:
    """``{{ checkin.value|kpi_value:kpi }}``: a value in the KPI's unit."""
    return format_kpi_value(kpi, value)


@register.filter
def day(value: dt.date | None, fmt: str = "long") -> str:
    """``{{ kpi.start|day }}`` or ``{{ kpi.start|day:"short" }}``."""
    return "" if value is None else format_day(value, fmt)


@register.filter
def card_prefix(kpi: Kpi) -> str:
    """The form prefix of a KPI's dashboard card (unique ids with many cards)."""
    return presenters.card_prefix(kpi)
