"""Turning user text into values and dates, with KPI errors for bad input."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from fokus.kpis.errors import KpiError
from fokus.kpis.models import VALUE_DIGITS, VALUE_PLACES

MAX_WHOLE_DIGITS = VALUE_DIGITS - VALUE_PLACES
# SQLite keeps a decimal column as a double: 15 significant digits come back exactly.
SIGNIFICANT = 15


def kept_decimal(value: Decimal, places: int) -> Decimal:
    """``value`` as the database keeps it on SQLite and PostgreSQL alike: rounded half-even
    to at most ``places`` decimals and 15 significant digits (a float sent by a client,
    ``37.69453228497384``, has more of both)."""
    _sign, digits, exponent = value.as_tuple()
    if len(digits) <= SIGNIFICANT and isinstance(exponent, int) and exponent >= -places:
        return value
    keep = min(places, SIGNIFICANT - 1 - value.adjusted())
    return value.quantize(Decimal(1).scaleb(-keep), rounding=ROUND_HALF_EVEN)


def check_text(text: str, *, field: str | None = None) -> str:
    if "\x00" in text:
        raise KpiError("nul_byte", field=field)
    return text


def external_id_of(value: str | None) -> str | None:
    """An external id as stored: a blank one is no id at all (else every check-in sent
    with ``""`` would count as the same one and be dropped)."""
    if value is None or not value.strip():
        return None
    return value


def parse_value(raw: str | int | float | Decimal, *, field: str = "value") -> Decimal:
    """A finite decimal that fits the value columns, rounded as they keep it
    (``kept_decimal``); accepts a decimal comma."""
    if isinstance(raw, bool):
        raise KpiError("not_a_number", field=field, text=raw)
    if isinstance(raw, Decimal | int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    else:
        text = check_text(str(raw), field=field).strip().replace(" ", "").replace("\u00a0", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise KpiError("not_a_number", field=field, text=raw) from None
    if not value.is_finite():
        raise KpiError("not_a_number", field=field, text=raw)
    # The size first: rounding a huge number to the kept decimals would overflow.
    if abs(value) >= Decimal(10) ** MAX_WHOLE_DIGITS:
        raise KpiError("too_large", field=field, text=raw)
    return kept_decimal(value, VALUE_PLACES)


def parse_date(raw: str | dt.date, *, field: str = "date") -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    text = check_text(str(raw), field=field).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise KpiError("not_a_date", field=field, text=raw) from None


def parse_milestone(text: str) -> tuple[dt.date, Decimal]:
    date_text, sep, value_text = check_text(text, field="milestones").partition(":")
    if not sep:
        raise KpiError("invalid_milestone", field="milestones", text=text)
    return parse_date(date_text, field="milestones"), parse_value(value_text, field="milestones")


_GROUPED = {
    # language: (thousands separator, decimal separator)
    "da": (".", ","),
    "en": (",", "."),
}


def parse_localised_value(
    raw: str | int | float | Decimal, *, language: str, field: str = "value"
) -> Decimal:
    """A number as a person types it in the UI language: ``1.000.000`` or ``2,5`` in
    Danish, ``1,000,000`` or ``2.5`` in English; plain forms are always accepted."""
    if isinstance(raw, str):
        text = check_text(raw, field=field).strip().replace(" ", "").replace("\u00a0", "")
        thousands, decimal = _GROUPED.get(language[:2], _GROUPED["en"])
        whole, sep, fraction = text.partition(decimal)
        if thousands in whole and _is_grouped(whole.lstrip("+-"), thousands):
            whole = whole.replace(thousands, "")
            text = whole + ("." + fraction if sep else "")
        elif sep and thousands not in fraction:
            text = whole + "." + fraction
    return parse_value(raw if not isinstance(raw, str) else text, field=field)


def _is_grouped(digits: str, separator: str) -> bool:
    groups = digits.split(separator)
    return (
        1 <= len(groups[0]) <= 3
        and all(g.isdigit() for g in groups)
        and all(len(g) == 3 for g in groups[1:])
    )
