"""Forms of the KPI pages: a check-in and a checklist tick (the KPI form is in kpi_form)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fokus.kpis.models import Kpi
from fokus.kpis.presenters import checkin_date_note, checkin_question
from fokus.ui.forms import DateInput, NumberField, TextField


def _say_when(form: forms.Form, kpi: Kpi | None, today: dt.date | None) -> None:
    """The date field's help: why no date is proposed, when today is outside the period."""
    if kpi is not None and today is not None:
        form.fields["date"].help_text = checkin_date_note(kpi, today)


class CheckInForm(forms.Form):
    """A check-in of ``kpi`` (given: its value is asked for by its measure, and ``today``
    says why no date is proposed when it lies outside the period); a correction passes
    neither and asks for the value."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    value = NumberField(label=_("Value"))
    note = TextField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(
        self, *args: Any, kpi: Kpi | None = None, today: dt.date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if kpi is not None:
            self.fields["value"].label = checkin_question(kpi)
        _say_when(self, kpi, today)


class TickForm(forms.Form):
    item = forms.TypedChoiceField(label=_("Item"), coerce=int)
    date = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(
        self,
        *args: Any,
        items: list[Any] | tuple[Any, ...] = (),
        kpi: Kpi | None = None,
        today: dt.date | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(item.pk, item.name) for item in items]  # type: ignore[attr-defined]
        _say_when(self, kpi, today)
