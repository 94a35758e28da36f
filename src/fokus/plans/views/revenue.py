"""The revenue planner page: the three levers from the customer register, the realism
check, "why stop at 2 months?", and one click for the matching KPIs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from fokus.accounts.access import member_required
from fokus.accounts.http import AuthenticatedHttpRequest
from fokus.errors import REFUSALS, refusal
from fokus.kpis.selectors import default_period
from fokus.plans import revenue as planner
from fokus.plans.forms import RevenueForm
from fokus.plans.selectors import RegisterFacts, register_facts
from fokus.plans.services import KpiOffer, linked_text
from fokus.plans.views.common import requested_period

# The article's examples.
ARTICLE = {
    "new_count": 10,
    "new_spend": "100000",
    "upsell_mode": "percent",
    "upsell_value": "10",
    "retention_months": 2,
    "retention_default": "10000",
}

FIELD_OF = {
    "new_customers.count": "new_count",
    "new_customers.annual_spend": "new_spend",
    "upsell.value": "upsell_value",
    "upsell.mode": "upsell_mode",
    "retention.months": "retention_months",
    "retention.default_monthly_revenue": "retention_default",
}


def _request(form: RevenueForm) -> planner.RevenueRequest:
    data = form.cleaned_data
    new = upsell = retention = None
    if data.get("new_count") is not None or data.get("new_spend") is not None:
        new = planner.new_customers_lever(
            data.get("new_count") or 0, data.get("new_spend") or Decimal(0)
        )
    if data.get("upsell_value") is not None:
        value = data["upsell_value"]
        percent = data["upsell_mode"] == "percent"
        upsell = planner.upsell_lever(data["upsell_mode"], value / 100 if percent else value)
    if data.get("retention_months") is not None:
        retention = planner.retention_lever(data["retention_months"], data.get("retention_default"))
    return planner.RevenueRequest(new_customers=new, upsell=upsell, retention=retention)


def _plan(form: RevenueForm, facts: RegisterFacts) -> planner.RevenueResult | None:
    """The form's plan, or None with the errors on the form."""
    if not form.is_valid():
        return None
    try:
        return planner.revenue_plan(request=_request(form), facts=facts)
    except REFUSALS as error:
        field = FIELD_OF.get(error.field or "")
        form.add_error(field, refusal(error).message)
        return None


def _kpis_create(
    request: AuthenticatedHttpRequest, form: RevenueForm, result: planner.RevenueResult
) -> HttpResponse | None:
    """Create the plan's KPIs over the form's period and go to the dashboard; None with
    the error on the form when the period is not one."""
    today = request.today
    default = default_period(organisation=request.organisation, today=today)
    period, problem = requested_period(form.cleaned_data.get("period"), default)
    if problem:
        form.add_error("period", problem)
        return None
    planned = planner.revenue_kpis_create(
        organisation=request.organisation,
        user=request.user,
        result=result,
        period=period,
        today=today,
        create_new=request.POST.getlist("create_new"),
    )
    count = len(planned.created)
    text = ngettext(
        "%(count)s KPI created from the revenue plan.",
        "%(count)s KPIs created from the revenue plan.",
        count,
    ) % {"count": count}
    messages.success(request, " ".join(filter(None, [text, linked_text(planned)])))
    return redirect("dashboard")


def _offers(
    request: AuthenticatedHttpRequest, form: RevenueForm, result: planner.RevenueResult
) -> list[KpiOffer]:
    """The KPIs of the levers that exist already in the period the page proposes."""
    if not request.membership.can_edit:
        return []
    default = default_period(organisation=request.organisation, today=request.today)
    period, problem = requested_period(form.cleaned_data.get("period"), default)
    if problem:
        return []
    offers = planner.revenue_kpi_offers(
        organisation=request.organisation, result=result, period=period
    )
    return offers if any(o.existing for o in offers) else []


def _amounts(
    result: planner.RevenueResult, facts: RegisterFacts, currency: str
) -> dict[str, str | None]:
    """The plan's amounts as the page shows them."""
    return {
        "new": planner.money(result.new_customers_revenue, currency),
        "upsell": planner.money(result.upsell_revenue, currency),
        "retention": planner.money(result.retention_revenue, currency),
        "total": planner.money(result.total, currency),
        "median": planner.money(result.median_first_year_revenue, currency)
        if result.median_first_year_revenue is not None
        else None,
        "last12": planner.money(sum(facts.last_12_months, Decimal(0)), currency),
    }


@member_required
def revenue(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = request.organisation
    today = request.today
    if request.method == "POST" and not request.membership.can_edit:
        raise PermissionDenied
    source = request.POST if request.method == "POST" else (request.GET or None)
    form = RevenueForm(source if source is not None else ARTICLE)
    facts = register_facts(organisation=organisation, today=today)
    result = _plan(form, facts)
    if request.method == "POST" and result is not None:
        created = _kpis_create(request, form, result)
        if created is not None:
            return created
    context: dict[str, Any] = {
        "nav": "plans",
        "form": form,
        "facts": facts,
        "result": result,
        "currency": organisation.currency,
        "period": default_period(organisation=organisation, today=today).label,
    }
    if result is not None:
        currency = organisation.currency
        context.update(
            money=_amounts(result, facts, currency),
            table=[(months, planner.money(value, currency)) for months, value in result.table],
            warning=result.warning(currency),
            offers=_offers(request, form, result),
            create_new=request.POST.getlist("create_new"),
        )
    return render(request, "plans/revenue.html", context)
