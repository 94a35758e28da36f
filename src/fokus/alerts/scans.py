"""The conditions the alerts watch, each found by one scanner as of a date.

A scanner reads (through the customers' and KPIs' selectors) and returns the
conditions that hold now; it writes nothing. ``services.alerts_sync`` raises an alert
for each new condition and resolves the alerts whose condition is gone.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max

from fokus.accounts.models import Organisation
from fokus.alerts.models import AlertKind
from fokus.core.contact import add_months
from fokus.core.periods import Period
from fokus.kpis.models import Cadence, CheckIn, ChecklistItem, Kpi, Measure
from fokus.kpis.selectors import kpi_evaluations, kpi_list

# A KPI's period-ended notice stays in the inbox this long, then resolves by itself.
PERIOD_ENDED_DAYS = 30


@dataclass(frozen=True)
class Condition:
    kind: str
    subject_key: str
    data: dict[str, Any] = field(default_factory=dict)
    customer_id: int | None = None
    kpi_id: int | None = None
    # Raised at most once ever (a period ends once), not once per episode.
    once: bool = False
    # Holds but must not alert yet (a snoozed customer): its active alert is kept,
    # none is raised.
    hold: bool = False


Finder = Callable[[Organisation, dt.date], list[Condition]]


@dataclass(frozen=True)
class Scanner:
    name: str
    kinds: tuple[str, ...]
    find: Finder
    # The name of the customers selector the scanner needs, when it needs one.
    needs: str = ""

    @property
    def available(self) -> bool:
        return not self.needs or _customer_selector(self.needs) is not None


def _customer_selector(name: str) -> Any:
    from fokus.customers import selectors

    return getattr(selectors, name, None)


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


# --- Customers ---------------------------------------------------------------------------


def customers_overdue(organisation: Organisation, today: dt.date) -> list[Condition]:
    """Overdue active customers. docs/engine.md: snoozed until a date ⇒ not alerted before that
    date, so a snoozed customer raises no alert; its alert, if it has one (snoozed with
    it), is not resolved either: nobody contacted the customer."""
    customers_due = _customer_selector("customers_due")
    return [
        Condition(
            kind=AlertKind.CUSTOMER_OVERDUE,
            subject_key=f"customer:{customer.pk}",
            customer_id=customer.pk,
            data={
                "name": customer.name,
                "due": due.due.isoformat(),
                "last_contact": due.last_contact.isoformat(),
            },
            hold=not due.alert,
        )
        for customer, due in customers_due(organisation=organisation, as_of=today)
        if str(due.state) == "overdue"
    ]


def advisory_meetings_due(organisation: Organisation, today: dt.date) -> list[Condition]:
    advisory_due_customers = _customer_selector("advisory_due_customers")
    return [
        Condition(
            kind=AlertKind.ADVISORY_DUE,
            subject_key=f"customer:{customer.pk}",
            customer_id=customer.pk,
            data={"name": customer.name, "due": due.due.isoformat(), "state": str(due.state)},
        )
        for customer, due in advisory_due_customers(organisation=organisation, as_of=today)
        if str(due.state) != "not_yet"
    ]


MONITOR_KINDS = {"breached": AlertKind.MONITOR_BREACHED, "stale": AlertKind.MONITOR_STALE}


def monitors_alerting(organisation: Organisation, today: dt.date) -> list[Condition]:
    monitor_states = _customer_selector("monitor_states")
    conditions = []
    for monitor, state, detail in monitor_states(organisation=organisation, as_of=today):
        kind = MONITOR_KINDS.get(str(state))
        if kind is None:
            continue
        customer = getattr(monitor, "customer", None)
        conditions.append(
            Condition(
                kind=kind,
                subject_key=f"monitor:{monitor.pk}",
                customer_id=getattr(monitor, "customer_id", None),
                kpi_id=getattr(monitor, "kpi_id", None),
                data={
                    "name": str(getattr(monitor, "name", "") or monitor),
                    "customer": customer.name if customer is not None else "",
                    "detail": _json_safe(detail) if not isinstance(detail, str) else detail,
                },
            )
        )
    return conditions


# --- KPIs ----------------------------------------------------------------------------------


def _own_kpis(organisation: Organisation, today: dt.date) -> list[Kpi]:
    """KPIs running today or ended lately; monitors (a customer's KPI) alert as monitors."""
    window = Period(today - dt.timedelta(days=PERIOD_ENDED_DAYS), today)
    return [k for k in kpi_list(organisation=organisation, period=window) if k.customer_id is None]


def kpi_statuses(organisation: Organisation, today: dt.date) -> list[Condition]:
    """KPIs that fell to at risk or off track, and KPIs whose period ended lately."""
    kpis = _own_kpis(organisation, today)
    evaluations = kpi_evaluations(organisation=organisation, kpis=kpis, as_of=today)
    conditions = []
    for kpi in kpis:
        evaluation = evaluations[kpi.pk]
        status = str(evaluation.status)
        if status in ("at_risk", "off_track"):
            conditions.append(
                Condition(
                    kind=AlertKind.KPI_AT_RISK if status == "at_risk" else AlertKind.KPI_OFF_TRACK,
                    subject_key=f"kpi:{kpi.pk}",
                    kpi_id=kpi.pk,
                    data={"name": kpi.name, "status": status, "pace": evaluation.pace},
                )
            )
        elif kpi.end < today and status in ("achieved", "missed"):
            conditions.append(
                Condition(
                    kind=AlertKind.PERIOD_ENDED,
                    subject_key=f"kpi:{kpi.pk}:{kpi.end.isoformat()}",
                    kpi_id=kpi.pk,
                    data={"name": kpi.name, "end": kpi.end.isoformat(), "verdict": status},
                    once=True,
                )
            )
    return conditions


def checkin_due(cadence: str, last: dt.date) -> dt.date:
    """The day by which the next check-in is expected."""
    if cadence == Cadence.WEEKLY:
        return last + dt.timedelta(days=7)
    return add_months(last, 1)


def _latest_data(kpis: list[Kpi], today: dt.date) -> dict[int, dt.date]:
    latest: dict[int, dt.date] = {}
    plain = [k.pk for k in kpis if k.measure != Measure.CHECKLIST]
    checklists = [k.pk for k in kpis if k.measure == Measure.CHECKLIST]
    if plain:
        checkins = (
            CheckIn.objects.filter(kpi_id__in=plain, date__lte=today)
            .values_list("kpi_id")
            .annotate(latest=Max("date"))
        )
        latest.update(dict(checkins))
    if checklists:
        ticks = (
            ChecklistItem.objects.filter(kpi_id__in=checklists, done_on__lte=today)
            .values_list("kpi_id")
            .annotate(latest=Max("done_on"))
        )
        latest.update(dict(ticks))
    return latest


def checkins_overdue(organisation: Organisation, today: dt.date) -> list[Condition]:
    """Running KPIs with a cadence whose check-in is overdue (derived KPIs fill themselves)."""
    kpis = [
        k
        for k in _own_kpis(organisation, today)
        if k.cadence and not k.derived and k.start <= today <= k.end
    ]
    latest = _latest_data(kpis, today)
    conditions = []
    for kpi in kpis:
        since = max(latest.get(kpi.pk, kpi.start), kpi.start)
        due = checkin_due(kpi.cadence, since)
        if today > due:
            conditions.append(
                Condition(
                    kind=AlertKind.CHECKIN_OVERDUE,
                    subject_key=f"kpi:{kpi.pk}",
                    kpi_id=kpi.pk,
                    data={
                        "name": kpi.name,
                        "since": since.isoformat(),
                        "due": due.isoformat(),
                        "cadence": kpi.cadence,
                    },
                )
            )
    return conditions


SCANNERS: tuple[Scanner, ...] = (
    Scanner("customers", (AlertKind.CUSTOMER_OVERDUE,), customers_overdue, "customers_due"),
    Scanner("advisory", (AlertKind.ADVISORY_DUE,), advisory_meetings_due, "advisory_due_customers"),
    Scanner(
        "monitors",
        (AlertKind.MONITOR_BREACHED, AlertKind.MONITOR_STALE),
        monitors_alerting,
        "monitor_states",
    ),
    Scanner(
        "kpis",
        (AlertKind.KPI_AT_RISK, AlertKind.KPI_OFF_TRACK, AlertKind.PERIOD_ENDED),
        kpi_statuses,
    ),
    Scanner("checkins", (AlertKind.CHECKIN_OVERDUE,), checkins_overdue),
)


def available_scanners() -> list[Scanner]:
    return [scanner for scanner in SCANNERS if scanner.available]
