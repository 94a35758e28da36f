"""Numbers, money and dates for people, in the active language (Babel)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from babel.core import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import parse_pattern
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def locale() -> str:
    return "da_DK" if (get_language() or "da").startswith("da") else "en_GB"


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


# How ``format_value`` writes a value of each unit (a KPI's ``unit``); any other unit is a
# plain number followed by its label.
CURRENCY, PERCENT, RANK = "currency", "percent", "rank"


def format_value(
    value: Decimal | float | None, *, unit: str, unit_label: str = "", currency: str = "DKK"
) -> str:
    if value is None:
        return "–"
    loc = locale()
    if unit == CURRENCY:
        return f"{format_number(value, 2, loc)} {_currency_symbol(loc, currency)}"
    if unit == PERCENT:
        return format_number(value, 1, loc) + " %"
    if unit == RANK:
        return _("no. %(rank)s") % {"rank": format_number(value, 1, loc)}
    text = format_number(value, 2, loc)
    return f"{text} {unit_label}".strip()


def format_ratio(value: float | None) -> str:
    """A ratio as a whole percentage: ``50 %`` in Danish, ``50%`` in English."""
    if value is None:
        return "–"
    loc = locale()
    _group, _point, _minus, prefix, suffix = _symbols(loc)
    return f"{prefix}{format_number(Decimal(str(value)) * 100, 0, loc)}{suffix}"


def format_day(value: dt.date, fmt: str = "long") -> str:
    return babel_format_date(value, format=fmt, locale=locale())
