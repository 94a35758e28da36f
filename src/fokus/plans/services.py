"""State changes of the planners: funnels and their stage KPIs, re-planning, and
multi-period plans. The web views, the API and the CLI call these same functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import transaction
from django.utils.translation import gettext as _

from fokus.accounts.models import Organisation, User
from fokus.core.funnel import Placement, RateInput
from fokus.core.periods import Period
from fokus.kpis.kpi_templates import template_get
from fokus.kpis.matching import SALES_COUNT_KIND, same_kpis_many
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


# --- Linking, not copying ----------------------------------------------------------------


@dataclass(frozen=True)
class KpiOffer:
    """A KPI a planner would create, under a key the caller can name it by, and the KPI
    that already measures the same thing (``kpis.matching``), linked instead unless the
    user asks for a new one."""

    key: str
    spec: KpiSpec
    existing: Kpi | None


@dataclass
class PlannedKpis:
    """What a planner did for its KPIs: which it created and which existing ones it
    linked (each with the key of the KPI it stands for)."""

    created: list[Kpi] = field(default_factory=list)
    linked: list[tuple[str, Kpi]] = field(default_factory=list)

    @property
    def kpis(self) -> list[Kpi]:
        return [*self.created, *(kpi for _key, kpi in self.linked)]


def kpi_offers(
    *, organisation: Organisation, wanted: Sequence[tuple[str, KpiSpec]], exclude: Sequence[int]
) -> list[KpiOffer]:
    """An offer per wanted KPI: the best existing KPI that measures the same thing, none
    offered twice (one query)."""
    found = same_kpis_many(
        organisation=organisation, specs=[spec for _key, spec in wanted], exclude=exclude
    )
    taken: set[int] = set()
    offers = []
    for (key, spec), matches in zip(wanted, found, strict=True):
        existing = next((kpi for kpi in matches if kpi.pk not in taken), None)
        if existing is not None:
            taken.add(existing.pk)
        offers.append(KpiOffer(key=key, spec=spec, existing=existing))
    return offers


def linked_text(planned: PlannedKpis) -> str:
    """The sentence that says which existing KPIs were linked (empty when none was)."""
    if not planned.linked:
        return ""
    names = ", ".join(f"“{kpi.name}”" for _key, kpi in planned.linked)
    return _(
        "Linked to the KPIs that measure the same already, instead of creating new ones: %(names)s."
    ) % {"names": names}


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
    link_existing: bool = True,
    create_new: Collection[str] = (),
) -> FunnelPlan:
    """Store a funnel planned backwards from ``goal``; with ``create_kpis`` also its stage
    KPIs, linking the KPIs that measure the same already (``funnel_kpis_create``). All or
    nothing."""
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
            funnel=funnel_get(organisation=organisation, pk=funnel.pk),
            user=user,
            now=now,
            link_existing=link_existing,
            create_new=create_new,
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
    """A stage's KPI: its required number as target. The bottom stage counts sales, so it
    is of the kind of the new customers (``kpis.matching``)."""
    target = Decimal(stage.required)
    return KpiSpec(
        kind=SALES_COUNT_KIND if last else "",
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


def stage_key(stage: FunnelStage) -> str:
    return f"stage-{stage.position}"


def funnel_kpi_offers(
    *, funnel: FunnelPlan, stages: Sequence[FunnelStage] | None = None
) -> list[KpiOffer]:
    """The KPI of each stage without one (key ``stage-N``, N its position), with the KPI
    that measures the same already, if any: the bottom stage's is offered the new
    customers' KPI of the time, any stage a KPI of its name over its time. ``stages``
    of a funnel not stored yet may be given (``draft_kpi_offers``)."""
    if stages is None:
        stages = list(funnel.stages.all())
    wanted = [
        (stage_key(s), _stage_spec(funnel, s, s.position == len(stages) - 1))
        for s in stages
        if s.kpi is None
    ]
    in_use = [s.kpi_id for s in stages if s.kpi_id is not None]
    return kpi_offers(organisation=funnel.organisation, wanted=wanted, exclude=in_use)


def draft_kpi_offers(
    *, organisation: Organisation, draft: FunnelDraft, name: str = ""
) -> list[KpiOffer]:
    """``funnel_kpi_offers`` of a funnel about to be stored: what its planner page
    offers before it creates the stage KPIs."""
    funnel = FunnelPlan(
        organisation=organisation,
        name=name.strip()[:NAME_LENGTH] or default_funnel_name(draft.period),
        goal=draft.goal,
        start=draft.period.start,
        end=draft.period.end,
        placement=draft.placement,
    )
    stages = [
        FunnelStage(position=i, name=s.name, required=s.required, start=s.start, end=s.end)
        for i, s in enumerate(draft.stages)
    ]
    return funnel_kpi_offers(funnel=funnel, stages=stages)


@transaction.atomic
def funnel_kpis_create(
    *,
    funnel: FunnelPlan,
    user: User | None,
    now: dt.datetime,
    link_existing: bool = True,
    create_new: Collection[str] = (),
) -> PlannedKpis:
    """One click: a KPI per stage (its required number as target, sub-goals per quarter or
    month of the stage), linked to the stage. Stages that have a KPI keep it; a stage
    whose KPI exists already (``funnel_kpi_offers``) is linked to it instead, unless
    ``link_existing`` is off or its key is in ``create_new``."""
    stages = {stage_key(s): s for s in funnel.stages.all()}
    offers = funnel_kpi_offers(funnel=funnel)
    if not offers:
        raise PlanError("kpis_exist", field="funnel")
    planned = PlannedKpis()
    for offer in offers:
        stage = stages[offer.key]
        if offer.existing is not None and link_existing and offer.key not in create_new:
            stage.kpi = offer.existing
            planned.linked.append((offer.key, offer.existing))
        else:
            stage.kpi = kpi_create(organisation=funnel.organisation, spec=offer.spec, user=user)
            planned.created.append(stage.kpi)
        stage.save(update_fields=["kpi"])
    funnel.kpis_created_at = now
    funnel.save(update_fields=["kpis_created_at"])
    return planned


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


def plan_kpi_offers(
    *,
    organisation: Organisation,
    leading: Period,
    sales: Period,
    leading_templates: Sequence[str] = LEADING_TEMPLATES,
    sales_templates: Sequence[str] = SALES_TEMPLATES,
) -> list[KpiOffer]:
    """The KPIs a plan would create from the article's templates (keys ``sales:SLUG`` and
    ``leading:SLUG``), each with the KPI that measures the same already in its period."""
    wanted = [
        (f"sales:{slug}", template_spec(slug, sales)) for slug in dict.fromkeys(sales_templates)
    ]
    wanted += [
        (f"leading:{slug}", template_spec(slug, leading))
        for slug in dict.fromkeys(leading_templates)
    ]
    return kpi_offers(organisation=organisation, wanted=wanted, exclude=[])


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
    link_existing: bool = True,
    create_new: Collection[str] = (),
) -> tuple[Plan, PlannedKpis]:
    """A plan over two consecutive periods with one primary goal: period 1's leading
    indicators, period 2's sales KPIs (from the article's templates), each leading KPI
    feeding the first sales KPI. A KPI that measures the same as a template's in its
    period (``plan_kpi_offers``) is linked instead of created, unless ``link_existing``
    is off or its key is in ``create_new``."""
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
    offers = plan_kpi_offers(
        organisation=organisation,
        leading=leading,
        sales=sales,
        leading_templates=leading_templates,
        sales_templates=sales_templates,
    )
    planned = PlannedKpis()
    kpis: dict[str, Kpi] = {}
    for offer in offers:
        if offer.existing is not None and link_existing and offer.key not in create_new:
            kpis[offer.key] = offer.existing
            planned.linked.append((offer.key, offer.existing))
        else:
            kpis[offer.key] = kpi_create(organisation=organisation, spec=offer.spec, user=user)
            planned.created.append(kpis[offer.key])
    sales_kpis = [kpi for key, kpi in kpis.items() if key.startswith("sales:")]
    PlanKpi.objects.bulk_create([PlanKpi(period=second, kpi=kpi) for kpi in sales_kpis])
    feeds = sales_kpis[0] if sales_kpis else None
    PlanKpi.objects.bulk_create(
        [
            PlanKpi(period=first, kpi=kpi, feeds=feeds)
            for key, kpi in kpis.items()
            if key.startswith("leading:")
        ]
    )
    return plan, planned


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
