"""State changes of the planners: funnels and their stage KPIs, re-planning, and
multi-period plans. The web views, the API and the CLI call these same functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import transaction
from django.utils.translation import gettext as _

from fokus.accounts.models import Organisation, User
from fokus.core.funnel import Placement, RateInput
from fokus.core.periods import Period
from fokus.kpis.kpi_templates import template_get
from fokus.kpis.milestones import split_linearly
from fokus.kpis.models import Cadence, Category, Kpi, Unit
from fokus.kpis.services import KpiSpec, kpi_create, kpi_update
from fokus.plans.errors import PlanError
from fokus.plans.funnel import FunnelDraft, funnel_draft
from fokus.plans.models import (
    FunnelPlan,
    FunnelStage,
    PeriodRole,
    Plan,
    PlanKpi,
    PlanPeriod,
)
from fokus.plans.selectors import funnel_get, funnel_view
from fokus.ui.periods import period_label
from fokus.values import check_text

NAME_LENGTH = 200


def _name(text: str, code: str) -> str:
    name = check_text(text, field="name").strip()
    if not name:
        raise PlanError(code, field="name")
    return name[:NAME_LENGTH]


def default_funnel_name(period: Period) -> str:
    return _("Sales funnel %(period)s") % {"period": period_label(period)}


# --- Funnels ----------------------------------------------------------------------------


@transaction.atomic
def funnel_create(
    *,
    organisation: Organisation,
    user: User | None,
    goal: int,
    rates: Sequence[RateInput],
    stages: Sequence[str] | None,
    period: Period | str,
    placement: str = Placement.sequential,
    now: dt.datetime,
    name: str = "",
    create_kpis: bool = False,
) -> FunnelPlan:
    """Store a funnel planned backwards from ``goal``; with ``create_kpis`` also its stage
    KPIs. All or nothing."""
    draft = funnel_draft(goal=goal, rates=rates, stages=stages, period=period, placement=placement)
    funnel = FunnelPlan.objects.create(
        organisation=organisation,
        name=_name(name, "funnel_name_required")
        if name.strip()
        else default_funnel_name(draft.period),
        goal=draft.goal,
        start=draft.period.start,
        end=draft.period.end,
        placement=draft.placement,
        created_by=user,
    )
    FunnelStage.objects.bulk_create(
        [
            FunnelStage(
                funnel=funnel,
                position=i,
                name=stage.name,
                rate_to_next=_decimal(stage.rate_to_next),
                required=stage.required,
                start=stage.start,
                end=stage.end,
            )
            for i, stage in enumerate(draft.stages)
        ]
    )
    if create_kpis:
        funnel_kpis_create(
            funnel=funnel_get(organisation=organisation, pk=funnel.pk), user=user, now=now
        )
    return funnel


def _decimal(rate: Fraction | None) -> Decimal | None:
    """A draft's rate for its column: already rounded as the column keeps it
    (``kpis.funnel``), so the division is exact."""
    if rate is None:
        return None
    return Decimal(rate.numerator) / Decimal(rate.denominator)


def stage_kpi_name(funnel: FunnelPlan, stage: FunnelStage) -> str:
    """``Hear about the firm (2027-K1)``: the stage and where it lies in time."""
    label = period_label(Period(stage.start, stage.end))
    return f"{stage.name[: NAME_LENGTH - len(label) - 3]} ({label})"


def whole_milestones(
    start: dt.date, end: dt.date, target: Decimal
) -> list[tuple[dt.date, Decimal]]:
    """Sub-goals split linearly, in whole people."""
    return [
        (day, value.quantize(Decimal(1), ROUND_HALF_UP))
        for day, value in split_linearly(start, end, Decimal(0), target)
    ]


def _stage_spec(funnel: FunnelPlan, stage: FunnelStage, last: bool) -> KpiSpec:
    target = Decimal(stage.required)
    return KpiSpec(
        name=stage_kpi_name(funnel, stage),
        description=_(
            "Stage %(n)s of the funnel “%(funnel)s”: %(required)s needed to reach %(goal)s "
            "at the bottom."
        )
        % {
            "n": stage.position + 1,
            "funnel": funnel.name,
            "required": f"{stage.required:,}".replace(",", "."),
            "goal": funnel.goal,
        },
        start=stage.start,
        end=stage.end,
        target=target,
        unit=Unit.COUNT,
        milestones=whole_milestones(stage.start, stage.end, target),
        category=Category.SALES if last else Category.MARKETING,
        cadence=Cadence.WEEKLY if (stage.end - stage.start).days < 120 else Cadence.MONTHLY,
    )


@transaction.atomic
def funnel_kpis_create(*, funnel: FunnelPlan, user: User | None, now: dt.datetime) -> list[Kpi]:
    """One click: a KPI per stage (its required number as target, sub-goals per quarter or
    month of the stage), linked to the stage. Stages that have a KPI keep it."""
    stages = list(funnel.stages.all())
    missing = [s for s in stages if s.kpi is None]
    if not missing:
        raise PlanError("kpis_exist", field="funnel")
    created = []
    for stage in missing:
        kpi = kpi_create(
            organisation=funnel.organisation,
            spec=_stage_spec(funnel, stage, stage.position == len(stages) - 1),
            user=user,
        )
        stage.kpi = kpi
        stage.save(update_fields=["kpi"])
        created.append(kpi)
    funnel.kpis_created_at = now
    funnel.save(update_fields=["kpis_created_at"])
    return created


@transaction.atomic
def funnel_replan_apply(*, funnel: FunnelPlan, user: User | None, today: dt.date) -> list[Kpi]:
    """Give the later stages' KPIs the re-planned targets (and sub-goals split over their
    periods again); every change lands in the KPI's target history."""
    proposal = funnel_view(funnel=funnel, today=today).proposal
    changed = [
        (kpi, target)
        for _stage, kpi, _now, target in (proposal.changes if proposal else [])
        if kpi is not None
    ]
    if not changed:
        raise PlanError("nothing_to_replan", field="funnel")
    updated = []
    for kpi, target in changed:
        value = Decimal(target)
        updated.append(
            kpi_update(
                kpi=kpi,
                user=user,
                target=value,
                milestones=whole_milestones(kpi.start, kpi.end, value)
                if kpi.baseline == 0
                else split_linearly(kpi.start, kpi.end, kpi.baseline, value),
            )
        )
    return updated


@transaction.atomic
def funnel_delete(*, funnel: FunnelPlan) -> None:
    """Delete a funnel and its stages. The stage KPIs stay, with their check-ins and
    target history: a stage only points at its KPI, so nothing cascades into them."""
    funnel.delete()


def draft_of(funnel: FunnelPlan) -> FunnelDraft:
    """A stored funnel as the plan JSON shows it."""
    from fokus.plans.funnel import StageDraft

    stages = list(funnel.stages.all())
    return FunnelDraft(
        goal=funnel.goal,
        placement=funnel.placement,
        period=Period(funnel.start, funnel.end),
        stages=[
            StageDraft(
                name=s.name,
                required=s.required,
                rate_to_next=None if s.rate_to_next is None else Fraction(s.rate_to_next),
                start=s.start,
                end=s.end,
            )
            for s in stages
        ],
    )


# --- Multi-period plans -----------------------------------------------------------------

# The article: leading indicators in one period, then sales in the next.
LEADING_TEMPLATES = ("followers", "linkedin-15", "named-media")
SALES_TEMPLATES = ("new-customers", "new-customer-revenue")


def template_spec(slug: str, period: Period) -> KpiSpec:
    """The article's KPI template ``slug`` over ``period``, sub-goals split linearly."""
    template = template_get(slug)
    if template is None:
        raise PlanError("plan_name_required", field="templates")  # pragma: no cover
    spec = template.spec(period.start.year)
    spec.start, spec.end = period.start, period.end
    spec.milestones = []
    if template.interval is None and spec.target is not None:
        spec.milestones = split_linearly(period.start, period.end, spec.baseline, spec.target)
    return spec


@transaction.atomic
def plan_create(
    *,
    organisation: Organisation,
    user: User | None,
    name: str,
    goal: str,
    leading: Period,
    sales: Period,
    leading_templates: Sequence[str] = LEADING_TEMPLATES,
    sales_templates: Sequence[str] = SALES_TEMPLATES,
) -> Plan:
    """A plan over two consecutive periods with one primary goal: period 1's leading
    indicators, period 2's sales KPIs (from the article's templates), each leading KPI
    feeding the first sales KPI."""
    plan_name = _name(name, "plan_name_required")
    goal_text = check_text(goal, field="goal").strip()[:300]
    if sales.start <= leading.end:
        raise PlanError("plan_periods_overlap", field="periods")
    plan = Plan.objects.create(
        organisation=organisation, name=plan_name, goal=goal_text, created_by=user
    )
    first = PlanPeriod.objects.create(
        plan=plan, position=0, role=PeriodRole.LEADING, start=leading.start, end=leading.end
    )
    second = PlanPeriod.objects.create(
        plan=plan, position=1, role=PeriodRole.SALES, start=sales.start, end=sales.end
    )
    sales_kpis = [
        kpi_create(organisation=organisation, spec=template_spec(slug, sales), user=user)
        for slug in sales_templates
    ]
    PlanKpi.objects.bulk_create([PlanKpi(period=second, kpi=kpi) for kpi in sales_kpis])
    feeds = sales_kpis[0] if sales_kpis else None
    PlanKpi.objects.bulk_create(
        [
            PlanKpi(
                period=first,
                kpi=kpi_create(
                    organisation=organisation, spec=template_spec(slug, leading), user=user
                ),
                feeds=feeds,
            )
            for slug in leading_templates
        ]
    )
    return plan


def plan_kpi_link(*, period: PlanPeriod, kpi: Kpi, feeds: Kpi | None = None) -> PlanKpi:
    """Add one of the organisation's KPIs to a period of a plan; a leading KPI may name
    the next period's KPI it feeds."""
    plan = period.plan
    if kpi.organisation_id != plan.organisation_id:
        raise PlanError("feeds_outside_plan", field="kpi")
    if PlanKpi.objects.filter(period__plan=plan, kpi=kpi).exists():
        raise PlanError("kpi_in_plan", field="kpi", kpi=kpi.name)
    if (
        feeds is not None
        and not PlanKpi.objects.filter(
            period__plan=plan, period__position=period.position + 1, kpi=feeds
        ).exists()
    ):
        raise PlanError("feeds_outside_plan", field="feeds")
    return PlanKpi.objects.create(period=period, kpi=kpi, feeds=feeds)


def plan_kpi_unlink(*, link: PlanKpi) -> None:
    """Take a KPI out of a plan (the KPI itself stays)."""
    link.delete()


@transaction.atomic
def plan_delete(*, plan: Plan) -> None:
    """Delete a plan, its periods and its links to KPIs. The KPIs stay, with their
    check-ins and history: a link only points at its KPI, so nothing cascades into them."""
    plan.delete()
