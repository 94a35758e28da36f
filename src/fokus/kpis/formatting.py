"""Numbers, money, dates and statuses for people, in the active language (Babel)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from babel.core import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import parse_pattern
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from fokus.core import kpi as core
from fokus.kpis.models import Kpi, Unit

STATUS_LABELS = {
    "not_started": _("Not started"),
    "no_data": _("No data"),
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "off_track": _("Off track"),
    "achieved": _("Achieved"),
    "missed": _("Missed"),
}


def locale() -> str:
    return "da_DK" if (get_language() or "da").startswith("da") else "en_GB"


def status_label(status: core.Status | str) -> str:
    return str(STATUS_LABELS[str(status)])


@lru_cache(maxsize=16)
def _symbols(loc: str) -> tuple[str, str, str, str, str]:
    """Babel's group and decimal separators, minus sign, and percent prefix/suffix."""
    data = Locale.parse(loc)
    numbers = data.number_symbols["latn"]
    percent = parse_pattern(data.percent_formats[None].pattern)
    return (
        numbers["group"],
        numbers["decimal"],
        numbers["minusSign"],
        percent.prefix[0],
        percent.suffix[0],
    )


@lru_cache(maxsize=64)
def _currency_symbol(loc: str, currency: str) -> str:
    return Locale.parse(loc).currency_symbols.get(currency, currency)


_STEPS = {places: Decimal(1).scaleb(-places) for places in range(5)}


def format_number(value: Decimal | float | int, places: int = 2, loc: str | None = None) -> str:
    """``value`` with thousands grouped and at most ``places`` decimals (no trailing zeros)
    in the locale's symbols: ``1.234.567,5`` in Danish, ``1,234,567.5`` in English.

    The same text as Babel's ``format_decimal(value, "#,##0.##")`` (half-even rounding),
    without parsing the pattern on every call: a dashboard formats hundreds of numbers.
    """
    group, point, minus, _prefix, _suffix = _symbols(loc or locale())
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    rounded = number.quantize(_STEPS[places], rounding=ROUND_HALF_EVEN)
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    fraction = fraction.rstrip("0")
    head = len(whole) % 3 or 3
    groups = [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
    text = group.join(groups) + (point + fraction if fraction else "")
    return minus + text if rounded.is_signed() and rounded != 0 else text


def format_value(
    value: Decimal | float | None, *, unit: str, unit_label: str = "", currency: str = "DKK"
) -> str:
    if value is None:
        return "–"
    loc = locale()
    if unit == Unit.CURRENCY:
        return f"{format_number(value, 2, loc)} {_currency_symbol(loc, currency)}"
    if unit == Unit.PERCENT:
        return format_number(value, 1, loc) + " %"
    if unit == Unit.RANK:
        return _("no. %(rank)s") % {"rank": format_number(value, 1, loc)}
    text = format_number(value, 2, loc)
    return f"{text} {unit_label}".strip()


def format_kpi_value(kpi: Kpi, value: Decimal | float | None) -> str:
    return format_value(
        value, unit=kpi.unit, unit_label=kpi.unit_label, currency=kpi.organisation.currency
    )


def format_ratio(value: float | None) -> str:
    """A ratio as a whole percentage: ``50 %`` in Danish, ``50%`` in English."""
    if value is None:
        return "–"
    loc = locale()
    _group, _point, _minus, prefix, suffix = _symbols(loc)
    return f"{prefix}{format_number(Decimal(str(value)) * 100, 0, loc)}{suffix}"


def format_day(value: dt.date, fmt: str = "long") -> str:
    return babel_format_date(value, format=fmt, locale=locale())


def evaluation_summary(kpi: Kpi, evaluation: core.Evaluation) -> dict[str, str]:
    return {
        "actual": format_kpi_value(kpi, evaluation.actual),
        "plan": format_kpi_value(kpi, evaluation.plan),
        "target": format_kpi_value(kpi, evaluation.target),
        "progress": format_ratio(evaluation.progress),
        "pace": format_ratio(evaluation.pace),
        "forecast": format_kpi_value(kpi, evaluation.forecast),
    }


def outside_period_note(kpi: Kpi, date: dt.date) -> str:
    """What to tell the user who recorded a check-in on ``date``: nothing when it counts,
    else that it is kept but does not count."""
    if kpi.in_period(date):
        return ""
    message = gettext(
        "It lies outside the KPI's period (%(start)s – %(end)s), so it does not count."
    )
    return message % {"start": format_day(kpi.start), "end": format_day(kpi.end)}
