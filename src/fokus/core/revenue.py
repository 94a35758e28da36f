"""Revenue levers: what new customers, upsell and retention are worth (docs/engine.md).

Money stays Decimal throughout.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from .errors import CoreError

__all__ = [
    "MIN_REALISM_SAMPLE",
    "RECENT_MONTHS",
    "RETENTION_TABLE_MONTHS",
    "Realism",
    "UpsellMode",
    "first_year_revenue",
    "last_12_months",
    "median",
    "new_customers_revenue",
    "realism",
    "recent_start",
    "retention_revenue",
    "retention_table",
    "upsell_revenue",
]

MIN_REALISM_SAMPLE = 3
# The realism check looks at customers who started within this many months.
RECENT_MONTHS = 24
# "And why stop at 2 months?": the retention lever for these numbers of months.
RETENTION_TABLE_MONTHS = (2, 3, 6, 12)


class UpsellMode(StrEnum):
    fixed = "fixed"
    percent = "percent"


def _count(value: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CoreError(
            "count_invalid",
            f"{field} must be a whole number of at least 0 (got {value!r}).",
            field=field,
            value=str(value),
        )
    return value


def new_customers_revenue(count: int, annual_spend: Decimal) -> Decimal:
    """``count`` new customers each spending ``annual_spend`` a year."""
    return Decimal(_count(count, "count")) * annual_spend


def upsell_revenue(customers_last12: Sequence[Decimal], mode: str, value: Decimal) -> Decimal:
    """Upsell over the active customers, given each one's revenue of the last 12 months.

    ``fixed``: every customer adds ``max(0, value)``; ``percent``: every customer adds
    ``value x revenue`` where ``value`` is a fraction (0.10 for 10 %).
    """
    if mode == UpsellMode.fixed:
        return Decimal(len(customers_last12)) * max(Decimal(0), value)
    if mode == UpsellMode.percent:
        return sum((value * revenue for revenue in customers_last12), Decimal(0))
    raise CoreError(
        "upsell_mode_invalid",
        f"Unknown upsell mode {mode!r}; use fixed or percent.",
        field="mode",
        value=str(mode),
    )


def retention_revenue(
    monthly_revenues: Sequence[Decimal | None], months: int, default_monthly: Decimal
) -> Decimal:
    """Keeping each active customer ``months`` longer: their own monthly revenue, or the
    planner's default where it is unknown (``None``)."""
    span = Decimal(_count(months, "months"))
    total = Decimal(0)
    for monthly in monthly_revenues:
        total += span * (default_monthly if monthly is None else monthly)
    return total


def median(values: Sequence[Decimal]) -> Decimal | None:
    """The median, ``None`` for no values; the mean of the middle two for an even count."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True, slots=True)
class Realism:
    median_first_year_revenue: Decimal | None
    planned_annual_spend: Decimal
    warning: bool


def realism(first_year_revenues: Sequence[Decimal], planned_annual_spend: Decimal) -> Realism:
    """Compare a planned annual spend with the median first-year revenue of recent
    customers (the caller passes those who started within the last 24 months). Needs at
    least 3 of them; warns when the plan exceeds the median."""
    middle = median(first_year_revenues) if len(first_year_revenues) >= MIN_REALISM_SAMPLE else None
    return Realism(
        median_first_year_revenue=middle,
        planned_annual_spend=planned_annual_spend,
        warning=middle is not None and planned_annual_spend > middle,
    )


def retention_table(
    monthly_revenues: Sequence[Decimal | None],
    default_monthly: Decimal,
    months: Sequence[int] = RETENTION_TABLE_MONTHS,
) -> list[tuple[int, Decimal]]:
    """The retention lever for several numbers of months ("why stop at 2 months?")."""
    return [(m, retention_revenue(monthly_revenues, m, default_monthly)) for m in months]


def last_12_months(today: date) -> tuple[date, date]:
    """The window of "the last 12 months" as of ``today``, both ends inclusive."""
    return today - relativedelta(months=12) + timedelta(days=1), today


def recent_start(since: date, today: date) -> bool:
    """Did a customer who started on ``since`` start within the last 24 months?"""
    return today - relativedelta(months=RECENT_MONTHS) <= since <= today


def first_year_revenue(
    since: date, entries: Iterable[tuple[date, Decimal]], today: date
) -> Decimal:
    """A customer's revenue in their first year ``[since, since + 12 months)``, as far as
    it has run by ``today``."""
    end = since + relativedelta(months=12)
    return sum(
        (amount for day, amount in entries if since <= day < end and day <= today), Decimal(0)
    )
