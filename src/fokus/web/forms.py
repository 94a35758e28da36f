"""Forms of the web UI: check-ins and checklist ticks (the KPI form is in kpi_form)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fokus.accounts.forms import EmailAuthenticationForm
from fokus.kpis.errors import KpiError
from fokus.kpis.formatting import locale
from fokus.kpis.parsing import check_text, parse_localised_value

__all__ = [
    "CheckInForm",
    "EmailAuthenticationForm",
    "NumberField",
    "TickForm",
    "add_kpi_error",
    "plain_number",
]


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
        except KpiError as error:
            raise forms.ValidationError(str(error), code=error.code) from None


class TextField(forms.CharField):
    """Text that refuses NUL characters (PostgreSQL cannot store them)."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        try:
            return check_text(text)
        except KpiError as error:
            raise forms.ValidationError(str(error), code=error.code) from None


class CheckInForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    value = NumberField(label=_("Value"))
    note = TextField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class TickForm(forms.Form):
    item = forms.TypedChoiceField(label=_("Item"), coerce=int)
    date = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args: Any, items: list[Any] | tuple[Any, ...] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(item.pk, item.name) for item in items]  # type: ignore[attr-defined]


def plain_number(value: Decimal | None) -> str:
    """A stored number as a form shows it in the UI language, without grouping or
    trailing zeros (``2,5`` in Danish, ``2.5`` in English)."""
    if value is None:
        return ""
    return format_decimal(value, format="0.####", locale=locale())


def add_kpi_error(form: forms.Form, error: Any, fields: dict[str, str] | None = None) -> None:
    """Show a KPI or core error at its field (or above the form when it has none)."""
    from fokus.kpis.errors import error_message

    name = getattr(error, "field", None)
    name = (fields or {}).get(name or "", name)
    form.add_error(name if name in form.fields else None, error_message(error))
