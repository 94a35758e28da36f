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
from fokus.plans import revenue as planner
from fokus.plans.forms import RevenueForm
from fokus.plans.selectors import register_facts
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


@member_required
def revenue(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = request.organisation
    today = request.today
    if request.method == "POST" and not request.membership.can_edit:
        raise PermissionDenied
    source = request.POST if request.method == "POST" else (request.GET or None)
    form = RevenueForm(source if source is not None else ARTICLE)
    facts = register_facts(organisation=organisation, today=today)
    result = None
    if form.is_valid():
        try:
            result = planner.revenue_plan(request=_request(form), facts=facts)
        except REFUSALS as error:
            field = FIELD_OF.get(error.field or "")
            form.add_error(field, refusal(error).message)
    if request.method == "POST" and result is not None:
        period, problem = requested_period(form.cleaned_data.get("period"), today.year)
        if problem:
            form.add_error("period", problem)
        else:
            kpis = planner.revenue_kpis_create(
                organisation=organisation,
                user=request.user,
                result=result,
                period=period,
                today=today,
            )
            messages.success(
                request,
                ngettext(
                    "%(count)s KPI created from the revenue plan.",
                    "%(count)s KPIs created from the revenue plan.",
                    len(kpis),
                )
                % {"count": len(kpis)},
            )
            return redirect("dashboard")
    context: dict[str, Any] = {
        "nav": "plans",
        "form": form,
        "facts": facts,
        "result": result,
        "currency": organisation.currency,
        "period": str(today.year),
    }
    if result is not None:
        context.update(
            money={
                "new": planner.money(result.new_customers_revenue, organisation.currency),
                "upsell": planner.money(result.upsell_revenue, organisation.currency),
                "retention": planner.money(result.retention_revenue, organisation.currency),
                "total": planner.money(result.total, organisation.currency),
                "median": planner.money(result.median_first_year_revenue, organisation.currency)
                if result.median_first_year_revenue is not None
                else None,
                "last12": planner.money(
                    sum(facts.last_12_months, Decimal(0)), organisation.currency
                ),
            },
            table=[
                (months, planner.money(value, organisation.currency))
                for months, value in result.table
            ],
            warning=result.warning(organisation.currency),
        )
    return render(request, "plans/revenue.html", context)
