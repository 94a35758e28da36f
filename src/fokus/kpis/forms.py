"""Forms of the KPI pages: a check-in and a checklist tick (the KPI form is in kpi_form)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fokus.ui.forms import DateInput, NumberField, TextField


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
