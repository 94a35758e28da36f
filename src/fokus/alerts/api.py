"""REST endpoints of the alerts (mounted at /api/v1/alerts).

The token's organisation scopes every read (another organisation's alert is a 404);
acknowledging and snoozing need a role that may change things (a viewer gets 403).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from fokus.accounts.http import ApiRequest
from fokus.alerts import selectors, services
from fokus.alerts.models import Alert
from fokus.api.common import require_editor
from fokus.api.schemas import problems

router = Router(tags=["alerts"])


class AlertFilter(Schema):
    state: Literal["active", "open", "acknowledged", "resolved", "all"] = "active"
    include_snoozed: bool = False


class SnoozeIn(Schema):
    until: dt.date
    reason: str


# The alert JSON (``selectors.alert_to_dict``), shared with the CLI and the webhooks.

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


def _date_time() -> Any:
    return Field(json_schema_extra={"format": "date-time"})


class AlertSubject(Schema):
    id: int
    name: str


class AlertOut(Schema):
    id: int
    kind: AlertKindName
    state: Literal["open", "acknowledged", "resolved"]
    title: str = Field(description="one sentence in the token user's language")
    subject: str = Field(description='what the alert is about, e.g. "customer:12"')
    episode: int
    customer: AlertSubject | None
    kpi: AlertSubject | None
    data: dict[str, Any]
    raised_on: dt.date
    # Texts as ``alert_to_dict`` writes them, e.g. 2027-06-30T08:00:00+00:00.
    raised_at: str = _date_time()
    acknowledged_at: str | None = _date_time()
    acknowledged_by: str | None = Field(description="the e-mail of who acknowledged it")
    snoozed_until: dt.date | None
    snooze_reason: str | None
    resolved_at: str | None = _date_time()
    resolution: Literal["cleared", "contact_logged"] | None


def _alert(request: ApiRequest, pk: int) -> Alert:
    return selectors.alert_get(organisation=request.organisation, pk=pk)


@router.get(
    "",
    response=list[AlertOut],
    summary="The organisation's alerts (default: unresolved, not snoozed)",
)
def list_alerts(request: ApiRequest, filters: Query[AlertFilter]) -> list[dict[str, Any]]:
    organisation = request.organisation
    alerts = selectors.alert_list(
        organisation=organisation,
        today=request.today,
        state=filters.state,
        include_snoozed=filters.include_snoozed,
    )
    return [selectors.alert_to_dict(alert) for alert in alerts]


@router.post(
    "/{int:alert_id}/ack",
    response={200: AlertOut, **problems(403, 404, 409, 422)},
    summary="Acknowledge an alert",
)
def ack_alert(request: ApiRequest, alert_id: int) -> Any:
    alert = _alert(request, alert_id)
    require_editor(request)
    user = request.user
    alert = services.alert_acknowledge(alert=alert, user=user, now=timezone.now())
    return selectors.alert_to_dict(_alert(request, alert.pk))


@router.post(
    "/{int:alert_id}/snooze",
    response={200: AlertOut, **problems(403, 404, 409, 422)},
    summary="Snooze an alert until a date, with a reason",
)
def snooze_alert(request: ApiRequest, alert_id: int, body: SnoozeIn) -> Any:
    """Hide the alert until ``until``. A customer's "not contacted" alert snoozes the
    customer with it: ``GET /customers/due`` shows ``snoozed_until`` and no new alert
    comes before that date."""
    alert = _alert(request, alert_id)
    require_editor(request)
    user = request.user
    alert = services.alert_snooze(
        alert=alert, user=user, until=body.until, reason=body.reason, today=request.today
    )
    return selectors.alert_to_dict(_alert(request, alert.pk))
