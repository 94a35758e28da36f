"""Response and body shapes shared by the routers (field names as docs/interfaces.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

Number = int | float


class ProblemError(Schema):
    field: str | None = None
    code: str | None = None
    message: str
    index: int | None = None
    row: int | None = None


class Problem(Schema):
    """application/problem+json (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str | None = None
    errors: list[ProblemError] | None = None


def problems(*codes: int) -> dict[int, Any]:
    """The problem responses of an operation: always 401 and 429, plus ``codes``."""
    return {code: Problem for code in sorted({401, 429, *codes})}


class IntervalOut(Schema):
    start: dt.date
    end: dt.date
    actual: Number
    target: Number
    met: bool | None


class EvaluationOut(Schema):
    as_of: dt.date
    actual: Number | None
    plan: Number
    target: Number
    baseline: Number
    progress: Number | None
    expected_progress: Number
    pace: Number | None
    forecast: Number | None
    forecast_progress: Number | None
    status: Literal[
        "not_started", "no_data", "on_track", "at_risk", "off_track", "achieved", "missed"
    ]
    intervals: list[IntervalOut]


class MilestoneOut(Schema):
    date: dt.date
    value: Number


class KpiOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    category: str
    unit: str
    unit_label: str
    direction: Literal["increase", "decrease"]
    measure: Literal["sum", "last", "average", "checklist"]
    start: dt.date
    end: dt.date
    baseline: Number
    target: Number
    interval: Literal["week", "month", "quarter"] | None
    interval_target: Number | None
    milestones: list[MilestoneOut]
    cadence: str | None
    focus: bool
    customer: int | None
    evaluation: EvaluationOut | None = None


class CheckinOut(Schema):
    id: int
    kpi: int
    date: dt.date
    value: Number
    note: str
    source: Literal["manual", "import", "api", "derived"]
    external_id: str | None
    # The text checkin_to_dict gives (as the CLI's --json), e.g. 2027-06-30T12:00:00+00:00.
    created_at: str = Field(json_schema_extra={"format": "date-time"})


class BulkItemOut(Schema):
    id: int
    external_id: str | None
    created: bool = Field(description="false: the (kpi, external_id) was stored already")


class BulkOut(Schema):
    created: int = Field(description="check-ins stored by this request")
    unchanged: int = Field(description="items whose (kpi, external_id) was stored already")
    checkins: list[BulkItemOut] = Field(
        description="per item, in the order sent: the id of its check-in and whether it is new"
    )
