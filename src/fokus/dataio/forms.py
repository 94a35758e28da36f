"""Forms of the data pages: upload, column mapping, export and API token names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fokus.dataio.exporting import TABLES
from fokus.dataio.importing import ImportKind
from fokus.dataio.models import ImportKind as Kind
from fokus.dataio.readers import MB, max_file_bytes


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What does the file hold?"), choices=Kind.choices)
    file = forms.FileField(
        label=_("CSV or Excel file (.xlsx)"),
        help_text=_(
            "Danish or English column names; ; or , between columns; dates like 31-12-2027."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_file_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.") % {"limit": max_file_bytes() // MB}
            )
        return upload


class MappingForm(forms.Form):
    """One choice per field of the import kind: which column of the file holds it."""

    def __init__(self, *args: Any, kind: ImportKind, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —"))] + [
            (str(i), header or _("Column %(number)s") % {"number": i + 1})
            for i, header in enumerate(headers)
        ]
        for column in kind.columns:
            self.fields[f"map_{column.name}"] = forms.ChoiceField(
                label=str(column.label), choices=choices, required=column.required
            )

    def mapping(self) -> dict[str, int]:
        return {
            name.removeprefix("map_"): int(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("map_") and value != ""
        }


class ClockStartForm(forms.Form):
    """Customers of a file who would be overdue from day one: count contact from a day
    (today by default) for the rows with neither a last contact nor a clock start, or
    keep them overdue."""

    CLOCK = "clock"
    OVERDUE = "overdue"

    start = forms.ChoiceField(
        label=_("Where should their contact interval count from?"),
        choices=[
            (CLOCK, _("Count contact from this day for every row without a known contact")),
            (OVERDUE, _("Keep them overdue (count from “customer since”)")),
        ],
        widget=forms.RadioSelect,
        initial=CLOCK,
    )
    start_on = forms.DateField(
        label=_("Count contact from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") == self.CLOCK and data.get("start_on") is None:
            self.add_error("start_on", _("Give the day to count contact from."))
        return data

    def clock_start(self) -> dt.date | None:
        if self.cleaned_data["start"] == self.CLOCK:
            day: dt.date = self.cleaned_data["start_on"]
            return day
        return None


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV")], initial="xlsx"
    )
    table = forms.ChoiceField(
        label=_("What"),
        choices=[
            ("kpis", _("KPIs with their status")),
            ("checkins", _("Check-ins")),
            ("customers", _("Customers")),
            ("contacts", _("Contacts")),
            ("all", _("Everything (Excel: one sheet each)")),
        ],
        initial="all",
    )
    english = forms.BooleanField(
        label=_("CSV with commas and decimal points (not Danish Excel)"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("format") == "csv" and data.get("table") == "all":
            raise forms.ValidationError(_("A CSV file holds one table: choose which."))
        return data

    def tables(self) -> tuple[str, ...]:
        table = self.cleaned_data["table"]
        return TABLES if table == "all" else (table,)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is the token for?"),
        max_length=100,
        required=False,
        help_text=_("E.g. “Zapier” or “nightly import”."),
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        return name.strip()
