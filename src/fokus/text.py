"""Text helpers shared by the apps."""

from __future__ import annotations

from django.utils.text import slugify

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def danish_slugify(text: str, max_length: int = 70) -> str:
    """A URL slug that spells æ, ø and å out (Læsere → laesere) instead of dropping them."""
    return slugify(text.translate(_DANISH))[:max_length].strip("-")
