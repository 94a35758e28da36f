"""Forms of the planners. Rates are typed as percentages (25 means 25 %), numbers the
way the UI language writes them."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fokus.core.errors import CoreError
from fokus.errors import ProductError, refusal
from fokus.plans.funnel import MAX_STAGES
from fokus.plans.models import Placement
from fokus.ui.forms import NumberField, TextField

MIN_STAGES = 2
UPSELL_MODES = [
    ("fixed", gettext_lazy("A fixed amount per customer")),
    ("percent", gettext_lazy("A percentage")),
]


def percent_text(rate: Fraction | Decimal | None) -> str:
    """A rate as the percentage a form shows (``25``, ``12.5``; never ``25.000000``)."""
    if rate is None:
        return ""
    value = (
        Decimal(rate.numerator * 100) / Decimal(rate.denominator)
        if isinstance(rate, Fraction)
        else rate * 100
    )
    text = format(value.quantize(Decimal("0.0001")).normalize(), "f")
    return text


def stage_count(raw: Any, default: int = 4) -> int:
    try:
        count = int(str(raw))
    except (TypeError, ValueError):
        return default
    return min(max(count, MIN_STAGES), MAX_STAGES)


class RatesForm(forms.Form):
    """The conversion rates of a funnel of ``stages`` stages, in percent."""

    def __init__(
        self, *args: Any, stages: int, names: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.stages = stages
        for i in range(stages - 1):
            label = (
                _("%(upper)s → %(lower)s (%%)") % {"upper": names[i], "lower": names[i + 1]}
                if names
                else _("Conversion to the next stage (%%) of stage %(n)s") % {"n": i + 1}
            )
            self.fields[f"rate_{i}"] = NumberField(label=label)

    def rates(self) -> list[Decimal]:
        """The rates as fractions (25 % → 0.25)."""
        return [self.cleaned_data[f"rate_{i}"] / 100 for i in range(self.stages - 1)]

    def show_error(self, error: ProductError | CoreError) -> None:
        """A planner error at the field it concerns; rates are percentages here."""
        index = error.params.get("index")
        if error.field == "rates" and isinstance(index, int):
            name = f"rate_{index if error.code == 'funnel_rate_invalid' else index - 1}"
            if error.code == "funnel_rate_invalid":
                message = _("A conversion rate must be above 0 %% and at most 100 %%.") % {}
            else:
                message = refusal(error).message
            if name in self.fields:
                self.add_error(name, message)
                return
        field = {"stages": None, "rates": None}.get(error.field or "", error.field)
        self.add_error(field if field in self.fields else None, refusal(error).message)


class FunnelForm(RatesForm):
    name = TextField(label=gettext_lazy("Name"), max_length=200, required=False)
    goal = forms.IntegerField(
        label=gettext_lazy("Goal at the bottom"),
        min_value=1,
        max_value=10**9,
        help_text=gettext_lazy("For example 10 buyers."),
    )
    period = TextField(
        label=gettext_lazy("Period"),
        max_length=40,
        help_text=gettext_lazy("A year (2027), a quarter (2027-K2) or START..END."),
    )
    placement = forms.ChoiceField(
        label=gettext_lazy("Placement"),
        choices=Placement.choices,
        widget=forms.RadioSelect,
        initial=Placement.SEQUENTIAL,
    )

    def __init__(self, *args: Any, stages: int, **kwargs: Any) -> None:
        super().__init__(*args, stages=stages, **kwargs)
        for i in range(stages):
            self.fields[f"name_{i}"] = TextField(
                label=_("Name of stage %(n)s") % {"n": i + 1}, max_length=200
            )

    def names(self) -> list[str]:
        return [self.cleaned_data[f"name_{i}"] for i in range(self.stages)]

    def rows(self) -> list[tuple[int, Any, Any]]:
        """(index, name field, rate field or None) per stage, top to bottom."""
        return [
            (i, self[f"name_{i}"], self[f"rate_{i}"] if i < self.stages - 1 else None)
            for i in range(self.stages)
        ]


class RevenueForm(forms.Form):
    new_count = forms.IntegerField(
        label=gettext_lazy("New customers"), min_value=0, max_value=10**6, required=False
    )
    new_spend = NumberField(label=gettext_lazy("Each buys for a year (DKK)"), required=False)
    upsell_mode = forms.ChoiceField(
        label=gettext_lazy("Upsell"),
        choices=UPSELL_MODES,
        initial="fixed",
        widget=forms.RadioSelect,
    )
    upsell_value = NumberField(
        label=gettext_lazy("Amount per customer (DKK) or percentage"), required=False
    )
    retention_months = forms.IntegerField(
        label=gettext_lazy("Keep every customer this many months longer"),
        min_value=0,
        max_value=120,
        required=False,
    )
    retention_default = NumberField(
        label=gettext_lazy("Monthly revenue of customers without one in the register (DKK)"),
        required=False,
    )
    period = TextField(label=gettext_lazy("Period of the KPIs"), max_length=40, required=False)
