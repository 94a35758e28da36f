"""What the planner pages share: the request's organisation and today, and the stages of
a funnel as the templates show them."""

from __future__ import annotations

from dataclasses import dataclass

from fokus.core.periods import Period
from fokus.kpis.formatting import format_value, status_label
from fokus.plans.formatting import format_rate
from fokus.plans.selectors import FunnelView, StageState
from fokus.web.presenters import period_label
from fokus.web.views.common import organisation_of, requested_period, today_of

__all__ = [
    "StageRow",
    "format_rate",
    "organisation_of",
    "presented_stages",
    "requested_period",
    "today_of",
]


@dataclass(frozen=True)
class StageRow:
    position: int
    number: int
    name: str
    period: str
    planned: str
    target: str
    replanned: bool
    actual: str
    expected: str  # a running sequential stage's forecast at its end
    state: str
    status: str
    status_label: str
    rate_planned: str
    rate_actual: str
    below_plan: bool
    bottleneck: bool
    kpi_id: int | None


def _count(value: int | None) -> str:
    return "–" if value is None else format_value(value, unit="count")


def presented_stages(view: FunnelView) -> list[StageRow]:
    rows = []
    for i, stage in enumerate(view.stages):
        evaluation = stage.evaluation
        status = str(evaluation.status) if evaluation is not None else "not_started"
        upper = view.stages[i - 1] if i else None
        rows.append(
            StageRow(
                position=i,
                number=i + 1,
                name=stage.stage.name,
                period=period_label(Period(stage.stage.start, stage.stage.end)),
                planned=_count(stage.stage.required),
                target=_count(stage.target),
                replanned=stage.target != stage.stage.required,
                actual=_count(stage.actual),
                expected=_count(stage.counted)
                if stage.state == StageState.RUNNING and stage.counted != stage.actual
                else "",
                state=stage.state,
                status=status,
                status_label=status_label(status) if evaluation is not None else "–",
                rate_planned=format_rate(float(upper.rate_planned))
                if upper is not None and upper.rate_planned is not None
                else "",
                rate_actual=format_rate(upper.rate_actual) if upper is not None else "",
                below_plan=upper is not None
                and upper.rate_actual is not None
                and upper.rate_planned is not None
                and upper.rate_actual < upper.rate_planned,
                bottleneck=stage.bottleneck,
                kpi_id=stage.kpi.pk if stage.kpi is not None else None,
            )
        )
    return rows
