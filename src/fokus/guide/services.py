"""What each step of the guide stores. Every KPI, funnel and customer change goes through
the service of the area that owns it, the same functions the planners' own pages call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db import transaction

from fokus.accounts.models import Organisation, User
from fokus.accounts.services import organisation_update
from fokus.alerts.services import alerts_sync
from fokus.core.funnel import RateInput
from fokus.core.periods import Period
from fokus.customers.services import clock_start_unknown
from fokus.guide.models import StepState, YearPlan, YearPlanKpi
from fokus.guide.steps import STEP
from fokus.kpis.milestones import split_linearly
from fokus.kpis.models import Kpi
from fokus.kpis.selectors import default_period, kpi_list
from fokus.kpis.services import KpiSpec, kpi_create, kpi_update
from fokus.plans import revenue as planner
from fokus.plans.models import FunnelPlan
from fokus.plans.selectors import RegisterFacts, funnel_get
from fokus.plans.services import (
    PlannedKpis,
    funnel_create,
    funnel_kpis_create,
    kpi_offers,
    template_spec,
)


def year_period(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))


def guide_year(*, organisation: Organisation, today: dt.date) -> int:
    """The year being planned (``fokus.ui.periods.default_period``): the next one in the
    last quarter or when only it has KPIs, else this one."""
    return default_period(organisation=organisation, today=today).start.year


def year_plan_get(*, organisation: Organisation, year: int) -> YearPlan | None:
    return YearPlan.objects.filter(organisation=organisation, year=year).first()


def year_plan_for(*, organisation: Organisation, year: int) -> YearPlan:
    plan, _ = YearPlan.objects.get_or_create(organisation=organisation, year=year)
    return plan


def kpis_add(*, plan: YearPlan, step: str, kpis: Sequence[Kpi]) -> None:
    """Put ``kpis`` in the plan under ``step`` (a KPI already in it stays where it is)."""
    YearPlanKpi.objects.bulk_create(
        [YearPlanKpi(plan=plan, kpi=kpi, step=step) for kpi in kpis], ignore_conflicts=True
    )


def step_mark(*, plan: YearPlan, slug: str, state: str) -> YearPlan:
    """Record a step as done or skipped; a skipped step can be done later."""
    if slug not in STEP or state not in StepState.values:
        raise ValueError(f"no step {slug!r} or state {state!r}")
    plan.steps = {**plan.steps, slug: state}
    plan.save(update_fields=["steps", "updated_at"])
    return plan


@transaction.atomic
def goal_set(
    *,
    plan: YearPlan,
    user: User | None,
    new_customers: int,
    annual_spend: Decimal,
    facts: RegisterFacts,
    today: dt.date,
) -> tuple[PlannedKpis, planner.RevenueResult]:
    """The sales goal: new customers × their yearly spend over the year, as the revenue
    planner's two KPIs fed by the customer register (or the KPIs that measure the same
    already, linked). Also the plan, for its realism check."""
    lever = planner.new_customers_lever(new_customers, annual_spend)
    result = planner.revenue_plan(request=planner.RevenueRequest(new_customers=lever), facts=facts)
    planned = planner.revenue_kpis_create(
        organisation=plan.organisation,
        user=user,
        result=result,
        period=year_period(plan.year),
        today=today,
    )
    kpis_add(plan=plan, step="goal", kpis=planned.kpis)
    plan.new_customers = lever.count
    plan.annual_spend = lever.annual_spend
    plan.save(update_fields=["new_customers", "annual_spend", "updated_at"])
    step_mark(plan=plan, slug="goal", state=StepState.DONE)
    return planned, result


@transaction.atomic
def levers_set(
    *,
    plan: YearPlan,
    user: User | None,
    upsell: planner.Upsell | None,
    retention: planner.Retention | None,
    facts: RegisterFacts,
    today: dt.date,
) -> PlannedKpis:
    """The two levers over existing customers (the new customers are the goal's)."""
    planned = PlannedKpis()
    if upsell is not None or retention is not None:
        result = planner.revenue_plan(
            request=planner.RevenueRequest(upsell=upsell, retention=retention), facts=facts
        )
        planned = planner.revenue_kpis_create(
            organisation=plan.organisation,
            user=user,
            result=result,
            period=year_period(plan.year),
            today=today,
        )
    kpis_add(plan=plan, step="levers", kpis=planned.kpis)
    step_mark(plan=plan, slug="levers", state=StepState.DONE)
    return planned


@transaction.atomic
def funnel_set(
    *,
    plan: YearPlan,
    user: User | None,
    goal: int,
    rates: Sequence[RateInput],
    stages: Sequence[str],
    placement: str,
    now: dt.datetime,
) -> tuple[FunnelPlan, PlannedKpis]:
    """The year's funnel from its buyers, with a KPI per stage; a stage that measures what
    a KPI of the plan measures already (the buyers: the new customers) is linked to it."""
    organisation = plan.organisation
    funnel = funnel_create(
        organisation=organisation,
        user=user,
        goal=goal,
        rates=rates,
        stages=stages,
        period=year_period(plan.year),
        placement=placement,
        now=now,
    )
    planned = funnel_kpis_create(
        funnel=funnel_get(organisation=organisation, pk=funnel.pk), user=user, now=now
    )
    kpis_add(plan=plan, step="funnel", kpis=planned.kpis)
    plan.funnel = funnel
    plan.save(update_fields=["funnel", "updated_at"])
    step_mark(plan=plan, slug="funnel", state=StepState.DONE)
    return funnel, planned


def marketing_specs(year: int, targets: Mapping[str, Decimal | None]) -> list[tuple[str, KpiSpec]]:
    """The chosen templates as KPIs over the year, each with the target the owner gave (a
    recurring template's target per interval; None keeps the template's)."""
    period = year_period(year)
    wanted = []
    for slug, target in targets.items():
        spec = template_spec(slug, period)
        if target is not None and spec.interval:
            spec.interval_target = target
        elif target is not None:
            spec.target = target
            spec.milestones = split_linearly(period.start, period.end, spec.baseline, target)
        wanted.append((slug, spec))
    return wanted


def marketing_existing(
    *, organisation: Organisation, year: int, slugs: Sequence[str]
) -> dict[str, Kpi]:
    """The templates whose KPI the year has already (``kpis.matching``), with that KPI:
    one query."""
    offers = kpi_offers(
        organisation=organisation,
        wanted=marketing_specs(year, dict.fromkeys(slugs)),
        exclude=[],
    )
    return {offer.key: offer.existing for offer in offers if offer.existing is not None}


@transaction.atomic
def marketing_set(
    *, plan: YearPlan, user: User | None, targets: Mapping[str, Decimal | None]
) -> PlannedKpis:
    """The chosen templates' KPIs over the year; a template whose KPI exists already is
    linked to it instead."""
    planned = PlannedKpis()
    offers = kpi_offers(
        organisation=plan.organisation, wanted=marketing_specs(plan.year, targets), exclude=[]
    )
    for offer in offers:
        if offer.existing is not None:
            planned.linked.append((offer.key, offer.existing))
        else:
            planned.created.append(
                kpi_create(organisation=plan.organisation, spec=offer.spec, user=user)
            )
    kpis_add(plan=plan, step="marketing", kpis=planned.kpis)
    step_mark(plan=plan, slug="marketing", state=StepState.DONE)
    return planned


@transaction.atomic
def care_set(
    *,
    plan: YearPlan,
    interval: int | None,
    clock_start: dt.date | None,
    today: dt.date,
    now: dt.datetime,
) -> int:
    """The organisation's contact interval, and a clock start for the customers whose
    last contact is unknown; returns how many customers got one."""
    organisation = plan.organisation
    if interval is not None and interval != organisation.default_contact_interval:
        organisation_update(
            organisation=organisation,
            name=organisation.name,
            currency=organisation.currency,
            time_zone=organisation.time_zone,
            on_track_ratio=organisation.on_track_ratio,
            at_risk_ratio=organisation.at_risk_ratio,
            default_contact_interval=interval,
        )
    started = 0
    if clock_start is not None:
        started = clock_start_unknown(organisation=organisation, day=clock_start, today=today)
        if started:
            # Their overdue alerts go now, not at the next scan.
            alerts_sync(organisation=organisation, today=today, now=now)
    step_mark(plan=plan, slug="care", state=StepState.DONE)
    return started


@transaction.atomic
def cadences_set(*, plan: YearPlan, user: User | None, cadences: Mapping[int, str]) -> int:
    """Each KPI's check-in cadence ("" for none); returns how many changed."""
    changed = 0
    for kpi in kpi_list(organisation=plan.organisation, period=year_period(plan.year)):
        cadence = cadences.get(kpi.pk)
        if cadence is not None and cadence != kpi.cadence:
            kpi_update(kpi=kpi, user=user, cadence=cadence)
            changed += 1
    step_mark(plan=plan, slug="checkins", state=StepState.DONE)
    return changed
