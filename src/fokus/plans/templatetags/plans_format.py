"""Template filters of the planners."""

from __future__ import annotations

from decimal import Decimal

from django import template

from fokus.ui.formatting import format_value

register = template.Library()


@register.filter
def count(value: int | Decimal | float | None) -> str:
    """``{{ stage.required|count }}``: a whole number the way the UI language groups it."""
    return format_value(value, unit="count")
