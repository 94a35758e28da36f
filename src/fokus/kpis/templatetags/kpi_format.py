"""Template filters of the KPI pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from fokus.kpis import presenters
from fokus.kpis.formatting import format_kpi_value
from fokus.kpis.models import Kpi

register = template.Library()


@register.filter
def kpi_value(value: Decimal | float | None, kpi: Kpi) -> str:
    """``{{ checkin.value|kpi_value:kpi }}``: a value in the KPI's unit."""
    return format_kpi_value(kpi, value)


@register.filter
def card_prefix(kpi: Kpi) -> str:
    """The form prefix of a KPI's dashboard card (unique ids with many cards)."""
    return presenters.card_prefix(kpi)
