"""Reads of the planners, always scoped to one organisation, each in a fixed number of
queries however many stages, KPIs or customers there are."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from fokus.accounts.models import Organisation
from fokus.core import kpi as core
from fokus.core.funnel import Placement, Replan, forward_view, learned_rates, replan
from fokus.core.periods import Period
from fokus.core.revenue import first_year_revenue, last_12_months, recent_start
from fokus.customers.models import Customer, CustomerStatus, RevenueEntry
from fokus.kpis.models import Kpi
from fokus.kpis.selectors import MILESTONES, kpi_evaluations
from fokus.plans.funnel import default_rates
from fokus.plans.models import FunnelPlan, FunnelStage, Plan, PlanKpi, PlanPeriod

# --- Funnels --------------------------------------------------------------------------


def _stage_kpis() -> Prefetch:
    kpis = Kpi.objects.filter(archived_at__isnull=True).prefetch_related(MILESTONES)
    return Prefetch(
        "stages",
        queryset=FunnelStage.objects.order_by("position").prefetch_related(
            Prefetch("kpi", queryset=kpis)
        ),
    )


def funnel_list(*, organisation: Organisation) -> QuerySet[FunnelPlan]:
    return FunnelPlan.objects.filter(organisation=organisation).annotate(
        stage_count=Count("stages"), kpi_count=Count("stages__kpi")
    )


def funnels_in(*, organisation: Organisation, period: Period) -> list[FunnelPlan]:
    """The organisation's funnels overlapping ``period``, with stages and KPIs."""
    funnels = list(
        FunnelPlan.objects.filter(
            organisation=organisation, start__lte=period.end, end__gte=period.start
        )
        .prefetch_related(_stage_kpis())
        .order_by("start", "id")
    )
    for funnel in funnels:
        _attach(funnel, organisation)
    return funnels


def funnel_get(*, organisation: Organisation, pk: int) -> FunnelPlan:
    """One funnel of the organisation with its stages and their KPIs; 404 for any other."""
    funnel = (
        FunnelPlan.objects.filter(organisation=organisation, pk=pk)
        .prefetch_related(_stage_kpis())
        .first()
    )
    if funnel is None:
        raise Http404(gettext("There is no funnel %(id)s.") % {"id": pk})
    _attach(funnel, organisation)
    return funnel


def _attach(funnel: FunnelPlan, organisation: Organisation) -> None:
    funnel.organisation = organisation
    for stage in funnel.stages.all():
        if stage.kpi is not None:
            stage.kpi.organisation = organisation


def stages_of(funnel: FunnelPlan) -> list[FunnelStage]:
    return list(funnel.stages.all())


def funnel_rates(funnel: FunnelPlan) -> list[Fraction]:
    return [Fraction(s.rate_to_next) for s in stages_of(funnel) if s.rate_to_next is not None]


class StageState:
    NOT_STARTED = "not_started"
    RUNNING = "running"
    ENDED = "ended"


@dataclass(frozen=True)
class StageView:
    stage: FunnelStage
    kpi: Kpi | None
    evaluation: core.Evaluation | None
    state: str
    target: int  # the stage KPI's target now (a re-plan changes it), else the plan
    actual: int | None  # the count so far: what the forward view counts
    forecast: int | None  # a running sequential stage's forecast at its end; shown
    #                       beside the actual, never counted by the forward view
    rate_planned: Fraction | None  # r_i, this stage into the next (planned)
    rate_actual: float | None  # s_{i+1} / s_i from the actual counts
    bottleneck: bool  # this stage's actual rate falls furthest below plan


@dataclass(frozen=True)
class ReplanProposal:
    """New targets for the later stages after ``ended`` fell short of its target."""

    ended: FunnelStage
    replan: Replan
    changes: list[tuple[FunnelStage, Kpi | None, int, int]]  # stage, KPI, now, proposed


@dataclass(frozen=True)
class FunnelView:
    funnel: FunnelPlan
    as_of: dt.date
    stages: list[StageView]
    projected_bottom: float
    bottleneck: int | None  # the stage i whose actual rate r_i falls furthest below plan
    proposal: ReplanProposal | None

    @property
    def has_kpis(self) -> bool:
        return any(view.kpi is not None for view in self.stages)

    @property
    def missing_kpis(self) -> bool:
        return any(view.kpi is None for view in self.stages)


def _state(stage: FunnelStage, today: dt.date, closed: dt.date | None) -> str:
    if today < stage.start:
        return StageState.NOT_STARTED
    if today > stage.end or (closed is not None and stage.end <= closed):
        return StageState.ENDED
    return StageState.RUNNING


def _whole(value: Decimal | float | None) -> int | None:
    if value is None:
        return None
    return max(0, math.floor(value))


def _actual(state: str, evaluation: core.Evaluation | None) -> int | None:
    """The stage's actual count so far; unknown before the stage starts or without a KPI."""
    if evaluation is None or state == StageState.NOT_STARTED:
        return None
    return _whole(evaluation.actual)


def _forecast(placement: str, state: str, evaluation: core.Evaluation | None) -> int | None:
    """A running sequential stage's forecast at its end, for people to read beside the
    actual; the forward view never counts it (docs/engine.md: actual stage counts)."""
    if evaluation is None or state != StageState.RUNNING or placement != Placement.sequential:
        return None
    return _whole(round(evaluation.forecast)) if evaluation.forecast is not None else None


def funnel_view(
    *,
    funnel: FunnelPlan,
    today: dt.date,
    evaluations: dict[int, core.Evaluation] | None = None,
    closed: dt.date | None = None,
) -> FunnelView:
    """The forward view as of ``today`` (docs/engine.md "Funnel (reverse plan)"): each
    stage's actual count from its KPI, the actual rates ``s_{i+1} / s_i``, the projected
    bottom, the bottleneck (the stage ``i`` whose actual rate ``r_i`` falls furthest below
    plan, as
    ``core.funnel.forward_view`` names it) and, when a stage has ended below its target,
    re-planned targets for the later stages. Only actual counts feed these numbers; a
    running stage's forecast is shown beside them. ``evaluations`` of the stage KPIs as
    of ``today`` may be given (many funnels evaluated at once); a review of a finished
    period passes its last day as ``closed``: stages ending then have ended."""
    stages = stages_of(funnel)
    if evaluations is None:
        kpis = [s.kpi for s in stages if s.kpi is not None]
        evaluations = kpi_evaluations(organisation=funnel.organisation, kpis=kpis, as_of=today)
    planned = [Fraction(s.rate_to_next) for s in stages if s.rate_to_next is not None]
    rows = []
    for stage in stages:
        evaluation = evaluations.get(stage.kpi.pk) if stage.kpi is not None else None
        state = _state(stage, today, closed)
        rows.append((stage, evaluation, state, _actual(state, evaluation)))
    forward = forward_view(planned, [row[3] for row in rows])
    views = []
    for i, (stage, evaluation, state, actual) in enumerate(rows):
        target = int(stage.kpi.target) if stage.kpi is not None else stage.required
        views.append(
            StageView(
                stage=stage,
                kpi=stage.kpi,
                evaluation=evaluation,
                state=state,
                target=target,
                actual=actual,
                forecast=_forecast(funnel.placement, state, evaluation),
                rate_planned=planned[i] if i < len(planned) else None,
                rate_actual=forward.actual_rates[i] if i < len(planned) else None,
                bottleneck=forward.bottleneck == i,
            )
        )
    return FunnelView(
        funnel=funnel,
        as_of=today,
        stages=views,
        projected_bottom=forward.projected_bottom,
        bottleneck=forward.bottleneck,
        proposal=_proposal(funnel, views, planned),
    )


def _proposal(
    funnel: FunnelPlan, views: list[StageView], planned: list[Fraction]
) -> ReplanProposal | None:
    """The latest ended stage (with later stages still to come) decides: below its
    target, the later stages get what its actual turns into at the planned rates."""
    if funnel.placement != Placement.sequential:
        return None
    ended = [
        i
        for i, view in enumerate(views[:-1])
        if view.state == StageState.ENDED and view.actual is not None
    ]
    if not ended:
        return None
    i = ended[-1]
    view = views[i]
    if view.actual is None or view.actual >= view.target:
        return None
    result = replan(goal=funnel.goal, rates=planned, stage=i, actual=view.actual)
    changes = []
    for later, proposed in zip(views[i + 1 :], result.targets, strict=True):
        if later.state != StageState.ENDED and proposed != later.target:
            changes.append((later.stage, later.kpi, later.target, proposed))
    if not changes:
        return None
    return ReplanProposal(ended=view.stage, replan=result, changes=changes)


def funnel_histories(*, organisation: Organisation, today: dt.date) -> list[list[int | None]]:
    """The actual stage counts of the organisation's funnels that have ended by
    ``today`` (a stage without a KPI counts as unknown)."""
    stages = list(
        FunnelStage.objects.filter(funnel__organisation=organisation, funnel__end__lt=today)
        .select_related("kpi")
        .order_by("funnel_id", "position")
    )
    kpis = [s.kpi for s in stages if s.kpi is not None and s.kpi.archived_at is None]
    for kpi in kpis:
        kpi.organisation = organisation
    evaluations = kpi_evaluations(organisation=organisation, kpis=kpis, as_of=today)
    histories: dict[int, list[int | None]] = defaultdict(list)
    for stage in stages:
        evaluation = evaluations.get(stage.kpi_id) if stage.kpi_id else None
        histories[stage.funnel_id].append(_whole(evaluation.actual) if evaluation else None)
    return list(histories.values())


@dataclass(frozen=True)
class DefaultRates:
    rates: list[Fraction]
    learned: list[bool]  # which rate comes from the organisation's own funnels
    funnels: int  # how many past funnels of this size there are


def default_funnel_rates(
    *, organisation: Organisation, stages: int, today: dt.date
) -> DefaultRates:
    """Rates for a new funnel: learned from the organisation's past funnels of the same
    size where they tell, else the article's (four stages) or 10 %."""
    histories = [
        h for h in funnel_histories(organisation=organisation, today=today) if len(h) == stages
    ]
    fallback = default_rates(stages)
    learned = learned_rates(histories, stages - 1)
    rates = [
        _six_places(rate) if rate is not None else fallback[i] for i, rate in enumerate(learned)
    ]
    return DefaultRates(
        rates=rates, learned=[rate is not None for rate in learned], funnels=len(histories)
    )


def _six_places(rate: Fraction) -> Fraction:
    """A learned rate rounded to the 6 decimals a stored rate has (never to 0)."""
    rounded = Fraction(round(rate * 10**6), 10**6)
    return rounded if rounded > 0 else Fraction(1, 10**6)


# --- Multi-period plans ---------------------------------------------------------------


def plan_list(*, organisation: Organisation) -> QuerySet[Plan]:
    return Plan.objects.filter(organisation=organisation).prefetch_related(
        Prefetch("periods", queryset=PlanPeriod.objects.order_by("position"))
    )


def plan_get(*, organisation: Organisation, pk: int) -> Plan:
    kpis = Kpi.objects.filter(archived_at__isnull=True).prefetch_related(MILESTONES)
    links = PlanKpi.objects.filter(kpi__archived_at__isnull=True).prefetch_related(
        Prefetch("kpi", queryset=kpis)
    )
    plan = (
        Plan.objects.filter(organisation=organisation, pk=pk).prefetch_related(
            Prefetch(
                "periods",
                queryset=PlanPeriod.objects.order_by("position").prefetch_related(
                    Prefetch("links", queryset=links.order_by("id"))
                ),
            )
        )
    ).first()
    if plan is None:
        raise Http404(gettext("There is no plan %(id)s.") % {"id": pk})
    plan.organisation = organisation
    return plan


@dataclass(frozen=True)
class PeriodView:
    period: PlanPeriod
    links: list[PlanKpi]
    evaluations: dict[int, core.Evaluation]
    candidates: list[Kpi]  # KPIs of the organisation in this period, not linked yet


def plan_view(*, plan: Plan, today: dt.date) -> list[PeriodView]:
    """Each period of the plan with its KPIs evaluated as of ``today`` and the KPIs of the
    period that could still join it (three queries for the evaluations and candidates)."""
    organisation = plan.organisation
    periods = list(plan.periods.all())
    links = {p.pk: list(p.links.all()) for p in periods}
    kpis = [link.kpi for p in periods for link in links[p.pk]]
    for kpi in kpis:
        kpi.organisation = organisation
    evaluations = kpi_evaluations(organisation=organisation, kpis=kpis, as_of=today)
    first = min((p.start for p in periods), default=today)
    last = max((p.end for p in periods), default=today)
    linked = {kpi.pk for kpi in kpis}
    others = list(
        Kpi.objects.filter(
            organisation=organisation, archived_at__isnull=True, start__lte=last, end__gte=first
        )
        .exclude(pk__in=linked)
        .order_by("start", "name", "id")
    )
    return [
        PeriodView(
            period=p,
            links=links[p.pk],
            evaluations=evaluations,
            candidates=[k for k in others if k.start <= p.end and k.end >= p.start],
        )
        for p in periods
    ]


# --- The customer register for the revenue planner -------------------------------------


@dataclass(frozen=True)
class RegisterFacts:
    """What the revenue planner reads from the customer register as of ``today``."""

    today: dt.date
    active: int
    last_12_months: list[Decimal]  # per active customer
    monthly: list[Decimal | None]  # per active customer: own monthly revenue, if known
    first_years: list[Decimal]  # per customer who started within the last 24 months
    first_years_running: int  # of those, how many are still in their first year

    @property
    def known_monthly(self) -> int:
        return sum(1 for value in self.monthly if value is not None)


def register_facts(*, organisation: Organisation, today: dt.date) -> RegisterFacts:
    """Active customers' revenue of the last 12 months and monthly revenue, and the
    first-year revenue of the customers who started within the last 24 months (three
    queries)."""
    window_start, window_end = last_12_months(today)
    customers = list(
        Customer.objects.filter(organisation=organisation)
        .exclude(status=CustomerStatus.PROSPECT)
        .values_list("pk", "status", "since", "monthly_revenue")
    )
    active = [c for c in customers if c[1] == CustomerStatus.ACTIVE]
    recent = [c for c in customers if recent_start(c[2], today)]
    last12: dict[int, Decimal] = defaultdict(Decimal)
    if active:
        rows = RevenueEntry.objects.filter(
            customer__organisation=organisation,
            customer__status=CustomerStatus.ACTIVE,
            date__gte=window_start,
            date__lte=window_end,
        ).values_list("customer_id", "amount")
        for customer_id, amount in rows:
            last12[customer_id] += amount
    entries: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    if recent:
        earliest = min(c[2] for c in recent)
        rows2 = RevenueEntry.objects.filter(
            customer_id__in=[c[0] for c in recent], date__gte=earliest, date__lte=today
        ).values_list("customer_id", "date", "amount")
        for customer_id, day, amount in rows2:
            entries[customer_id].append((day, amount))
    running = sum(1 for c in recent if today < _first_year_end(c[2]))
    return RegisterFacts(
        today=today,
        active=len(active),
        last_12_months=[last12[c[0]] for c in active],
        monthly=[c[3] for c in active],
        first_years=[first_year_revenue(c[2], entries[c[0]], today) for c in recent],
        first_years_running=running,
    )


def _first_year_end(since: dt.date) -> dt.date:
    return since + relativedelta(months=12) - dt.timedelta(days=1)
