"""The forms of the guide's steps. Numbers are typed as the UI language writes them,
rates as percentages (10 means 10 %)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fokus.kpis.kpi_templates import KpiTemplate, template_get
from fokus.kpis.models import Cadence, Kpi, Measure
from fokus.plans.forms import UPSELL_MODES, RatesForm
from fokus.plans.models import Placement
from fokus.ui.forms import DateInput, NumberField, TextField

# The leading KPIs the marketing step offers (the funnel's own stages come from the
# funnel step).
MARKETING_TEMPLATES = (
    "newsletter-readers",
    "google-top-3",
    "linkedin-15",
    "named-media",
    "followers",
    "newsletter-customers",
)
MAX_AMOUNT = Decimal(10) ** 12


class GoalForm(forms.Form):
    new_customers = forms.IntegerField(
        label=_("New customers this year"),
        min_value=1,
        max_value=10**6,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    annual_spend = NumberField(
        label=_("What one new customer buys a year (kr.)"),
        help_text=_("For example 100.000."),
    )

    def clean_annual_spend(self) -> Decimal:
        value: Decimal = self.cleaned_data["annual_spend"]
        if not Decimal(0) < value < MAX_AMOUNT:
            raise forms.ValidationError(_("Give an amount above 0 and below 1.000.000.000.000 kr."))
        return value


class LeversForm(forms.Form):
    upsell_mode = forms.ChoiceField(
        label=_("Count the extra sales as"),
        choices=UPSELL_MODES,
        widget=forms.RadioSelect,
        initial="percent",
    )
    upsell_value = NumberField(
        label=_("How much more per customer (kr. or %)"),
        required=False,
        help_text=_("Leave it empty to skip this lever."),
    )
    retention_months = forms.IntegerField(
        label=_("Keep every customer this many months longer"),
        min_value=0,
        max_value=120,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Leave it empty to skip this lever."),
    )
    retention_default = NumberField(
        label=_("Monthly revenue of a customer without one on record (kr.)"),
        required=False,
    )


class FunnelStepForm(RatesForm):
    """The year's funnel: its buyers, the stages' names and the rates between them."""

    goal = forms.IntegerField(
        label=_("Buyers at the bottom of the funnel"),
        min_value=1,
        max_value=10**9,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    placement = forms.ChoiceField(
        label=_("Placement"),
        choices=Placement.choices,
        widget=forms.RadioSelect,
        initial=Placement.SEQUENTIAL,
    )

    def __init__(self, *args: Any, names: list[str], **kwargs: Any) -> None:
        super().__init__(*args, stages=len(names), names=names, **kwargs)
        for i in range(self.stages):
            self.fields[f"name_{i}"] = TextField(
                label=_("Name of stage %(n)s") % {"n": i + 1}, max_length=200
            )

    def names(self) -> list[str]:
        return [self.cleaned_data[f"name_{i}"] for i in range(self.stages)]

    def rows(self) -> list[tuple[Any, Any]]:
        """(name field, rate field or None) per stage, top to bottom."""
        return [
            (self[f"name_{i}"], self[f"rate_{i}"] if i < self.stages - 1 else None)
            for i in range(self.stages)
        ]


def marketing_templates() -> list[KpiTemplate]:
    return [t for slug in MARKETING_TEMPLATES if (t := template_get(slug)) is not None]


class MarketingForm(forms.Form):
    """A checkbox per template and, where the template has a number, its target. A
    template whose KPI the year has already is ticked and uses that KPI."""

    def __init__(self, *args: Any, existing: dict[str, Kpi], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.existing = existing
        for template in marketing_templates():
            self.fields[f"pick_{template.slug}"] = forms.BooleanField(
                label=str(template.example),
                required=False,
                initial=template.slug in existing,
            )
            if template.measure != Measure.CHECKLIST and template.slug not in existing:
                self.fields[f"target_{template.slug}"] = NumberField(
                    label=_("Target"), required=False
                )

    def rows(self) -> list[tuple[KpiTemplate, Any, Any, Kpi | None]]:
        """(template, checkbox, target field or None, the KPI it uses already) per
        template."""
        return [
            (
                t,
                self[f"pick_{t.slug}"],
                self[f"target_{t.slug}"] if f"target_{t.slug}" in self.fields else None,
                self.existing.get(t.slug),
            )
            for t in marketing_templates()
        ]

    def targets(self) -> dict[str, Decimal | None]:
        """The picked templates, with the target typed (None: the template's own)."""
        return {
            t.slug: self.cleaned_data.get(f"target_{t.slug}")
            for t in marketing_templates()
            if self.cleaned_data.get(f"pick_{t.slug}")
        }


class CareForm(forms.Form):
    interval = forms.IntegerField(
        label=_("Contact every customer at least every … months"),
        min_value=1,
        max_value=36,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    start_clock = forms.BooleanField(
        label=_("Start their contact clock on this date"), required=False, initial=True
    )
    clock_start = forms.DateField(label=_("Count contact from"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, can_manage: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_manage:
            self.fields["interval"].disabled = True


CADENCES = [
    (Cadence.WEEKLY, _("Every week")),
    (Cadence.MONTHLY, _("Every month")),
    ("", _("No reminder")),
]


class CheckinsForm(forms.Form):
    """A cadence per KPI of the year."""

    def __init__(self, *args: Any, kpis: list[Kpi], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kpis = kpis
        for kpi in kpis:
            self.fields[f"cadence_{kpi.pk}"] = forms.ChoiceField(
                label=kpi.name, choices=CADENCES, required=False, initial=kpi.cadence
            )

    def rows(self) -> list[tuple[Kpi, Any]]:
        return [(kpi, self[f"cadence_{kpi.pk}"]) for kpi in self.kpis]

    def cadences(self) -> dict[int, str]:
        return {kpi.pk: self.cleaned_data.get(f"cadence_{kpi.pk}") or "" for kpi in self.kpis}
