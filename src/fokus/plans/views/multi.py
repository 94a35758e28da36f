"""Multi-period plans: one primary goal, period 1's leading indicators feeding period 2's
sales KPIs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from fokus.accounts.access import editor_required, member_required
from fokus.accounts.http import AuthenticatedHttpRequest
from fokus.core.errors import CoreError
from fokus.core.periods import Period, parse_period
from fokus.errors import REFUSALS, refusal
from fokus.kpis.formatting import format_kpi_value, status_label
from fokus.kpis.kpi_templates import template_get
from fokus.kpis.selectors import default_period
from fokus.plans import selectors, services
from fokus.plans.models import PeriodRole, PlanKpi
from fokus.ui.forms import TextField
from fokus.ui.periods import period_label, period_range
from fokus.ui.views import confirm_delete

LEADING = (*services.LEADING_TEMPLATES, "newsletter-readers", "google-top-3")
SALES = (*services.SALES_TEMPLATES, "funnel-quote")


def _choices(slugs: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(slug, str(t.name)) for slug in slugs if (t := template_get(slug)) is not None]


class PeriodField(TextField):
    """A period string (2027, 2027-K2, START..END) cleaned into a Period."""

    def clean(self, value: Any) -> Period | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_period(text)
        except CoreError as error:
            raise forms.ValidationError(refusal(error).message, code=error.code) from None


class PlanForm(forms.Form):
    name = TextField(label=gettext_lazy("Name"), max_length=200)
    goal = TextField(
        label=gettext_lazy("Primary goal"),
        max_length=300,
        help_text=gettext_lazy("The one goal both periods work for, e.g. 10 new customers."),
    )
    leading = PeriodField(
        label=gettext_lazy("Period 1: leading indicators"),
        max_length=40,
        help_text=gettext_lazy("A year (2027), a quarter (2027-K1) or START..END."),
    )
    leading_templates = forms.MultipleChoiceField(
        label=gettext_lazy("KPIs of period 1"), required=False, widget=forms.CheckboxSelectMultiple
    )
    sales = PeriodField(label=gettext_lazy("Period 2: sales"), max_length=40)
    sales_templates = forms.MultipleChoiceField(
        label=gettext_lazy("KPIs of period 2"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leading_templates"].choices = _choices(LEADING)  # type: ignore[attr-defined]
        self.fields["sales_templates"].choices = _choices(SALES)  # type: ignore[attr-defined]


def _halves(year: int) -> tuple[str, str]:
    return (
        f"{dt.date(year, 1, 1).isoformat()}..{dt.date(year, 6, 30).isoformat()}",
        f"{dt.date(year, 7, 1).isoformat()}..{dt.date(year, 12, 31).isoformat()}",
    )


@editor_required
def plan_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = default_period(organisation=request.organisation, today=request.today).start.year
    first, second = _halves(year)
    initial = {
        "name": _("Year plan %(year)s") % {"year": year},
        "goal": _("10 new customers"),
        "leading": first,
        "sales": second,
        "leading_templates": list(services.LEADING_TEMPLATES),
        "sales_templates": list(services.SALES_TEMPLATES),
    }
    form = PlanForm(request.POST or None, initial=initial)
    offers: list[services.KpiOffer] = []
    create_new = request.POST.getlist("create_new")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.POST.get("confirmed") and data["sales"].start > data["leading"].end:
            # First say which of the KPIs exist already: they are linked, not copied.
            offers = services.plan_kpi_offers(
                organisation=request.organisation,
                leading=data["leading"],
                sales=data["sales"],
                leading_templates=data["leading_templates"],
                sales_templates=data["sales_templates"],
            )
            offers = offers if any(o.existing for o in offers) else []
        if not offers:
            try:
                plan, planned = services.plan_create(
                    organisation=request.organisation,
                    user=request.user,
                    name=data["name"],
                    goal=data["goal"],
                    leading=data["leading"],
                    sales=data["sales"],
                    leading_templates=data["leading_templates"],
                    sales_templates=data["sales_templates"],
                    create_new=create_new,
                )
            except REFUSALS as error:
                field = {"periods": "sales", "name": "name"}.get(error.field or "")
                form.add_error(field, refusal(error).message)
            else:
                text = _("The plan and its KPIs are created.")
                messages.success(
                    request, " ".join(filter(None, [text, services.linked_text(planned)]))
                )
                return redirect("plans:plan_detail", pk=plan.pk)
    return render(
        request,
        "plans/plan_new.html",
        {"nav": "plans", "form": form, "offers": offers, "create_new": create_new},
    )


def _kpi_row(link: PlanKpi, evaluations: dict[int, Any]) -> dict[str, Any]:
    kpi = link.kpi
    evaluation = evaluations[kpi.pk]
    return {
        "link": link,
        "kpi": kpi,
        "status": str(evaluation.status),
        "status_label": status_label(evaluation.status),
        "actual": format_kpi_value(kpi, evaluation.actual),
        "target": format_kpi_value(kpi, kpi.target),
        "feeds": link.feeds,
    }


@member_required
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    today = request.today
    plan = selectors.plan_get(organisation=organisation, pk=pk)
    periods = selectors.plan_view(plan=plan, today=today)
    shown = []
    for i, view in enumerate(periods):
        rows = [_kpi_row(link, view.evaluations) for link in view.links]
        done = sum(1 for r in rows if r["status"] in ("achieved", "on_track"))
        following = periods[i + 1] if i + 1 < len(periods) else None
        shown.append(
            {
                "view": view,
                "label": period_label(Period(view.period.start, view.period.end)),
                "range": period_range(Period(view.period.start, view.period.end)),
                "leading": view.period.role == PeriodRole.LEADING,
                "rows": rows,
                "done": done,
                "next_kpis": [link.kpi for link in following.links] if following else [],
            }
        )
    return render(
        request,
        "plans/plan_detail.html",
        {"nav": "plans", "plan": plan, "periods": shown, "today": today},
    )


@editor_required
@require_POST
def plan_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    plan = selectors.plan_get(organisation=organisation, pk=pk)
    periods = {str(p.pk): p for p in plan.periods.all()}
    period = periods.get(request.POST.get("period", ""))
    views = {v.period.pk: v for v in selectors.plan_view(plan=plan, today=request.today)}
    if period is None:
        raise Http404
    candidates = {str(k.pk): k for k in views[period.pk].candidates}
    kpi = candidates.get(request.POST.get("kpi", ""))
    if kpi is None:
        messages.error(request, _("Choose one of the period's KPIs."))
        return redirect("plans:plan_detail", pk=pk)
    later = [v for v in views.values() if v.period.position == period.position + 1]
    feeds_options = {str(link.kpi.pk): link.kpi for v in later for link in v.links}
    feeds = feeds_options.get(request.POST.get("feeds", ""))
    try:
        services.plan_kpi_link(period=period, kpi=kpi, feeds=feeds)
    except REFUSALS as error:
        messages.error(request, refusal(error).message)
    else:
        messages.success(request, _("“%(kpi)s” is added to the plan.") % {"kpi": kpi.name})
    return redirect("plans:plan_detail", pk=pk)


@editor_required
@require_POST
def plan_unlink(request: AuthenticatedHttpRequest, pk: int, link: int) -> HttpResponse:
    organisation = request.organisation
    plan = selectors.plan_get(organisation=organisation, pk=pk)
    found = next((li for p in plan.periods.all() for li in p.links.all() if li.pk == link), None)
    if found is None:
        raise Http404
    services.plan_kpi_unlink(link=found)
    messages.success(request, _("The KPI is taken out of the plan; it still exists."))
    return redirect("plans:plan_detail", pk=pk)


@editor_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ask (what goes, and that the KPIs stay), then delete."""
    plan = selectors.plan_get(organisation=request.organisation, pk=pk)

    def context() -> dict[str, Any]:
        periods = list(plan.periods.all())
        return {
            "nav": "plans",
            "plan": plan,
            "periods": [
                {"period": period, "range": period_range(Period(period.start, period.end))}
                for period in periods
            ],
            "kpis": [link.kpi for period in periods for link in period.links.all()],
        }

    def delete() -> str:
        services.plan_delete(plan=plan)
        return _("The plan “%(name)s” is deleted; its KPIs stay.") % {"name": plan.name}

    return confirm_delete(
        request,
        template="plans/plan_delete.html",
        context=context,
        delete=delete,
        then="plans:index",
    )
