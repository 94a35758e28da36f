"""Periods: parsing period strings, splitting periods and calendar intervals.

A period is ``[start, end]`` with both dates inclusive (docs/engine.md "Dates").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from .errors import PeriodError

__all__ = [
    "Period",
    "intervals",
    "month_end",
    "parse_period",
    "quarter_label",
    "sub_periods",
]

_YEAR = re.compile(r"([0-9]{4})", re.ASCII)
_QUARTER = re.compile(r"([0-9]{4})-([KkQq])([1-4])", re.ASCII)
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})", re.ASCII)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)

_INTERVAL_KINDS = ("week", "month", "quarter")


def month_end(year: int, month: int) -> date:
    """The last day of ``year``-``month``."""
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def quarter_label(start: date) -> str:
    """Label of the calendar quarter containing ``start``, e.g. ``2027-K2``."""
    return f"{start.year:04d}-K{(start.month - 1) // 3 + 1}"


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive date range ``[start, end]``."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(
                "period_invalid",
                f"The period ends ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()}).",
                field="period",
                text=f"{self.start.isoformat()}..{self.end.isoformat()}",
                start=self.start.isoformat(),
                end=self.end.isoformat(),
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def whole_months(self) -> int | None:
        """Number of calendar months when the period is whole months, else ``None``."""
        start, end = self.start, self.end
        if start.day != 1 or end != month_end(end.year, end.month):
            return None
        return (end.year - start.year) * 12 + end.month - start.month + 1

    @property
    def label(self) -> str:
        start, end = self.start, self.end
        months = self.whole_months
        if months is not None:
            if months == 12 and start.month == 1:
                return f"{start.year:04d}"
            if months == 3 and start.month % 3 == 1:
                return quarter_label(start)
            if months == 1:
                return f"{start.year:04d}-{start.month:02d}"
        return f"{start.isoformat()}..{end.isoformat()}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def _invalid(text: object) -> PeriodError:
    return PeriodError(
        "period_invalid",
        f"Not a valid period: {text!r}. Use e.g. 2027, 2027-K2, 2027-05 or 2027-01-15..2027-03-01.",
        field="period",
        text=str(text),
    )


def _parse(text: str) -> Period:
    if m := _YEAR.fullmatch(text):
        year = int(m[1])
        return Period(date(year, 1, 1), date(year, 12, 31))
    if m := _QUARTER.fullmatch(text):
        year, quarter = int(m[1]), int(m[3])
        first = 3 * quarter - 2
        return Period(date(year, first, 1), month_end(year, first + 2))
    if m := _MONTH.fullmatch(text):
        year, month = int(m[1]), int(m[2])
        return Period(date(year, month, 1), month_end(year, month))
    first_text, sep, last_text = text.partition("..")
    if sep:
        first_text, last_text = first_text.strip(), last_text.strip()
        if _ISO_DATE.fullmatch(first_text) and _ISO_DATE.fullmatch(last_text):
            return Period(date.fromisoformat(first_text), date.fromisoformat(last_text))
    raise ValueError(text)


def parse_period(text: str) -> Period:
    """Parse ``2027``, ``2027-K2``/``2027-Q2``, ``2027-05`` or ``START..END`` (ISO dates)."""
    if not isinstance(text, str):
        raise _invalid(text)
    stripped = text.strip()
    try:
        return _parse(stripped)
    except ValueError:  # includes PeriodError (end before start) and bad dates
        raise _invalid(text) from None


def sub_periods(period: Period, n: int) -> list[Period]:
    """Split ``period`` into ``n`` consecutive parts covering every day exactly once.

    Whole-month periods whose month count divides by ``n`` split by whole months
    (a year in 4 gives K1..K4); otherwise the days are spread as evenly as possible,
    the earlier parts getting the extra day.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1 or n > period.days:
        raise PeriodError(
            "period_split_invalid",
            f"Cannot split a period of {period.days} days into {n!r} parts.",
            field="n",
            n=n,
            days=period.days,
        )
    months = period.whole_months
    if months is not None and months % n == 0:
        step = months // n
        parts = []
        year, month = period.start.year, period.start.month
        for _ in range(n):
            last_year, last_month = _add_months(year, month, step - 1)
            parts.append(Period(date(year, month, 1), month_end(last_year, last_month)))
            year, month = _add_months(year, month, step)
        return parts
    size, extra = divmod(period.days, n)
    parts = []
    first = period.start
    for i in range(n):
        length = size + (1 if i < extra else 0)
        last = first + timedelta(days=length - 1)
        parts.append(Period(first, last))
        first = last + timedelta(days=1)
    return parts


@lru_cache(maxsize=1024)
def interval_table(start: date, end: date, kind: str) -> tuple[tuple[date, date], ...]:
    """Cached ``intervals`` as a tuple (shared; never mutate)."""
    if kind not in _INTERVAL_KINDS:
        raise PeriodError(
            "unknown_interval",
            f"Unknown interval {kind!r}; use week, month or quarter.",
            field="interval",
            value=str(kind),
        )
    out: list[tuple[date, date]] = []
    first = start
    while first <= end:
        if kind == "week":
            natural_end = first + timedelta(days=6 - first.weekday())
        elif kind == "month":
            natural_end = month_end(first.year, first.month)
        else:
            quarter_last = 3 * ((first.month - 1) // 3) + 3
            natural_end = month_end(first.year, quarter_last)
        last = min(natural_end, end)
        out.append((first, last))
        if last == date.max:
            break
        first = last + timedelta(days=1)
    return tuple(out)


def intervals(start: date, end: date, kind: str) -> list[tuple[date, date]]:
    """Calendar weeks (Mon-Sun), months or quarters overlapping ``[start, end]``, clipped.

    Empty when ``end < start``.
    """
    return list(interval_table(start, end, str(kind)))
