"""Template filters for dates in the active language."""

from __future__ import annotations

import datetime as dt

from django import template

from fokus.ui.formatting import format_day

register = template.Library()


@register.filter
def day(value: dt.date | None, fmt: str = "long") -> str:
    """``{{ kpi.start|day }}`` or ``{{ kpi.start|day:"short" }}``."""
    return "" if value is None else format_day(value, fmt)
