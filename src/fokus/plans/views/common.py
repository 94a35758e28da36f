"""What the planner pages share: the request's organisation and today, and the stages of
a funnel as the templates show them."""

from __future__ import annotations

from dataclasses import dataclass

from fokus.core.periods import Period
from fokus.kpis.formatting import status_label
from fokus.plans.formatting import format_rate
from fokus.plans.selectors import FunnelView
from fokus.ui.formatting import format_value
from fokus.ui.periods import period_label, requested_period

__all__ = [
    "StageRow",
    "format_rate",
    "presented_stages",
    "requested_period",
]


@dataclass(frozen=True)
class StageRow:
    position: int
    number: int
    name: str
    next_name: str  # the stage this one converts into; "" for the bottom
    period: str
    planned: str
    target: str
    replanned: bool
    actual: str
    expected: str  # a running sequential stage's forecast at its end (not counted)
    state: str
    status: str
    status_label: str
    rate_planned: str  # this stage into the next, as the API's rate_to_next
    rate_actual: str  # the actual counts' s_{i+1} / s_i, as the API's rate_actual
    below_plan: bool
    bottleneck: bool  # this stage's actual rate falls furthest below plan
    kpi_id: int | None


def _count(value: int | None) -> str:
    return "–" if value is None else format_value(value, unit="count")


def presented_stages(view: FunnelView) -> list[StageRow]:
    """One row per stage with its own conversion into the next stage (docs/engine.md's
    ``r_i``), so the row flagged as the bottleneck shows the rate that makes it one."""
    rows = []
    for i, stage in enumerate(view.stages):
        evaluation = stage.evaluation
        status = str(evaluation.status) if evaluation is not None else "not_started"
        rows.append(
            StageRow(
                position=i,
                number=i + 1,
                name=stage.stage.name,
                next_name=view.stages[i + 1].stage.name if i + 1 < len(view.stages) else "",
                period=period_label(Period(stage.stage.start, stage.stage.end)),
                planned=_count(stage.stage.required),
                target=_count(stage.target),
                replanned=stage.target != stage.stage.required,
                actual=_count(stage.actual),
                expected=_count(stage.forecast)
                if stage.forecast is not None and stage.forecast != stage.actual
                else "",
                state=stage.state,
                status=status,
                status_label=status_label(status) if evaluation is not None else "–",
                rate_planned=format_rate(float(stage.rate_planned))
                if stage.rate_planned is not None
                else "",
                rate_actual=format_rate(stage.rate_actual),
                below_plan=stage.rate_actual is not None
                and stage.rate_planned is not None
                and stage.rate_actual < stage.rate_planned,
                bottleneck=stage.bottleneck,
                kpi_id=stage.kpi.pk if stage.kpi is not None else None,
            )
        )
    return rows
