"""Reads of alerts, always scoped to one organisation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from fokus.accounts.models import Organisation
from fokus.alerts.models import ACTIVE_STATES, Alert, AlertKind, AlertState, ScanRun
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


# The inbox's groups, in the order it shows them: what to do about customers first.
GROUPS: dict[str, tuple[str, ...]] = {
    "customers": (AlertKind.CUSTOMER_OVERDUE,),
    "advisory": (AlertKind.ADVISORY_DUE,),
    "monitors": (AlertKind.MONITOR_BREACHED, AlertKind.MONITOR_STALE),
    "kpis": (
        AlertKind.KPI_OFF_TRACK,
        AlertKind.KPI_AT_RISK,
        AlertKind.CHECKIN_OVERDUE,
        AlertKind.PERIOD_ENDED,
    ),
}
GROUP_OF = {kind: group for group, kinds in GROUPS.items() for kind in kinds}
# Within a group the worse kind first (off track before at risk, breached before stale).
KIND_RANK = {kind: rank for kinds in GROUPS.values() for rank, kind in enumerate(kinds)}
STATES = ("open", "acknowledged", "snoozed")
# The kinds whose alert keeps the day it came due.
DUE_IN_DATA = (AlertKind.CUSTOMER_OVERDUE, AlertKind.ADVISORY_DUE, AlertKind.CHECKIN_OVERDUE)


def _day(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def urgency(alert: Alert) -> tuple[int, dt.date, int]:
    """Most urgent first: the worse kind, then the day it came due (a customer's contact,
    an advisory meeting, a check-in: the earliest due is the most days overdue), else
    the day it was raised (the longest standing)."""
    due: dt.date | None = None
    if alert.kind == AlertKind.CUSTOMER_OVERDUE and alert.customer is not None:
        due = alert.customer.contact_due_on
    elif alert.kind in DUE_IN_DATA:
        due = _day(alert.data.get("due"))
    return (KIND_RANK.get(alert.kind, 99), due or alert.raised_on, alert.pk)


def state_of(alert: Alert, today: dt.date) -> str:
    """Where the inbox shows an unresolved alert: snoozed (until a later day), open or
    acknowledged."""
    if alert.snoozed_until is not None and alert.snoozed_until > today:
        return "snoozed"
    return "open" if alert.state == AlertState.OPEN else "acknowledged"


@dataclass
class Inbox:
    """The unresolved alerts: by state (``STATES``), then by group (``GROUPS``, only the
    groups that have alerts), each most urgent first; and whether the organisation has
    been scanned yet."""

    sections: dict[str, dict[str, list[Alert]]]
    scanned: bool

    def alerts(self, state: str) -> list[Alert]:
        return [alert for alerts in self.sections[state].values() for alert in alerts]


def inbox(
    *,
    organisation: Organisation,
    today: dt.date,
    groups: tuple[str, ...] = (),
    states: tuple[str, ...] = (),
) -> Inbox:
    """The unresolved alerts in one query (of the ``groups`` and ``states`` asked for, else
    all), sorted into the inbox's states and groups, and whether a scan has run for the
    organisation (one more query)."""
    queryset = alert_queryset(organisation).filter(state__in=ACTIVE_STATES)
    if groups:
        queryset = queryset.filter(kind__in=[k for g in groups for k in GROUPS.get(g, ())])
    sections: dict[str, dict[str, list[Alert]]] = {
        state: {group: [] for group in GROUPS} for state in STATES if not states or state in states
    }
    for alert in queryset:
        section = sections.get(state_of(alert, today))
        if section is not None:
            section.setdefault(GROUP_OF.get(alert.kind, "kpis"), []).append(alert)
    for section in sections.values():
        for group, alerts in list(section.items()):
            if alerts:
                alerts.sort(key=urgency)
            else:
                del section[group]
    return Inbox(sections=sections, scanned=has_been_scanned(organisation))


def has_been_scanned(organisation: Organisation) -> bool:
    """Whether the alert scan has run for the organisation: it has a scan on record, or
    alerts (only a scan raises them; they predate the record)."""
    return (
        ScanRun.objects.filter(organisation=organisation).exists()
        or Alert.objects.filter(organisation=organisation).exists()
    )
