"""The alert JSON, written once: the typed dict the API declares as its answer, filled by
``alert_to_dict`` for the API, the CLI's ``--json`` and the webhooks alike."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, cast

from pydantic import Field
from typing_extensions import TypedDict

from fokus.alerts import describe
from fokus.alerts.models import Alert
from fokus.api.schemas import IsoDate, IsoDateTime

AlertKindName = Literal[
    "customer_overdue",
    "advisory_due",
    "monitor_breached",
    "monitor_stale",
    "kpi_at_risk",
    "kpi_off_track",
    "checkin_overdue",
    "period_ended",
]
StateName = Literal["open", "acknowledged", "resolved"]
ResolutionName = Literal["cleared", "contact_logged"]


class AlertSubject(TypedDict):
    id: int
    name: str


class AlertOut(TypedDict):
    id: int
    kind: AlertKindName
    state: StateName
    title: Annotated[str, Field(description="one sentence in the token user's language")]
    subject: Annotated[str, Field(description='what the alert is about, e.g. "customer:12"')]
    episode: int
    customer: AlertSubject | None
    kpi: AlertSubject | None
    data: dict[str, Any]
    raised_on: IsoDate
    raised_at: IsoDateTime
    acknowledged_at: IsoDateTime | None
    acknowledged_by: Annotated[str | None, Field(description="the e-mail of who acknowledged it")]
    snoozed_until: IsoDate | None
    snooze_reason: str | None
    resolved_at: IsoDateTime | None
    resolution: ResolutionName | None


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def alert_to_dict(alert: Alert) -> AlertOut:
    """The alert JSON shared by the API, the CLI ``--json`` and the webhooks."""
    return {
        "id": alert.pk,
        "kind": cast(AlertKindName, alert.kind),
        "state": cast(StateName, alert.state),
        "title": describe.title(alert),
        "subject": alert.subject_key,
        "episode": alert.episode,
        "customer": (
            AlertSubject(id=alert.customer.pk, name=alert.customer.name)
            if alert.customer is not None
            else None
        ),
        "kpi": AlertSubject(id=alert.kpi.pk, name=alert.kpi.name)
        if alert.kpi is not None
        else None,
        "data": alert.data,
        "raised_on": alert.raised_on.isoformat(),
        "raised_at": alert.raised_at.isoformat(),
        "acknowledged_at": _iso(alert.acknowledged_at),
        "acknowledged_by": alert.acknowledged_by.email if alert.acknowledged_by else None,
        "snoozed_until": _iso(alert.snoozed_until),
        "snooze_reason": alert.snooze_reason or None,
        "resolved_at": _iso(alert.resolved_at),
        "resolution": cast(ResolutionName | None, alert.resolution or None),
    }
