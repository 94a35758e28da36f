"""The JSON of KPIs and check-ins, each shape written once: a typed dict that the API
declares as its answer (and so documents in the OpenAPI schema), that a serializer here
fills (mypy checks it gives every field) and that the CLI's ``--json`` prints as it is.
Field names are docs/interfaces.md's."""

from __future__ import annotations

from typing import Annotated, Literal, NotRequired, cast

from pydantic import Field
from typing_extensions import TypedDict

from fokus.api.schemas import IsoDate, IsoDateTime, Number
from fokus.core import kpi as core
from fokus.kpis.models import CheckIn, Kpi
from fokus.values import json_number

Status = Literal["not_started", "no_data", "on_track", "at_risk", "off_track", "achieved", "missed"]


class IntervalOut(TypedDict):
    start: IsoDate
    end: IsoDate
    actual: Number
    target: Number
    met: bool | None


class EvaluationOut(TypedDict):
    as_of: IsoDate
    actual: Number | None
    plan: Number
    target: Number
    baseline: Number
    progress: Number | None
    expected_progress: Number
    pace: Number | None
    forecast: Number | None
    forecast_progress: Number | None
    status: Status
    intervals: list[IntervalOut]


class MilestoneOut(TypedDict):
    date: IsoDate
    value: Number


class KpiOut(TypedDict):
    id: int
    slug: str
    name: str
    description: str
    category: str
    unit: str
    unit_label: str
    direction: Literal["increase", "decrease"]
    measure: Literal["sum", "last", "average", "checklist"]
    start: IsoDate
    end: IsoDate
    baseline: Number
    target: Number
    interval: Literal["week", "month", "quarter"] | None
    interval_target: Number | None
    milestones: list[MilestoneOut]
    cadence: str | None
    focus: bool
    customer: int | None
    evaluation: NotRequired[EvaluationOut]


class CheckinOut(TypedDict):
    id: int
    kpi: int
    date: IsoDate
    value: Number
    note: str
    source: Literal["manual", "import", "api", "derived"]
    external_id: str | None
    created_at: IsoDateTime


class BulkItemOut(TypedDict):
    id: int
    external_id: str | None
    created: Annotated[bool, Field(description="false: the (kpi, external_id) was stored already")]


class BulkOut(TypedDict):
    created: Annotated[int, Field(description="check-ins stored by this request")]
    unchanged: Annotated[
        int, Field(description="items whose (kpi, external_id) was stored already")
    ]
    checkins: Annotated[
        list[BulkItemOut],
        Field(
            description="per item, in the order sent: the id of its check-in and whether it is new"
        ),
    ]


def kpi_to_dict(kpi: Kpi, evaluation: core.Evaluation | None = None) -> KpiOut:
    """The KPI JSON shared by the UI, the CLI ``--json`` and the API."""
    data: KpiOut = {
        "id": kpi.pk,
        "slug": kpi.slug,
        "name": kpi.name,
        "description": kpi.description,
        "category": kpi.category,
        "unit": kpi.unit,
        "unit_label": kpi.unit_label,
        "direction": cast(Literal["increase", "decrease"], kpi.direction),
        "measure": cast(Literal["sum", "last", "average", "checklist"], kpi.measure),
        "start": kpi.start.isoformat(),
        "end": kpi.end.isoformat(),
        "baseline": json_number(kpi.baseline),
        "target": json_number(kpi.target),
        "interval": cast(Literal["week", "month", "quarter"] | None, kpi.interval or None),
        "interval_target": json_number(kpi.interval_target),
        "milestones": [
            {"date": m.date.isoformat(), "value": json_number(m.value)} for m in kpi.sub_goals()
        ],
        "cadence": kpi.cadence or None,
        "focus": kpi.focus,
        "customer": kpi.customer_id,
    }
    if evaluation is not None:
        # The engine's own JSON-ready view, whose fields EvaluationOut names.
        data["evaluation"] = cast(EvaluationOut, evaluation.as_dict())
    return data


def checkin_to_dict(checkin: CheckIn) -> CheckinOut:
    return {
        "id": checkin.pk,
        "kpi": checkin.kpi_id,
        "date": checkin.date.isoformat(),
        "value": json_number(checkin.value),
        "note": checkin.note,
        "source": cast(Literal["manual", "import", "api", "derived"], checkin.source),
        "external_id": checkin.external_id,
        "created_at": checkin.created_at.isoformat(),
    }
