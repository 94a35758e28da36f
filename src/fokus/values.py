"""Values as the product keeps them: text without NUL characters, numbers as the value
columns keep them, dates, read from what a person or a client sends (a bad value is an
``InputError`` naming its field), and numbers written back as JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import overload

from fokus.errors import InputError

# Values keep 10 decimals (money is exact; a value with more is rounded half-even, as a
# float sent by a client often has), and up to 16 digits before the decimal point.
VALUE_DIGITS = 26
VALUE_PLACES = 10
MAX_WHOLE_DIGITS = VALUE_DIGITS - VALUE_PLACES
VALUE_LIMIT = Decimal(10) ** MAX_WHOLE_DIGITS
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


def check_text(text: str, *, field: str | None = None, limit: int | None = None) -> str:
    """``text`` unchanged when it can be stored: no NUL character (PostgreSQL cannot keep
    one) and, with a ``limit``, at most that many characters."""
    if "\x00" in text:
        raise InputError("nul_byte", field=field)
    if limit is not None and len(text) > limit:
        raise InputError("text_too_long", field=field, limit=limit)
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
        raise InputError("not_a_number", field=field, text=raw)
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
            raise InputError("not_a_number", field=field, text=raw) from None
    if not value.is_finite():
        raise InputError("not_a_number", field=field, text=raw)
    # The size first: rounding a huge number to the kept decimals would overflow.
    if abs(value) >= VALUE_LIMIT:
        raise InputError("too_large", field=field, text=raw)
    return kept_decimal(value, VALUE_PLACES)


def parse_date(raw: str | dt.date, *, field: str = "date") -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    text = check_text(str(raw), field=field).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError("not_an_iso_date", field=field, text=raw) from None


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


def value_check(value: Decimal) -> InputError | None:
    """Why ``value`` does not fit the value column (as ``parse_value`` says), or None: only a
    value that is not a finite number or too large (more decimals are rounded)."""
    if value.is_finite() and abs(value) < VALUE_LIMIT:
        return None
    try:
        parse_value(value)
    except InputError as error:
        return error
    return None


@overload
def json_number(value: Decimal) -> int | float: ...
@overload
def json_number(value: None) -> None: ...
@overload
def json_number(value: Decimal | None) -> int | float | None: ...


def json_number(value: Decimal | None) -> int | float | None:
    """A kept number as JSON writes it: a whole one as an integer (``800``, not
    ``800.0000000000``), any other as a float; None stays None."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def check_choice(value: str, choices: Iterable[str], *, field: str) -> str:
    """``value`` when it is one of ``choices`` (a ``TextChoices``' values), else an
    ``InputError`` that names the field and lists the choices."""
    allowed = list(choices)
    if value not in allowed:
        raise InputError(
            "invalid_choice", field=field, value=value, name=field, choices=", ".join(allowed)
        )
    return value
