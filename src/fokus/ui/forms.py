"""Form fields every page shares (numbers and text as people type them) and the one
adapter that shows a refusal of the product on a form (``add_refusal``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from django import forms
from django.utils.translation import get_language

from fokus.errors import REFUSALS, ProductError, refusal
from fokus.ui.formatting import locale
from fokus.values import check_text, parse_localised_value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class NumberField(forms.Field):
    """A number typed the way the UI language writes it (``1.000.000``, ``2,5``)."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"inputmode": "decimal", "autocomplete": "off"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values or not str(value).strip():
            return None
        text = str(value).strip()[:60]
        try:
            return parse_localised_value(text, language=get_language() or "da")
        except ProductError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


class TextField(forms.CharField):
    """Text that refuses NUL characters (PostgreSQL cannot store them)."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        try:
            return check_text(text)
        except ProductError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


def plain_number(value: Decimal | None) -> str:
    """A stored number as a form shows it in the UI language, without grouping or
    trailing zeros (``2,5`` in Danish, ``2.5`` in English)."""
    if value is None:
        return ""
    return format_decimal(value, format="0.####", locale=locale())


def add_refusal(form: forms.Form, error: Exception, fields: dict[str, str] | None = None) -> None:
    """Show a refusal of the product (``fokus.errors.REFUSALS``) at the field it concerns,
    or above the form when it concerns none of the form's fields; ``fields`` renames a
    service's field to the form's."""
    assert isinstance(error, REFUSALS)
    said = refusal(error)
    name = (fields or {}).get(said.field or "", said.field)
    form.add_error(name if name in form.fields else None, said.message)
