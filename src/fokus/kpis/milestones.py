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


def milestones_moved(
    rows: list[tuple[dt.date, Decimal]],
    old: Period,
    new: Period,
    baseline: Decimal,
    target: Decimal | None,
) -> list[tuple[dt.date, Decimal]]:
    """Sub-goals set for the period ``old`` when the period becomes ``new``.

    Sub-goals that already lie in ``new`` stay as they are. Otherwise they follow the
    period: when each closes a part of ``old`` (the end of K1, K2, K3) and ``new`` has as
    many parts, each moves to the end of the same part of ``new`` with its value; else the
    target is split evenly over the parts of ``new`` (``split_linearly``)."""
    if not rows or all(new.start <= day < new.end for day, _value in rows):
        return sorted(rows)
    old_ends = [part.end for part in milestone_parts(old.start, old.end)[:-1]]
    new_ends = [part.end for part in milestone_parts(new.start, new.end)[:-1]]
    if len(old_ends) == len(new_ends) and all(day in old_ends for day, _value in rows):
        where = dict(zip(old_ends, new_ends, strict=True))
        return sorted((where[day], value) for day, value in rows)
    if target is None or target == baseline:
        return []
    return split_linearly(new.start, new.end, baseline, target)
