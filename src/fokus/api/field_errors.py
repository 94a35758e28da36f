"""Pydantic's reasons for a bad field of an API request, said in the user's language.

pydantic words its errors in English only; each error has a stable ``type`` and, for
some, context values (a limit, the allowed choices). The types an API client can meet
are said here in Danish and English; any other keeps pydantic's own words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext, ngettext_lazy


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


# The limits said with their number: (context key, plural-aware message).
_COUNTED = {
    "decimal_max_digits": (
        "max_digits",
        ngettext_lazy("At most %(count)s digit.", "At most %(count)s digits.", "count"),
    ),
    "decimal_max_places": (
        "decimal_places",
        ngettext_lazy("At most %(count)s decimal.", "At most %(count)s decimals.", "count"),
    ),
    "string_too_short": (
        "min_length",
        ngettext_lazy("At least %(count)s character.", "At least %(count)s characters.", "count"),
    ),
    "string_too_long": (
        "max_length",
        ngettext_lazy("At most %(count)s character.", "At most %(count)s characters.", "count"),
    ),
    "too_short": (
        "min_length",
        ngettext_lazy("At least %(count)s item.", "At least %(count)s items.", "count"),
    ),
    "too_long": (
        "max_length",
        ngettext_lazy("At most %(count)s item.", "At most %(count)s items.", "count"),
    ),
}


def _counted(key: str, message: Any) -> Callable[[dict[str, Any]], str]:
    return lambda ctx: str(message % {"count": int(ctx.get(key, 0))})


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
    "list_type": lambda _ctx: gettext("Must be a list."),
    "dict_type": lambda _ctx: gettext("Must be an object."),
    "model_type": lambda _ctx: gettext("Must be an object."),
    "model_attributes_type": lambda _ctx: gettext("Must be an object."),
    "greater_than": _bound,
    "greater_than_equal": _bound,
    "less_than": _bound,
    "less_than_equal": _bound,
    "value_error": _value_error,
    **{kind: _counted(key, message) for kind, (key, message) in _COUNTED.items()},
}


def field_message(error: dict[str, Any]) -> str:
    """The reason for one pydantic error (an entry of ``ValidationError.errors()``)."""
    say = _SAY.get(str(error.get("type", "")))
    if say is None:
        return str(error.get("msg", ""))
    return say(error.get("ctx") or {})
