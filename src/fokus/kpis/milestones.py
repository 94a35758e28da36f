"""Default sub-goals: the target split linearly over the period's quarters (the article:
"define a number of sub-goals, preferably split into quarters")."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from fokus.core.periods import Period, sub_periods

MIN_DAYS_FOR_QUARTERS = 180


def milestone_parts(start: dt.date, end: dt.date) -> list[Period]:
    """The parts a period's sub-goals close: four for half a year or more (K1–K4 for a
    calendar year), the months of a three-month period, else none."""
    if end <= start:
        return []
    period = Period(start, end)
    if period.days >= MIN_DAYS_FOR_QUARTERS:
        return sub_periods(period, 4)
    if period.whole_months == 3:
        return sub_periods(period, 3)
    return []


def split_linearly(
    start: dt.date, end: dt.date, baseline: Decimal, target: Decimal
) -> list[tuple[dt.date, Decimal]]:
    """Sub-goals at the end of every part but the last (which ends at the target), each
    part adding an equal share of ``target - baseline`` (rounded to two decimals)."""
    parts = milestone_parts(start, end)
    if len(parts) < 2:
        return []
    step = (target - baseline) / len(parts)
    return [(part.end, _tidy(baseline + step * (i + 1))) for i, part in enumerate(parts[:-1])]


def _tidy(value: Decimal) -> Decimal:
    """Two decimals at most, none when whole (``2.5``, ``5``, ``266.67``)."""
    value = value.quantize(Decimal("0.01"), ROUND_HALF_UP)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return (
        value.quantize(Decimal("0.1")) if value * 10 == (value * 10).to_integral_value() else value
    )
