"""The JSON of the planners, each shape written once: a typed dict the API declares as its
answer, filled by a serializer here that the CLI's ``--json`` prints too. Field names are
docs/interfaces.md's "Funnel plan JSON" and "Revenue plan JSON" (plus the register's facts
and the retention table)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal, cast

from pydantic import Field
from typing_extensions import TypedDict

from fokus.api.schemas import IsoDate, Number
from fokus.kpis.models import Kpi
from fokus.plans.funnel import FunnelDraft, rate_number
from fokus.plans.models import FunnelPlan
from fokus.plans.revenue import RevenueResult
from fokus.plans.selectors import FunnelView
from fokus.values import json_number


class StageOut(TypedDict):
    name: str
    required: int
    rate_to_next: Number | None
    start: IsoDate
    end: IsoDate
    kpi: Annotated[int | None, Field(description="the stage's KPI; null in a plan not stored")]


class PeriodOut(TypedDict):
    start: IsoDate
    end: IsoDate


class LinkedOut(TypedDict):
    key: Annotated[
        str,
        Field(
            description="what the KPI stands for: stage-N (a funnel's stage N, from 0) or a lever"
        ),
    ]
    kpi: Annotated[int, Field(description="the existing KPI linked instead of a new one")]
    name: str


LINKED = Field(
    description="with create: the existing KPIs that measure the same thing, linked "
    "instead of creating a second KPI (null without create)"
)


class FunnelOut(TypedDict):
    id: Annotated[int | None, Field(description="null in a plan not stored")]
    name: str | None
    goal: int
    placement: str
    period: PeriodOut
    stages: list[StageOut]
    linked: Annotated[list[LinkedOut] | None, LINKED]


def linked_to_list(linked: list[tuple[str, Kpi]]) -> list[LinkedOut]:
    return [{"key": key, "kpi": kpi.pk, "name": kpi.name} for key, kpi in linked]


class StageViewOut(StageOut):
    target: int
    state: Literal["not_started", "running", "ended"]
    actual: Annotated[
        int | None, Field(description="the count so far; what the forward view counts")
    ]
    forecast: Annotated[
        int | None,
        Field(
            description="a running sequential stage's forecast at its end; for reading only, "
            "never counted in rate_actual, projected_bottom or bottleneck"
        ),
    ]
    rate_actual: Annotated[
        Number | None,
        Field(description="this stage into the next from the actual counts: s_{i+1} / s_i"),
    ]
    bottleneck: Annotated[
        bool, Field(description="this stage's actual rate falls furthest below plan")
    ]


class ReplanTarget(TypedDict):
    stage: int
    name: str
    target: int
    proposed: int


class ReplanOut(TypedDict):
    stage: int
    actual: int
    targets: list[ReplanTarget]
    uplift: Number | None


class FunnelViewOut(TypedDict):
    id: int
    name: str
    goal: int
    placement: str
    period: PeriodOut
    stages: list[StageViewOut]
    as_of: IsoDate
    projected_bottom: Number
    bottleneck: Annotated[
        int | None,
        Field(
            description="the position i of the stage whose actual rate r_i (into stage i+1) "
            "falls furthest below plan; null when none is below plan"
        ),
    ]
    replan: ReplanOut | None


def funnel_to_dict(draft: FunnelDraft, funnel: FunnelPlan | None = None) -> FunnelOut:
    """A funnel plan: as planned from a request (``funnel`` None: not stored), or a stored
    funnel with its id, name and stage KPIs."""
    kpis = [s.kpi_id for s in funnel.stages.all()] if funnel is not None else None
    return {
        "id": funnel.pk if funnel is not None else None,
        "name": funnel.name if funnel is not None else None,
        "goal": draft.goal,
        "placement": draft.placement,
        "period": {"start": draft.period.start.isoformat(), "end": draft.period.end.isoformat()},
        "stages": [
            {
                "name": stage.name,
                "required": stage.required,
                "rate_to_next": rate_number(stage.rate_to_next),
                "start": stage.start.isoformat(),
                "end": stage.end.isoformat(),
                "kpi": kpis[i] if kpis is not None else None,
            }
            for i, stage in enumerate(draft.stages)
        ],
        "linked": None,
    }


def funnel_view_to_dict(draft: FunnelDraft, view: FunnelView) -> FunnelViewOut:
    """A stored funnel's forward view (``fokus.plans.selectors.funnel_view``)."""
    plan = funnel_to_dict(draft, view.funnel)
    proposal = view.proposal
    replan: ReplanOut | None = None
    if proposal is not None:
        replan = {
            "stage": proposal.ended.position,
            "actual": proposal.replan.actual,
            "targets": [
                {"stage": stage.position, "name": stage.name, "target": now, "proposed": new}
                for stage, _kpi, now, new in proposal.changes
            ],
            "uplift": rate_number(proposal.replan.uplift),
        }
    return {
        "id": view.funnel.pk,
        "name": view.funnel.name,
        "goal": plan["goal"],
        "placement": plan["placement"],
        "period": plan["period"],
        "stages": [
            {
                **row,
                "target": stage.target,
                "state": cast(Literal["not_started", "running", "ended"], stage.state),
                "actual": stage.actual,
                "forecast": stage.forecast,
                "rate_actual": stage.rate_actual,
                "bottleneck": stage.bottleneck,
            }
            for row, stage in zip(plan["stages"], view.stages, strict=True)
        ],
        "as_of": view.as_of.isoformat(),
        "projected_bottom": view.projected_bottom,
        "bottleneck": view.bottleneck,
        "replan": replan,
    }


class RealismOut(TypedDict):
    median_first_year_revenue: Number | None
    planned_annual_spend: Number | None
    warning: str | None


class RetentionRowOut(TypedDict):
    months: int
    revenue: Number


class RegisterOut(TypedDict):
    as_of: IsoDate
    active_customers: int
    last_12_months_revenue: Number
    customers_with_monthly_revenue: int
    recent_customers: int


class RevenueOut(TypedDict):
    new_customers_revenue: Number
    upsell_revenue: Number
    retention_revenue: Number
    total: Number
    realism: RealismOut
    retention_table: list[RetentionRowOut]
    from_register: RegisterOut
    kpis: Annotated[list[int] | None, Field(description="the KPIs created (with create)")]
    linked: Annotated[list[LinkedOut] | None, LINKED]


def revenue_to_dict(result: RevenueResult, currency: str = "DKK") -> RevenueOut:
    """docs/interfaces.md "Revenue plan JSON", plus the register facts and the retention table."""
    check = result.realism
    facts = result.facts
    return {
        "new_customers_revenue": json_number(result.new_customers_revenue),
        "upsell_revenue": json_number(result.upsell_revenue),
        "retention_revenue": json_number(result.retention_revenue),
        "total": json_number(result.total),
        "realism": {
            "median_first_year_revenue": json_number(result.median_first_year_revenue),
            "planned_annual_spend": json_number(check.planned_annual_spend) if check else None,
            "warning": result.warning(currency),
        },
        "retention_table": [
            {"months": months, "revenue": json_number(value)} for months, value in result.table
        ],
        "from_register": {
            "as_of": facts.today.isoformat(),
            "active_customers": facts.active,
            "last_12_months_revenue": json_number(sum(facts.last_12_months, Decimal(0))),
            "customers_with_monthly_revenue": facts.known_monthly,
            "recent_customers": len(facts.first_years),
        },
        "kpis": None,
        "linked": None,
    }
