"""Numbers of the planners for people, in the active language."""

from __future__ import annotations

from babel import Locale
from babel.numbers import format_percent

from fokus.ui.formatting import locale


def format_rate(value: float | None) -> str:
    """A conversion rate with up to one decimal, spaced as the language does: ``4,7 %``
    in Danish, ``4.7%`` in English; "" when unknown."""
    if value is None:
        return ""
    loc = locale()
    pattern = Locale.parse(loc).percent_formats[None].pattern.replace("0", "0.#", 1)
    return format_percent(value, format=pattern, locale=loc)
