"""Forms of the customer pages. They only turn text into typed values; the services check
the rules and their errors are put back on the form (``fokus.ui.forms.add_refusal``)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fokus.accounts.models import Organisation, User
from fokus.customers.models import ContactKind, CustomerStatus, Partner
from fokus.errors import ProductError, refusal
from fokus.kpis.models import Unit
from fokus.values import parse_value

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def normalise_number(text: str, language: str) -> str:
    """A number as typed in the active language, with "." as the decimal point: in Danish
    "12.500,50" and "12.500" are 12500.50 and 12500; in English "12,500.50" and "12,500".
    A lone comma that does not group thousands is a decimal comma in both."""
    text = text.replace(" ", "").replace("\u00a0", "")
    decimal, thousands = (",", ".") if language.startswith("da") else (".", ",")
    if (decimal in text and thousands in text) or (
        thousands in text and re.fullmatch(rf"[-+]?\d{{1,3}}(\{thousands}\d{{3}})+", text)
    ):
        text = text.replace(thousands, "")
    return text.replace(",", ".")


class AmountField(forms.CharField):
    """A number typed the Danish or the English way (see ``normalise_number``)."""

    def __init__(self, *, places: int | None = None, **kwargs: Any) -> None:
        self.places = places
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        text = normalise_number(text, get_language() or "da")
        try:
            number = parse_value(text)
        except ProductError as error:
            raise forms.ValidationError(refusal(error).message) from None
        if self.places is not None and number != number.quantize(Decimal(1).scaleb(-self.places)):
            raise forms.ValidationError(
                _("Use at most %(places)s decimals.") % {"places": self.places}
            )
        return number


def no_nul(value: str) -> None:
    if "\x00" in value:
        raise forms.ValidationError(_("The text contains a NUL character, which cannot be stored."))


class TextField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.validators.append(no_nul)


class DayField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DATE_INPUT)
        super().__init__(**kwargs)


class CustomerForm(forms.Form):
    name = TextField(label=_("Name"), max_length=200, required=True)
    status = forms.ChoiceField(label=_("Status"), choices=CustomerStatus.choices)
    since = DayField(label=_("Customer since"))
    contact_person = TextField(label=_("Contact person"), max_length=200)
    email = TextField(label=_("E-mail"), max_length=254)
    phone = TextField(label=_("Phone"), max_length=40)
    cvr = TextField(label=_("CVR number"), max_length=12, help_text=_("8 digits (optional)"))
    monthly_revenue = AmountField(label=_("Monthly revenue (DKK)"), places=2, required=False)
    interval_months = forms.IntegerField(
        label=_("Contact interval (months)"), min_value=1, max_value=120
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label="—"
    )
    tags = TextField(label=_("Tags"), max_length=500, help_text=_("Separated by commas"))
    notes = TextField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}))
    last_contact = DayField(
        label=_("Last contact"),
        required=False,
        help_text=_("When you last spoke with the customer, if you know it"),
    )
    clock_start = DayField(
        label=_("Count contact from"),
        required=False,
        help_text=_("When the last contact is unknown: the contact interval counts from here"),
    )

    def __init__(
        self, *args: Any, organisation: Organisation, new: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not new:  # a customer's contacts are logged on its page
            del self.fields["last_contact"]
        self.fields["owner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__organisation=organisation
        ).order_by("email")
        self.fields["interval_months"].initial = organisation.default_contact_interval

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["tags"] = [t.strip() for t in (data.get("tags") or "").split(",") if t.strip()]
        return data


class CalmStartForm(forms.Form):
    """The second step of adding a customer who would be overdue from day one: start the
    contact clock on a day (today by default) or keep the customer overdue."""

    CLOCK = "clock"
    OVERDUE = "overdue"

    start = forms.ChoiceField(
        label=_("Where should the contact interval count from?"),
        choices=[
            (CLOCK, _("Count contact from this day")),
            (OVERDUE, _("Keep the customer overdue (count from “customer since”)")),
        ],
        widget=forms.RadioSelect,
        initial=CLOCK,
    )
    start_on = DayField(label=_("Count contact from"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") == self.CLOCK and data.get("start_on") is None:
            self.add_error("start_on", _("Give the day to count contact from."))
        return data

    def clock_start(self) -> dt.date | None:
        """The chosen clock start, or None to keep the customer overdue."""
        if self.cleaned_data["start"] == self.CLOCK:
            day: dt.date = self.cleaned_data["start_on"]
            return day
        return None


def confirmed_ids(text: str) -> set[int]:
    """The ids of the customers the user saw named and still wanted to add beside
    (the hidden field ``allow_duplicate``: "12,15")."""
    return {int(part) for part in text.split(",")[:50] if part.strip().isdigit()}


class ContactForm(forms.Form):
    date = DayField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    note = TextField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class SnoozeForm(forms.Form):
    until = DayField(label=_("Snooze until"))
    reason = TextField(label=_("Reason"), max_length=200, required=True)


class RevenueForm(forms.Form):
    date = DayField(label=_("Date"))
    amount = AmountField(label=_("Amount (DKK)"), places=2)
    description = TextField(label=_("Description"), max_length=300)


class AdvisoryForm(forms.Form):
    date = DayField(label=_("Date"))
    outcome = TextField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))


class ReferralForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    need = TextField(label=_("Need found"), required=True, widget=forms.Textarea(attrs={"rows": 2}))
    date = DayField(label=_("Date"))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        ).order_by("name")


class MonitorForm(forms.Form):
    name = TextField(label=_("What is measured"), max_length=200, required=True)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.NUMBER)
    unit_label = TextField(label=_("Unit label"), max_length=40)
    baseline = AmountField(label=_("Starting value"), initial="0")
    target = AmountField(label=_("Target"))
    lower = AmountField(label=_("Lower limit"), required=False)
    upper = AmountField(label=_("Upper limit"), required=False)
    cadence_days = forms.IntegerField(
        label=_("A reading at least every (days)"), min_value=1, max_value=3650, initial=30
    )


class ReadingForm(forms.Form):
    date = DayField(label=_("Date"))
    value = AmountField(label=_("Value"))
    note = TextField(label=_("Note"), max_length=500)


class PartnerForm(forms.Form):
    name = TextField(label=_("Name"), max_length=200, required=True)
    speciality = TextField(label=_("Speciality"), max_length=200)
    contact_person = TextField(label=_("Contact person"), max_length=200)
    email = TextField(label=_("E-mail"), max_length=254)
    phone = TextField(label=_("Phone"), max_length=40)


class FilterForm(forms.Form):
    """The list's search, filters and sort (GET); bad values fall back to "all"."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *CustomerStatus.choices]
    )
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    due = forms.ChoiceField(
        label=_("Contact"),
        required=False,
        choices=[
            ("", _("All")),
            ("overdue", _("Overdue")),
            ("due_soon", _("Due soon")),
            ("ok", _("Not due")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("contact", _("Longest since contact")),
            ("-contact", _("Latest contact")),
            ("due", _("Next due")),
            ("name", _("Name")),
        ],
    )

    def __init__(self, *args: Any, owners: list[User], tags: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("All")), *((u.pk, u.email) for u in owners)]  # type: ignore[attr-defined]
        self.fields["tag"].choices = [("", _("All")), *((t, t) for t in tags)]  # type: ignore[attr-defined]


def initial_day(today: dt.date) -> dict[str, dt.date]:
    return {"date": today}
