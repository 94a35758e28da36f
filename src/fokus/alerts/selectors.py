"""Reads of alerts, always scoped to one organisation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from fokus.accounts.models import Organisation
from fokus.alerts.models import ACTIVE_STATES, Alert, AlertState
from fokus.errors import NotFound


def alert_queryset(organisation: Organisation) -> QuerySet[Alert]:
    return Alert.objects.filter(organisation=organisation).select_related(
        "organisation", "customer", "kpi", "acknowledged_by", "snoozed_by"
    )


def alert_get(*, organisation: Organisation, pk: int | str) -> Alert:
    text = str(pk).strip()
    alert = alert_queryset(organisation).filter(pk=int(text)).first() if text.isdigit() else None
    if alert is None:
        raise NotFound("unknown_alert", ref=text[:40])
    return alert


def _not_snoozed(today: dt.date) -> Q:
    return Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=today)


def alert_list(
    *,
    organisation: Organisation,
    today: dt.date,
    state: str = "active",
    include_snoozed: bool = False,
) -> list[Alert]:
    """Alerts by state: ``active`` (open or acknowledged), ``open``, ``acknowledged``,
    ``resolved`` or ``all``; snoozed ones only when asked for."""
    queryset = alert_queryset(organisation)
    if state == "active":
        queryset = queryset.filter(state__in=ACTIVE_STATES)
    elif state != "all":
        queryset = queryset.filter(state=state)
    if not include_snoozed:
        queryset = queryset.filter(_not_snoozed(today))
    return list(queryset.order_by("-raised_at", "-id"))


def open_alert_count(*, organisation: Organisation, today: dt.date) -> int:
    """Open alerts (not acknowledged, not snoozed): the number in the navigation."""
    return (
        Alert.objects.filter(organisation=organisation, state=AlertState.OPEN)
        .filter(_not_snoozed(today))
        .count()
    )


@dataclass
class Inbox:
    open: list[Alert]
    acknowledged: list[Alert]
    snoozed: list[Alert]


def inbox(*, organisation: Organisation, today: dt.date) -> Inbox:
    """The unresolved alerts in one query, sorted into the inbox's three groups."""
    result = Inbox(open=[], acknowledged=[], snoozed=[])
    for alert in alert_list(organisation=organisation, today=today, include_snoozed=True):
        if alert.snoozed_until is not None and alert.snoozed_until > today:
            result.snoozed.append(alert)
        elif alert.state == AlertState.OPEN:
            result.open.append(alert)
        else:
            result.acknowledged.append(alert)
    return result
