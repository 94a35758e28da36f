"""The planners over the REST API: compute a funnel or a revenue plan (any member), and
with ``create: true`` store it and create its KPIs (editors only); delete a stored funnel
(editors only; its stage KPIs stay). The same services as the web pages and the CLI;
another organisation's funnel is a 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import StrictInt

from fokus.accounts.http import ApiRequest
from fokus.api.common import require_editor
from fokus.api.schemas import problems
from fokus.core.periods import parse_period
from fokus.plans import revenue as planner
from fokus.plans.funnel import funnel_draft
from fokus.plans.selectors import funnel_get, funnel_list, funnel_view, register_facts
from fokus.plans.services import draft_of, funnel_create, funnel_delete, funnel_kpis_create
from fokus.plans.shapes import (
    FunnelOut,
    FunnelViewOut,
    RevenueOut,
    funnel_to_dict,
    funnel_view_to_dict,
    linked_to_list,
    revenue_to_dict,
)
from fokus.values import check_text

router = Router(tags=["Plans"])

Number = int | float


class FunnelIn(Schema):
    goal: StrictInt = Field(description="the number wanted at the bottom, e.g. 10 buyers")
    rates: list[Decimal | str] = Field(
        description="conversion rates top → bottom as fractions, e.g. [0.10, 0.05, 0.25]"
    )
    stages: list[str] | None = Field(None, description="stage names top → bottom")
    placement: Literal["sequential", "parallel"] = "sequential"
    period: str | None = Field(None, description="2027, 2027-K2 or START..END; default this year")
    name: str = ""
    create: bool = Field(False, description="store the funnel and create its stage KPIs")
    link_existing: bool = Field(
        True,
        description="with create: a stage whose KPI exists already (the bottom stage: the "
        "period's new-customers KPI; any stage: a KPI of its name and time) is linked to "
        "it instead of getting a second one, listed in linked; false creates every stage KPI",
    )


@router.post(
    "/funnel",
    response={200: FunnelOut, 201: FunnelOut, **problems(403, 422)},
    summary="Plan a funnel backwards",
)
def plan_funnel(request: ApiRequest, payload: FunnelIn) -> Any:
    """The required number per stage from the goal at the bottom (docs/engine.md "Funnel
    (reverse plan)"): ``s_n = goal``, ``s_i = ceil(s_{i+1} / r_i)`` computed exactly;
    stage ``i`` placed in the ``i+1``-th part of the period (sequential: K1…K4 of a year)
    or across all of it.
    With ``create: true`` the funnel is stored and its stage KPIs are created (201); a
    stage whose KPI measures what one of the organisation's KPIs measures already is
    linked to that KPI instead (``linked``), unless ``link_existing`` is false."""
    organisation = request.organisation
    period = payload.period or str(request.today.year)
    if not payload.create:
        draft = funnel_draft(
            goal=payload.goal,
            rates=payload.rates,
            stages=payload.stages,
            period=period,
            placement=payload.placement,
        )
        return funnel_to_dict(draft)
    require_editor(request)
    with transaction.atomic():
        funnel = funnel_create(
            organisation=organisation,
            user=request.user,
            goal=payload.goal,
            rates=payload.rates,
            stages=payload.stages,
            period=period,
            placement=payload.placement,
            name=payload.name,
            now=timezone.now(),
        )
        planned = funnel_kpis_create(
            funnel=funnel_get(organisation=organisation, pk=funnel.pk),
            user=request.user,
            now=timezone.now(),
            link_existing=payload.link_existing,
        )
    stored = funnel_get(organisation=organisation, pk=funnel.pk)
    data = funnel_to_dict(draft_of(stored), stored)
    data["linked"] = linked_to_list(planned.linked)
    return Status(201, data)


@router.get("/funnel", response={200: list[FunnelOut], **problems()}, summary="List funnels")
def list_funnels(request: ApiRequest) -> Any:
    organisation = request.organisation
    ids = list(funnel_list(organisation=organisation).values_list("pk", flat=True))
    funnels = [funnel_get(organisation=organisation, pk=pk) for pk in ids]
    return [funnel_to_dict(draft_of(funnel), funnel) for funnel in funnels]


@router.get(
    "/funnel/{int:pk}",
    response={200: FunnelViewOut, **problems(404, 422)},
    summary="A funnel's forward view",
)
def read_funnel(request: ApiRequest, pk: int, as_of: dt.date | None = None) -> Any:
    """The forward view of docs/engine.md "Funnel (reverse plan)": the actual count per
    stage from the stage KPIs, the actual rates ``s_{i+1} / s_i``, the projected bottom
    ``s_0 × Π r_i`` (actual rates where both counts are > 0, planned otherwise), the
    bottleneck (the position of the stage whose actual rate into the next stage falls
    furthest below plan) and the proposed re-plan when a stage has ended below its target.
    A running stage's forecast at its end is given as ``forecast``; it does not feed these
    numbers."""
    organisation = request.organisation
    funnel = funnel_get(organisation=organisation, pk=pk)
    view = funnel_view(funnel=funnel, today=as_of or request.today)
    return funnel_view_to_dict(draft_of(funnel), view)


@router.delete(
    "/funnel/{int:pk}", response={204: None, **problems(403, 404)}, summary="Delete a funnel"
)
def delete_funnel(request: ApiRequest, pk: int) -> Any:
    """Delete the funnel and its stages; the stage KPIs stay, with their check-ins and
    history."""
    require_editor(request)
    funnel_delete(funnel=funnel_get(organisation=request.organisation, pk=pk))
    return Status(204, None)


class NewCustomersIn(Schema):
    count: StrictInt = Field(description="how many new customers, e.g. 10")
    annual_spend: Decimal = Field(description="what each buys for a year, e.g. 100000")


class UpsellIn(Schema):
    mode: Literal["fixed", "percent"]
    value: Decimal = Field(
        description="fixed: an amount per active customer; percent: a fraction of each "
        "customer's last 12 months (0.10; a value above 1 is read as percent: 10)"
    )


class RetentionIn(Schema):
    months: StrictInt = Field(description="how many months longer every customer stays")
    default_monthly_revenue: Decimal | None = Field(
        None, description="for customers without a monthly revenue; default 10000"
    )


class RevenueIn(Schema):
    new_customers: NewCustomersIn | None = None
    upsell: UpsellIn | None = None
    retention: RetentionIn | None = None
    as_of: dt.date | None = Field(None, description="read the register as of; default today")
    period: str | None = Field(None, description="the KPIs' period with create; default this year")
    create: bool = Field(False, description="also create the matching KPIs")
    link_existing: bool = Field(
        True,
        description="with create: a lever whose KPI exists already in the period (new "
        "customers, their revenue, upsell, retention: the templates' KPIs) is linked to it "
        "instead of getting a second one, listed in linked; false creates every KPI",
    )


def revenue_request(payload: RevenueIn) -> planner.RevenueRequest:
    new, upsell, retention = payload.new_customers, payload.upsell, payload.retention
    return planner.RevenueRequest(
        new_customers=planner.new_customers_lever(new.count, new.annual_spend) if new else None,
        upsell=planner.upsell_lever(
            upsell.mode,
            planner.percent_as_fraction(upsell.value) if upsell.mode == "percent" else upsell.value,
        )
        if upsell
        else None,
        retention=planner.retention_lever(retention.months, retention.default_monthly_revenue)
        if retention
        else None,
    )


@router.post(
    "/revenue",
    response={200: RevenueOut, 201: RevenueOut, **problems(403, 422)},
    summary="Plan revenue with the three levers",
)
def plan_revenue(request: ApiRequest, payload: RevenueIn) -> Any:
    """New customers × annual spend; upsell to every active customer (a fixed amount, or a
    share of their last 12 months); retention (m more months × each active customer's
    monthly revenue, else the default). Computed from the customer register, with the
    realism check against the median first-year revenue of customers who started within
    the last 24 months (needs 3). With ``create: true`` the matching KPIs are created
    (``kpis``), and a lever whose KPI exists already is linked to it instead
    (``linked``), unless ``link_existing`` is false."""
    organisation = request.organisation
    today = request.today
    as_of = payload.as_of or today
    result = planner.revenue_plan(
        request=revenue_request(payload),
        facts=register_facts(organisation=organisation, today=as_of),
    )
    data = revenue_to_dict(result, organisation.currency)
    if not payload.create:
        return data
    require_editor(request)
    text = payload.period or str(today.year)
    planned = planner.revenue_kpis_create(
        organisation=organisation,
        user=request.user,
        result=result,
        period=parse_period(check_text(text, field="period")),
        today=today,
        link_existing=payload.link_existing,
    )
    data["kpis"] = [kpi.pk for kpi in planned.created]
    data["linked"] = linked_to_list(planned.linked)
    return Status(201, data)
