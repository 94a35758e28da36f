"""Navigation helpers: links to areas that may not be installed yet."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def optional_url(name: str, *args: Any) -> str:
    """``{% optional_url "customers:list" as url %}``: the URL, or "" when the name does
    not resolve (the area is not there yet), so the navigation never breaks."""
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return ""
