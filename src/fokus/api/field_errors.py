"""Pydantic's reasons for a bad field of an API request, said in the user's language.

pydantic words its errors in English only; each error has a stable ``type`` and, for
some, context values (a limit, the allowed choices). The types an API client can meet
are said here in Danish and English; any other keeps pydantic's own words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext, ngettext


def _number(_ctx: dict[str, Any]) -> str:
    return gettext("Must be a number, such as 1234.5.")


def _whole(_ctx: dict[str, Any]) -> str:
    return gettext("Must be a whole number.")


def _date(_ctx: dict[str, Any]) -> str:
    return gettext("Must be a date as YYYY-MM-DD, such as 2027-12-31.")


def _datetime(_ctx: dict[str, Any]) -> str:
    return gettext("Must be a date and time, such as 2027-12-31T14:00:00+01:00.")


def _choices(ctx: dict[str, Any]) -> str:
    # pydantic lists them as "'a', 'b' or 'c'".
    expected = str(ctx.get("expected", "")).replace(" or ", ", ")
    return gettext("Must be one of: %(choices)s.") % {"choices": expected}


def _count(ctx: dict[str, Any], key: str) -> int:
    return int(ctx.get(key, 0))


def _max_digits(ctx: dict[str, Any]) -> str:
    n = _count(ctx, "max_digits")
    return ngettext("At most %(count)s digit.", "At most %(count)s digits.", n) % {"count": n}


def _max_places(ctx: dict[str, Any]) -> str:
    n = _count(ctx, "decimal_places")
    return ngettext("At most %(count)s decimal.", "At most %(count)s decimals.", n) % {"count": n}


def _min_characters(ctx: dict[str, Any]) -> str:
    n = _count(ctx, "min_length")
    message = ngettext("At least %(count)s character.", "At least %(count)s characters.", n)
    return message % {"count": n}


def _max_characters(ctx: dict[str, Any]) -> str:
    n = _count(ctx, "max_length")
    message = ngettext("At most %(count)s character.", "At most %(count)s characters.", n)
    return message % {"count": n}


def _min_items(ctx: dict[str, Any]) -> str:
    n = _count(ctx, "min_length")
    return ngettext("At least %(count)s item.", "At least %(count)s items.", n) % {"count": n}


def _max_items(ctx: dict[str, Any]) -> str:
    n = _count(ctx, "max_length")
    return ngettext("At most %(count)s item.", "At most %(count)s items.", n) % {"count": n}


def _bound(ctx: dict[str, Any]) -> str:
    if "gt" in ctx:
        return gettext("Must be greater than %(limit)s.") % {"limit": ctx["gt"]}
    if "ge" in ctx:
        return gettext("Must be at least %(limit)s.") % {"limit": ctx["ge"]}
    if "lt" in ctx:
        return gettext("Must be less than %(limit)s.") % {"limit": ctx["lt"]}
    return gettext("Must be at most %(limit)s.") % {"limit": ctx.get("le")}


def _value_error(ctx: dict[str, Any]) -> str:
    return str(ctx.get("error", "")) or gettext("Invalid value.")


_SAY: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda _ctx: gettext("This field is required."),
    "extra_forbidden": lambda _ctx: gettext("Unknown field."),
    "string_type": lambda _ctx: gettext("Must be a text."),
    "string_unicode": lambda _ctx: gettext("Must be a text."),
    "int_type": _whole,
    "int_parsing": _whole,
    "int_from_float": _whole,
    "int_parsing_size": lambda _ctx: gettext("The number is too large."),
    "float_type": _number,
    "float_parsing": _number,
    "decimal_type": _number,
    "decimal_parsing": _number,
    "finite_number": lambda _ctx: gettext("Must be a finite number."),
    "decimal_max_digits": _max_digits,
    "decimal_max_places": _max_places,
    "bool_type": lambda _ctx: gettext("Must be true or false."),
    "bool_parsing": lambda _ctx: gettext("Must be true or false."),
    "date_type": _date,
    "date_parsing": _date,
    "date_from_datetime_parsing": _date,
    "date_from_datetime_inexact": lambda _ctx: gettext(
        "Must be a date without a time of day, such as 2027-12-31."
    ),
    "datetime_type": _datetime,
    "datetime_parsing": _datetime,
    "datetime_from_date_parsing": _datetime,
    "literal_error": _choices,
    "enum": _choices,
    "string_too_short": _min_characters,
    "string_too_long": _max_characters,
    "too_short": _min_items,
    "too_long": _max_items,
    "list_type": lambda _ctx: gettext("Must be a list."),
    "dict_type": lambda _ctx: gettext("Must be an object."),
    "model_type": lambda _ctx: gettext("Must be an object."),
    "model_attributes_type": lambda _ctx: gettext("Must be an object."),
    "greater_than": _bound,
    "greater_than_equal": _bound,
    "less_than": _bound,
    "less_than_equal": _bound,
    "value_error": _value_error,
}


def field_message(error: dict[str, Any]) -> str:
    """The reason for one pydantic error (an entry of ``ValidationError.errors()``)."""
    say = _SAY.get(str(error.get("type", "")))
    if say is None:
        return str(error.get("msg", ""))
    return say(error.get("ctx") or {})
