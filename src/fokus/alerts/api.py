"""REST endpoints of the alerts (mounted at /api/v1/alerts).

The token's organisation scopes every read (another organisation's alert is a 404);
acknowledging and snoozing need a role that may change things (a viewer gets 403).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.utils import timezone
from ninja import Query, Router, Schema

from fokus.accounts.http import ApiRequest
from fokus.alerts import selectors, services
from fokus.alerts.models import Alert
from fokus.alerts.shapes import AlertOut, alert_to_dict
from fokus.api.common import require_editor
from fokus.api.schemas import problems

router = Router(tags=["alerts"])


class AlertFilter(Schema):
    state: Literal["active", "open", "acknowledged", "resolved", "all"] = "active"
    include_snoozed: bool = False


class SnoozeIn(Schema):
    until: dt.date
    reason: str


def _alert(request: ApiRequest, pk: int) -> Alert:
    return selectors.alert_get(organisation=request.organisation, pk=pk)


@router.get(
    "",
    response=list[AlertOut],
    summary="The organisation's alerts (default: unresolved, not snoozed)",
)
def list_alerts(request: ApiRequest, filters: Query[AlertFilter]) -> list[AlertOut]:
    organisation = request.organisation
    alerts = selectors.alert_list(
        organisation=organisation,
        today=request.today,
        state=filters.state,
        include_snoozed=filters.include_snoozed,
    )
    return [alert_to_dict(alert) for alert in alerts]


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
    return alert_to_dict(_alert(request, alert.pk))


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
    return alert_to_dict(_alert(request, alert.pk))
