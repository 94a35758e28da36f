"""The quarterly (and yearly) review of the plans: every KPI's verdict, what moved, the
funnels' bottlenecks, and the proposed KPIs of the next period: missed ones carried over
with adjusted targets, the next funnel stage, and next year's funnel.

Built on the period review of the KPIs (``fokus.kpis.selectors.review`` and its
presenters); the page, the PDF and the e-mail all show this one ``PlanReview``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fokus.accounts.models import Organisation, User
from fokus.core import kpi as core
from fokus.core.funnel import replan
from fokus.core.periods import Period
from fokus.kpis import presenters
from fokus.kpis import selectors as web_selectors
from fokus.kpis.formatting import format_kpi_value
from fokus.kpis.milestones import split_linearly
from fokus.kpis.models import ChecklistItem, Kpi, Measure
from fokus.kpis.presenters import ReviewRow
from fokus.kpis.selectors import kpi_evaluations
from fokus.kpis.sentences import kpi_sentence_of
from fokus.kpis.services import KpiSpec, kpi_create, kpi_spec_of
from fokus.plans.errors import PlanError
from fokus.plans.formatting import format_rate
from fokus.plans.models import FunnelPlan, FunnelStage
from fokus.plans.selectors import FunnelView, StageState, funnel_view, funnels_in
from fokus.ui import periods
from fokus.ui.formatting import format_day, format_number, format_value


@dataclass(frozen=True)
class Moved:
    kpi: Kpi
    before: str
    after: str
    change: str  # the progress gained in the period, e.g. "+85 pp of target"
    gained: float  # the same as a fraction of the target (0.85)


def change_text(gained: float) -> str:
    """Progress gained as percentage points of the target: 0 → 34 of 40 is "+85 pp of
    target", not a growth of 85 %."""
    points = format_number(abs(gained) * 100, places=1)
    sign = "+" if gained > 0 else "−"
    return _("%(sign)s%(points)s pp of target") % {"sign": sign, "points": points}


@dataclass(frozen=True)
class Bottleneck:
    """A funnel's conversion from ``upper`` into ``lower`` below plan; ``worst`` for the
    one furthest below (the funnel's bottleneck)."""

    funnel: FunnelPlan
    upper: FunnelStage
    lower: FunnelStage
    actual: str
    planned: str
    projected: str
    worst: bool = True

    @property
    def text(self) -> str:
        params = {
            "funnel": self.funnel.name,
            "upper": self.upper.name,
            "lower": self.lower.name,
            "actual": self.actual,
            "planned": self.planned,
            "projected": self.projected,
        }
        if self.worst:
            return (
                _(
                    "%(funnel)s: from “%(upper)s” to “%(lower)s” %(actual)s against "
                    "%(planned)s planned; projected %(projected)s at the bottom."
                )
                % params
            )
        return (
            _("%(funnel)s: from “%(upper)s” to “%(lower)s” %(actual)s against %(planned)s planned.")
            % params
        )


@dataclass(frozen=True)
class MissedStage:
    """A funnel stage whose KPI ended below its target."""

    funnel: FunnelPlan
    stage: FunnelStage
    actual: str
    target: str

    @property
    def text(self) -> str:
        return _("%(funnel)s: “%(stage)s” ended at %(actual)s, below its target of %(target)s.") % {
            "funnel": self.funnel.name,
            "stage": self.stage.name,
            "actual": self.actual,
            "target": self.target,
        }


@dataclass(frozen=True)
class CarryOver:
    """A missed KPI proposed again for the next period, continuing where it ended."""

    kpi: Kpi
    spec: KpiSpec
    reason: str
    sentence: str


@dataclass(frozen=True)
class NextStage:
    """The funnel stage that follows one that ended in the period."""

    funnel: FunnelPlan
    ended: FunnelStage
    stage: FunnelStage
    actual: int
    current: int
    proposed: int
    has_kpi: bool

    @property
    def text(self) -> str:
        return _(
            "“%(stage)s”: %(proposed)s from the %(actual)s of “%(ended)s” at the planned "
            "rate (target now %(current)s)."
        ) % {
            "stage": self.stage.name,
            "ended": self.ended.name,
            "actual": format_value(self.actual, unit="count"),
            "proposed": format_value(self.proposed, unit="count"),
            "current": format_value(self.current, unit="count"),
        }


@dataclass(frozen=True)
class NextFunnel:
    """A funnel that ended in the period, planned again for the next one at the rates the
    organisation actually reached."""

    funnel: FunnelPlan
    rates: list[Fraction]
    url: str

    @property
    def text(self) -> str:
        return _("Plan “%(funnel)s” again, at the rates you actually reached.") % {
            "funnel": self.funnel.name
        }


@dataclass
class PlanReview:
    organisation: Organisation
    period: Period
    next_period: Period
    as_of: dt.date
    finished: bool
    rows: list[ReviewRow]
    summary: str
    moved: list[Moved]
    bottlenecks: list[Bottleneck]  # each funnel's worst conversion below plan
    carry_over: list[CarryOver]
    next_stages: list[NextStage]
    next_funnels: list[NextFunnel]
    next_kpis: list[Kpi] = field(default_factory=list)
    slow: list[Bottleneck] = field(default_factory=list)  # the other conversions below plan
    missed_stages: list[MissedStage] = field(default_factory=list)
    funnels: int = 0  # how many funnels the period has
    monitors: int = 0  # customers' monitors left out (they are on the customers' pages)

    @property
    def funnel_notes(self) -> list[Bottleneck | MissedStage]:
        """What the funnels say, each funnel's bottleneck first: every conversion below
        plan and every stage that missed its target (each with its ``text``)."""
        return [*self.bottlenecks, *self.slow, *self.missed_stages]

    @property
    def funnels_fine(self) -> str:
        """The sentence when the funnels have nothing to say, true to why."""
        if not self.funnels:
            return _("No funnel is planned for this period.")
        return _("No funnel stage missed its target or converts below plan.")

    @property
    def nothing_proposed(self) -> str:
        return _("Nothing to propose: no KPI was missed and no funnel stage ended.")

    @property
    def monitors_line(self) -> str:
        return monitors_text(self.monitors) if self.monitors else ""

    @property
    def status_line(self) -> str:
        if self.finished:
            return _("Final: the period ended %(date)s.") % {"date": format_day(self.period.end)}
        return _("Status as of %(date)s; the period is still running.") % {
            "date": format_day(self.as_of)
        }

    @property
    def label(self) -> str:
        return periods.period_label(self.period)

    @property
    def next_label(self) -> str:
        return periods.period_label(self.next_period)

    @property
    def range(self) -> str:
        return periods.period_range(self.period)

    @property
    def title(self) -> str:
        return _("Review of %(period)s") % {"period": self.label}


def monitors_text(count: int) -> str:
    """The line that says why the customers' monitors are not in the review."""
    return ngettext(
        "%(count)s KPI follows a customer: such monitors are no goals of the period and "
        "are left out of the review; they are on the customers' pages.",
        "%(count)s KPIs follow a customer: such monitors are no goals of the period and "
        "are left out of the review; they are on the customers' pages.",
        count,
    ) % {"count": count}


def review_period(today: dt.date) -> Period:
    """The period a review looks back on by default: the quarter that ended last, or the
    year when that quarter was K4 (the year's review proposes next year's KPIs)."""
    first_of_quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_end = first_of_quarter - dt.timedelta(days=1)
    if last_end.month == 12:
        return Period(dt.date(last_end.year, 1, 1), last_end)
    start = dt.date(last_end.year, last_end.month - 2, 1)
    return Period(start, last_end)


def _moved(
    kpis: list[Kpi], before: dict[int, core.Evaluation], after: dict[int, core.Evaluation]
) -> list[Moved]:
    moved = []
    for kpi in kpis:
        first, last = before[kpi.pk], after[kpi.pk]
        if last.progress is None:
            continue
        gained = last.progress - (first.progress or 0.0)
        if first.actual == last.actual or abs(gained) < 1e-12:
            continue
        moved.append(
            Moved(
                kpi=kpi,
                before=format_kpi_value(
                    kpi, first.actual if first.actual is not None else kpi.baseline
                ),
                after=format_kpi_value(kpi, last.actual),
                change=change_text(gained),
                gained=gained,
            )
        )
    return sorted(moved, key=lambda m: -m.gained)


def carry_over_spec(kpi: Kpi, evaluation: core.Evaluation, period: Period) -> KpiSpec:
    """The missed KPI over ``period``: a running total or a latest value continues from
    where it ended towards the same target; an average or a recurring target starts
    afresh; a checklist keeps the items not ticked off."""
    baseline = kpi.baseline
    continues = kpi.measure in (Measure.SUM, Measure.LAST) and not kpi.interval
    if continues and evaluation.actual is not None and evaluation.actual != kpi.target:
        baseline = evaluation.actual
    spec = replace(
        kpi_spec_of(kpi),
        description=_("Carried over from %(period)s: %(actual)s of %(target)s reached.")
        % {
            "period": periods.period_label(Period(kpi.start, kpi.end)),
            "actual": format_kpi_value(kpi, evaluation.actual),
            "target": format_kpi_value(kpi, kpi.target),
        },
        start=period.start,
        end=period.end,
        target=None if kpi.interval else kpi.target,
        baseline=baseline,
        milestones=(),
    )
    if kpi.measure == Measure.CHECKLIST:
        open_items = getattr(kpi, "_open_items", None)
        if open_items is None:
            open_items = [item.name for item in kpi.items.all() if item.done_on is None]
        spec.items = list(open_items)
        spec.target = None
        spec.baseline = Decimal(0)
    if not kpi.interval and spec.target is not None:
        spec.milestones = split_linearly(period.start, period.end, spec.baseline, spec.target)
    return spec


def _sentence(spec: KpiSpec, organisation: Organisation) -> str:
    kpi = Kpi(
        organisation=organisation,
        name=spec.name,
        start=spec.start,
        end=spec.end,
        target=spec.target if spec.target is not None else Decimal(len(spec.items)),
        unit=spec.unit,
        unit_label=spec.unit_label,
        direction=spec.direction,
        measure=spec.measure,
        interval=spec.interval,
        interval_target=spec.interval_target,
    )
    return kpi_sentence_of(kpi, items=len(spec.items))


def _below_plan(funnel: FunnelPlan, view: FunnelView) -> list[Bottleneck]:
    """Every conversion below plan, the funnel's bottleneck (the worst) first."""
    found = []
    for i, upper in enumerate(view.stages[:-1]):
        rate, planned = upper.rate_actual, upper.rate_planned
        if rate is None or planned is None or rate >= planned:
            continue
        found.append(
            Bottleneck(
                funnel=funnel,
                upper=upper.stage,
                lower=view.stages[i + 1].stage,
                actual=format_rate(rate),
                planned=format_rate(float(planned)),
                projected=format_value(round(view.projected_bottom, 1), unit="number"),
                worst=view.bottleneck == i,
            )
        )
    return sorted(found, key=lambda b: not b.worst)


def _missed(funnel: FunnelPlan, view: FunnelView) -> list[MissedStage]:
    """The stages that have ended with their KPI (over by the review's date) short of its
    target."""
    missed = []
    for stage in view.stages:
        kpi, evaluation = stage.kpi, stage.evaluation
        if kpi is None or evaluation is None or stage.state != StageState.ENDED:
            continue
        short = evaluation.status == core.Status.missed or (
            kpi.end <= view.as_of and evaluation.progress is not None and evaluation.progress < 1
        )
        if short:
            missed.append(
                MissedStage(
                    funnel=funnel,
                    stage=stage.stage,
                    actual=format_kpi_value(kpi, evaluation.actual),
                    target=format_kpi_value(kpi, evaluation.target),
                )
            )
    return missed


def _next_stages(funnel: FunnelPlan, view: FunnelView, period: Period) -> list[NextStage]:
    """The stage after each one that ended in the period, its target planned again from
    what the ended stage reached."""
    stages = view.stages
    rates = [s.rate_planned for s in stages if s.rate_planned is not None]
    next_stages = []
    for i, stage_view in enumerate(stages[:-1]):
        stage = stage_view.stage
        if not period.start <= stage.end <= period.end or stage_view.actual is None:
            continue
        if stage_view.state != StageState.ENDED:
            continue
        result = replan(goal=funnel.goal, rates=rates, stage=i, actual=stage_view.actual)
        following = stages[i + 1]
        next_stages.append(
            NextStage(
                funnel=funnel,
                ended=stage,
                stage=following.stage,
                actual=stage_view.actual,
                current=following.target,
                proposed=result.targets[0],
                has_kpi=following.kpi is not None,
            )
        )
    return next_stages


def _next_funnel(
    funnel: FunnelPlan, view: FunnelView, period: Period, next_period: Period
) -> NextFunnel | None:
    """The funnel planned again for the next period at the rates it reached, when it
    ended in the period."""
    stages = view.stages
    if not (period.start <= funnel.end <= period.end and stages[-1].state == StageState.ENDED):
        return None
    learned = [
        _six(Fraction(s.rate_actual)) if s.rate_actual is not None else s.rate_planned
        for s in stages[:-1]
    ]
    chosen = [rate for rate in learned if rate is not None]
    query = urlencode(
        {
            "goal": funnel.goal,
            "period": _period_text(next_period),
            "placement": funnel.placement,
            "n": len(stages),
            **{f"name_{i}": s.stage.name for i, s in enumerate(stages)},
            **{f"rate_{i}": _percent_text(r) for i, r in enumerate(chosen)},
        }
    )
    return NextFunnel(funnel=funnel, rates=chosen, url=f"{reverse('plans:funnel_new')}?{query}")


@dataclass
class _FunnelParts:
    bottlenecks: list[Bottleneck] = field(default_factory=list)
    slow: list[Bottleneck] = field(default_factory=list)
    missed: list[MissedStage] = field(default_factory=list)
    next_stages: list[NextStage] = field(default_factory=list)
    next_funnels: list[NextFunnel] = field(default_factory=list)


def _funnel_parts(
    funnels: list[FunnelPlan], views: list[FunnelView], period: Period, next_period: Period
) -> _FunnelParts:
    parts = _FunnelParts()
    for funnel, view in zip(funnels, views, strict=True):
        for found in _below_plan(funnel, view):
            (parts.bottlenecks if found.worst else parts.slow).append(found)
        parts.missed += _missed(funnel, view)
        parts.next_stages += _next_stages(funnel, view, period)
        next_funnel = _next_funnel(funnel, view, period, next_period)
        if next_funnel is not None:
            parts.next_funnels.append(next_funnel)
    return parts


def _six(rate: Fraction) -> Fraction:
    return max(Fraction(round(rate * 10**6), 10**6), Fraction(1, 10**6))


def _percent_text(rate: Fraction) -> str:
    value = Decimal(rate.numerator * 100) / Decimal(rate.denominator)
    return format(value.quantize(Decimal("0.0001")).normalize(), "f")


def _period_text(period: Period) -> str:
    return period.label


def _funnel_views(
    organisation: Organisation, period: Period, today: dt.date, as_of: dt.date
) -> tuple[list[FunnelPlan], list[FunnelView]]:
    """The period's funnels and how they stand as of ``as_of`` (closed at the period's
    end once it is over)."""
    funnels = funnels_in(organisation=organisation, period=period)
    stage_kpis = [s.kpi for f in funnels for s in f.stages.all() if s.kpi is not None]
    evaluations = kpi_evaluations(organisation=organisation, kpis=stage_kpis, as_of=as_of)
    closed = period.end if today > period.end else None
    views = [
        funnel_view(funnel=f, today=as_of, evaluations=evaluations, closed=closed) for f in funnels
    ]
    return funnels, views


def _carry_over(
    organisation: Organisation, data: web_selectors.Review, next_period: Period
) -> list[CarryOver]:
    """The missed KPIs that are no funnel's stage, proposed again for the next period (a
    checklist only while items are left)."""
    in_funnels = set(
        FunnelStage.objects.filter(
            funnel__organisation=organisation, kpi_id__in=[k.pk for k in data.kpis]
        ).values_list("kpi_id", flat=True)
    )
    missed = [
        kpi
        for kpi in data.kpis
        if data.evaluations[kpi.pk].status == core.Status.missed and kpi.pk not in in_funnels
    ]
    items = _checklist_items(missed)
    carry_over = []
    for kpi in missed:
        if kpi.measure == Measure.CHECKLIST:
            kpi._open_items = items.get(kpi.pk, [])  # type: ignore[attr-defined]
        spec = carry_over_spec(kpi, data.evaluations[kpi.pk], next_period)
        if kpi.measure == Measure.CHECKLIST and not spec.items:
            continue
        carry_over.append(
            CarryOver(
                kpi=kpi,
                spec=spec,
                reason=spec.description,
                sentence=_sentence(spec, organisation),
            )
        )
    return carry_over


def plan_review(*, organisation: Organisation, period: Period, today: dt.date) -> PlanReview:
    """The review of ``period`` as of ``today`` (as of the period's end once it is over),
    in a fixed number of queries."""
    next_period = periods.next_period(period)
    data = web_selectors.review(
        organisation=organisation, period=period, next_period=next_period, today=today
    )
    as_of = data.as_of
    rows = [presenters.review_row(kpi, data.evaluations[kpi.pk]) for kpi in data.kpis]
    before = kpi_evaluations(
        organisation=organisation, kpis=data.kpis, as_of=period.start - dt.timedelta(days=1)
    )
    funnels, views = _funnel_views(organisation, period, today, as_of)
    parts = _funnel_parts(funnels, views, period, next_period)
    carry_over = _carry_over(organisation, data, next_period)
    return PlanReview(
        organisation=organisation,
        period=period,
        next_period=next_period,
        as_of=as_of,
        finished=today > period.end,
        rows=rows,
        summary=presenters.review_summary(rows),
        moved=_moved(data.kpis, before, data.evaluations),
        bottlenecks=parts.bottlenecks,
        carry_over=carry_over,
        next_stages=parts.next_stages,
        next_funnels=parts.next_funnels,
        next_kpis=data.next_kpis,
        slow=parts.slow,
        missed_stages=parts.missed,
        funnels=len(funnels),
        monitors=data.monitors,
    )


def _checklist_items(kpis: list[Kpi]) -> dict[int, list[str]]:
    ids = [k.pk for k in kpis if k.measure == Measure.CHECKLIST]
    result: dict[int, list[str]] = {}
    if ids:
        for item in ChecklistItem.objects.filter(kpi_id__in=ids, done_on__isnull=True):
            result.setdefault(item.kpi_id, []).append(item.name)
    return result


@transaction.atomic
def review_carry_over_create(
    *,
    organisation: Organisation,
    user: User | None,
    period: Period,
    kpi_ids: list[int],
    today: dt.date,
) -> list[Kpi]:
    """Create the chosen carried-over KPIs of the review of ``period`` for the next
    period (the proposals are computed again here, never taken from the form)."""
    chosen = set(kpi_ids)
    review = plan_review(organisation=organisation, period=period, today=today)
    picked = [c for c in review.carry_over if c.kpi.pk in chosen]
    if not picked:
        raise PlanError("nothing_proposed", field="kpis")
    return [kpi_create(organisation=organisation, spec=c.spec, user=user) for c in picked]
