"""The KPI form of the wizard and the edit page.

It asks the article's two questions first (which number? in which period?), then the
details and the sub-goals, and turns the answers into a ``KpiSpec``; the definition
checks themselves are the service's (``kpi_check``), shown here at their fields.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fokus.core.errors import CoreError, PeriodError
from fokus.core.periods import Period, parse_period
from fokus.errors import CORE_MESSAGES, ProductError, refusal
from fokus.kpis.kpi_templates import template_get
from fokus.kpis.milestones import milestones_moved, split_linearly
from fokus.kpis.models import Cadence, Category, Direction, Interval, Kpi, Measure, Unit
from fokus.kpis.services import KpiSpec
from fokus.ui.forms import DateInput, NumberField, TextField, add_refusal, plain_number
from fokus.ui.periods import period_label, period_range

MILESTONE_ROWS = 6
CUSTOM = "custom"


def period_choices(year: int) -> list[tuple[str, Any]]:
    """Years, quarters and months around ``year``, grouped, and "custom dates"."""

    def option(text: str) -> tuple[str, str]:
        period = parse_period(text)
        return text, f"{period_label(period)} · {period_range(period)}"

    years = [option(str(y)) for y in (year, year + 1, year - 1)]
    quarters = [option(f"{y}-K{q}") for y in (year, year + 1) for q in range(1, 5)]
    months = [option(f"{year}-{m:02d}") for m in range(1, 13)]
    return [
        (str(gettext_lazy("Years")), years),
        (str(gettext_lazy("Quarters")), quarters),
        (str(gettext_lazy("Months")), months),
        (str(gettext_lazy("Other")), [(CUSTOM, str(gettext_lazy("Choose start and end dates")))]),
    ]


def _offered(choices: list[tuple[str, Any]]) -> set[str]:
    return {value for _group, options in choices for value, _label in options}


class PeriodField(forms.ChoiceField):
    """The period of the KPI form: one of the periods offered around the year being
    planned, or any other period written as the product writes periods (a stored KPI's,
    a carried-over one, a period chosen on another page)."""

    def valid_value(self, value: Any) -> bool:
        if super().valid_value(value):
            return True
        try:
            parse_period(str(value))
        except PeriodError:
            return False
        return True


def period_value(start: dt.date, end: dt.date) -> str:
    """The choice value for a stored period: its label when it is a year, quarter or
    month, else "custom"."""
    label = Period(start, end).label
    return CUSTOM if ".." in label else label


class KpiForm(forms.Form):
    template = forms.CharField(required=False, widget=forms.HiddenInput)
    # 1. Which number will you measure your action on?
    name = TextField(label=gettext_lazy("Name"), max_length=200)
    target = NumberField(
        label=gettext_lazy("Target"),
        required=False,
        help_text=gettext_lazy("The concrete number to reach, e.g. 10 or 1.000.000."),
    )
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=Unit.choices)
    unit_label = TextField(
        label=gettext_lazy("What is counted"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("E.g. “new customers” or “followers”."),
    )
    baseline = NumberField(
        label=gettext_lazy("Starting value"),
        required=False,
        help_text=gettext_lazy("Where you stand at the start (often 0)."),
    )
    direction = forms.ChoiceField(
        label=gettext_lazy("Better is"),
        choices=[
            (Direction.INCREASE, gettext_lazy("Higher (increase)")),
            (Direction.DECREASE, gettext_lazy("Lower (decrease), e.g. a rank")),
        ],
        widget=forms.RadioSelect,
    )
    measure = forms.ChoiceField(
        label=gettext_lazy("How check-ins count"),
        choices=Measure.choices,
        help_text=gettext_lazy(
            "Sum: add up what you check in. Latest value: a reading such as followers "
            "or a rank. Average: e.g. a satisfaction score. Checklist: named items."
        ),
    )
    interval = forms.ChoiceField(
        label=gettext_lazy("Recurring target"),
        required=False,
        choices=[("", gettext_lazy("No, one target for the whole period")), *Interval.choices],
    )
    interval_target = NumberField(
        label=gettext_lazy("Target per interval"),
        required=False,
        help_text=gettext_lazy("E.g. 100 new readers every month."),
    )
    # 2. In which period will you reach the goal?
    period = PeriodField(label=gettext_lazy("Period"))
    start = forms.DateField(label=gettext_lazy("Start"), required=False, widget=DateInput())
    end = forms.DateField(label=gettext_lazy("End"), required=False, widget=DateInput())
    # 3. Details.
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Category.choices)
    description = TextField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cadence = forms.ChoiceField(
        label=gettext_lazy("Check-in cadence"),
        required=False,
        choices=[("", gettext_lazy("No reminder")), *Cadence.choices],
    )
    focus = forms.BooleanField(
        label=gettext_lazy("Focus KPI of the period"),
        required=False,
        help_text=gettext_lazy("Few goals keep the focus: at most 5 per period."),
    )
    items = TextField(
        label=gettext_lazy("Checklist items"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One per line, e.g. the people or media you name."),
    )
    # 4. Sub-goals, and the period they were set for (they follow a changed period).
    milestones_for = forms.CharField(required=False, widget=forms.HiddenInput)
    split_evenly = forms.BooleanField(
        label=gettext_lazy("Split the target evenly over the quarters"),
        required=False,
        help_text=gettext_lazy("Untick to set the sub-goals yourself."),
    )

    def __init__(self, *args: Any, year: int, editing: Kpi | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        choices = period_choices(year)
        shown = self.data.get("period") if self.is_bound else self.initial.get("period")
        if shown and shown != CUSTOM and shown not in _offered(choices):
            try:
                period = parse_period(str(shown))
            except PeriodError:
                pass
            else:
                label = f"{period_label(period)} · {period_range(period)}"
                choices.insert(0, (str(gettext_lazy("Chosen")), [(str(shown), label)]))
        self.fields["period"].choices = choices  # type: ignore[attr-defined]
        for i in range(MILESTONE_ROWS):
            self.fields[f"ms_date_{i}"] = forms.DateField(
                label=_("Sub-goal %(n)s: date") % {"n": i + 1}, required=False, widget=DateInput()
            )
            self.fields[f"ms_value_{i}"] = NumberField(
                label=_("Sub-goal %(n)s: value") % {"n": i + 1}, required=False
            )
        if editing is not None:
            # Checklist items are ticked, not redefined, once the KPI exists.
            del self.fields["items"]
            del self.fields["template"]
        self.spec: KpiSpec | None = None
        # The period the sub-goals were moved to, when the period changed under them.
        self.moved_to: Period | None = None

    def milestone_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"ms_date_{i}"], self[f"ms_value_{i}"]) for i in range(MILESTONE_ROWS)]

    # -- turning the answers into a spec ------------------------------------------------

    def _period(self, cleaned: dict[str, Any]) -> tuple[dt.date, dt.date] | None:
        choice = cleaned.get("period")
        if choice == CUSTOM:
            start, end = cleaned.get("start"), cleaned.get("end")
            if start is None:
                self.add_error("start", _("Give the first day of the period."))
            if end is None:
                self.add_error("end", _("Give the last day of the period."))
            return (start, end) if start and end else None
        if not choice:
            return None
        try:
            period = parse_period(choice)
        except PeriodError as error:
            add_refusal(self, error, {"period": "period"})
            return None
        return period.start, period.end

    def _milestones(
        self, cleaned: dict[str, Any], start: dt.date, end: dt.date, target: Decimal | None
    ) -> list[tuple[dt.date, Decimal]]:
        baseline = cleaned.get("baseline") or Decimal(0)
        if cleaned.get("interval"):
            return []
        if cleaned.get("split_evenly"):
            if target is None or target == baseline:
                return []
            return split_linearly(start, end, baseline, target)
        rows = []
        for i in range(MILESTONE_ROWS):
            day, value = cleaned.get(f"ms_date_{i}"), cleaned.get(f"ms_value_{i}")
            if day is None and value is None:
                continue
            if day is None:
                self.add_error(f"ms_date_{i}", _("Give the sub-goal's date."))
            elif value is None:
                self.add_error(f"ms_value_{i}", _("Give the sub-goal's value."))
            else:
                rows.append((day, value))
        return rows

    def _follow_period(
        self,
        cleaned: dict[str, Any],
        milestones: list[tuple[dt.date, Decimal]],
        period: Period,
        target: Decimal | None,
    ) -> list[tuple[dt.date, Decimal]]:
        """The sub-goals typed for another period (a template's year, the KPI's stored
        period) moved to the period now chosen (``milestones_moved``), shown in the form's
        rows; the same sub-goals when the period did not change."""
        try:
            old = parse_period(cleaned.get("milestones_for") or "")
        except PeriodError:
            old = None
        if old is None or old == period or cleaned.get("split_evenly") or cleaned.get("interval"):
            return milestones  # split anew, or none: nothing typed to follow
        baseline = cleaned.get("baseline") or Decimal(0)
        moved = milestones_moved(list(milestones), old, period, baseline, target)
        if sorted(moved) != sorted(milestones):
            self.moved_to = period
        self._show_rows(moved, period)
        return moved

    def _show_rows(self, milestones: list[tuple[dt.date, Decimal]], period: Period) -> None:
        """The form shows ``milestones`` in its rows, set for ``period``."""
        data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict, or a dict
        prefix = self.add_prefix
        data[prefix("milestones_for")] = period.label
        self.cleaned_data["milestones_for"] = period.label
        if self.moved_to is not None:
            rows = sorted(milestones)[:MILESTONE_ROWS]
            for i in range(MILESTONE_ROWS):
                day, value = rows[i] if i < len(rows) else (None, None)
                data[prefix(f"ms_date_{i}")] = day.isoformat() if day else ""
                data[prefix(f"ms_value_{i}")] = plain_number(value)
                self.cleaned_data[f"ms_date_{i}"] = day
                self.cleaned_data[f"ms_value_{i}"] = value
        self.data = data

    def item_names(self) -> list[str]:
        text = self.cleaned_data.get("items") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        dates = self._period(cleaned)
        if dates is None or self.errors:
            return cleaned
        start, end = dates
        measure = cleaned.get("measure") or Measure.SUM
        items = self.item_names() if "items" in self.fields else []
        baseline = cleaned.get("baseline") or Decimal(0)
        target = cleaned.get("target")
        if measure == Measure.CHECKLIST and items and self.editing is None:
            target = baseline + len(items)
        milestones = self._milestones(cleaned, start, end, target)
        if not self.errors and start <= end:  # else the service says what is wrong
            milestones = self._follow_period(cleaned, milestones, Period(start, end), target)
        if cleaned.get("interval") and cleaned.get("interval_target") is None:
            self.add_error("interval_target", str(CORE_MESSAGES["interval_target_missing"]))
        if self.errors:
            return cleaned
        self.spec = KpiSpec(
            name=cleaned.get("name") or "",
            start=start,
            end=end,
            target=None if cleaned.get("interval") else target,
            baseline=baseline,
            unit=cleaned.get("unit") or Unit.COUNT,
            unit_label=(cleaned.get("unit_label") or "").strip(),
            direction=cleaned.get("direction") or Direction.INCREASE,
            measure=measure,
            milestones=milestones,
            interval=cleaned.get("interval") or None,
            interval_target=cleaned.get("interval_target"),
            items=items,
            category=cleaned.get("category") or Category.OTHER,
            description=cleaned.get("description") or "",
            cadence=cleaned.get("cadence") or "",
            focus=bool(cleaned.get("focus")),
            kind=self._kind(cleaned),
        )
        return cleaned

    def _kind(self, cleaned: dict[str, Any]) -> str:
        """The template the KPI is made from (what it measures), when it is one."""
        slug = cleaned.get("template") or ""
        return slug if slug and template_get(slug) is not None else ""

    def show_error(self, error: ProductError | CoreError) -> None:
        """A definition error of the service at the field it concerns."""
        custom = self.cleaned_data.get("period") == CUSTOM
        fields = {
            "start": "start" if custom else "period",
            "end": "end" if custom else "period",
            "n": "period",
            "milestones": "milestones_for",  # shown with the sub-goals
        }
        if error.code == "recurring_target_mismatch":
            fields["target"] = "interval_target"
        if error.field == "milestones":
            row = self._milestone_row(error)
            if row is not None:
                self.add_error(row, refusal(error).message)
                return
        add_refusal(self, error, fields)

    def _milestone_row(self, error: ProductError | CoreError) -> str | None:
        when = str(error.params.get("date", ""))
        for i in range(MILESTONE_ROWS):
            day = self.cleaned_data.get(f"ms_date_{i}")
            if day is not None and day.isoformat() == when:
                return f"ms_date_{i}"
        return None


def initial_from_spec(spec: KpiSpec, *, template: str = "") -> dict[str, Any]:
    """Form values for a spec (a template's or a stored KPI's)."""
    initial: dict[str, Any] = {
        "template": template,
        "name": spec.name,
        "target": plain_number(spec.target) if not spec.interval else "",
        "unit": spec.unit,
        "unit_label": spec.unit_label,
        "baseline": plain_number(spec.baseline),
        "direction": spec.direction,
        "measure": spec.measure,
        "interval": spec.interval or "",
        "interval_target": plain_number(spec.interval_target),
        "period": period_value(spec.start, spec.end),
        "start": spec.start,
        "end": spec.end,
        "category": spec.category,
        "description": spec.description,
        "cadence": spec.cadence,
        "focus": spec.focus,
        "items": "\n".join(spec.items),
        "milestones_for": Period(spec.start, spec.end).label,
        "split_evenly": False,
    }
    for i, (day, value) in enumerate(sorted(spec.milestones)[:MILESTONE_ROWS]):
        initial[f"ms_date_{i}"] = day
        initial[f"ms_value_{i}"] = plain_number(value)
    return initial
