"""Alerts in words, in the active language (the inbox, the digest, the CLI and the API
all say the same)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fokus.alerts.models import Alert, AlertKind
from fokus.kpis.formatting import status_label
from fokus.ui.formatting import format_day, format_ratio

# The order of the digest: the customers first, as the article asks.
KIND_ORDER = {kind: n for n, kind in enumerate(AlertKind.values)}


def _day(value: Any) -> str:
    if not value:
        return "–"
    try:
        return format_day(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def subject_name(alert: Alert) -> str:
    """The customer's, KPI's or monitor's name (live where the row is at hand)."""
    if alert.kind in (AlertKind.MONITOR_BREACHED, AlertKind.MONITOR_STALE):
        return str(alert.data.get("name", ""))
    if alert.customer_id is not None and alert.customer is not None:
        return alert.customer.name
    if alert.kpi_id is not None and alert.kpi is not None:
        return alert.kpi.name
    return str(alert.data.get("name", ""))


def title(alert: Alert) -> str:
    """One sentence saying what the alert is about."""
    data = alert.data
    name = subject_name(alert)
    kind = alert.kind
    if kind == AlertKind.CUSTOMER_OVERDUE:
        due = alert.customer.contact_due_on if alert.customer is not None else data.get("due")
        return _("No contact with %(customer)s: due %(due)s") % {
            "customer": name,
            "due": _day(due),
        }
    if kind == AlertKind.ADVISORY_DUE:
        return _("Yearly advisory meeting with %(customer)s: due %(due)s") % {
            "customer": name,
            "due": _day(data.get("due")),
        }
    if kind in (AlertKind.MONITOR_BREACHED, AlertKind.MONITOR_STALE):
        customer = str(data.get("customer", ""))
        if customer and customer not in name:
            name = _("%(monitor)s at %(customer)s") % {"monitor": name, "customer": customer}
        if kind == AlertKind.MONITOR_BREACHED:
            return _("Monitor %(monitor)s is outside its limits") % {"monitor": name}
        return _("No new data for monitor %(monitor)s") % {"monitor": name}
    if kind == AlertKind.KPI_AT_RISK:
        return _("%(kpi)s is at risk") % {"kpi": name}
    if kind == AlertKind.KPI_OFF_TRACK:
        return _("%(kpi)s is off track") % {"kpi": name}
    if kind == AlertKind.CHECKIN_OVERDUE:
        return _("%(kpi)s needs a check-in: the last was %(since)s") % {
            "kpi": name,
            "since": _day(data.get("since")),
        }
    if kind == AlertKind.PERIOD_ENDED:
        return _("%(kpi)s ended %(end)s: %(verdict)s") % {
            "kpi": name,
            "end": _day(data.get("end")),
            "verdict": status_label(str(data.get("verdict", "missed"))).lower(),
        }
    return str(alert.get_kind_display())


def detail(alert: Alert, today: dt.date) -> str:
    """A second line with what changes from day to day (days overdue, the reading)."""
    data = alert.data
    if alert.kind == AlertKind.CUSTOMER_OVERDUE:
        due = alert.customer.contact_due_on if alert.customer is not None else None
        if due is None and data.get("due"):
            due = dt.date.fromisoformat(str(data["due"]))
        if due is not None and today >= due:
            days = (today - due).days
            if not days:
                return _("Due today")
            return ngettext("%(days)s day overdue", "%(days)s days overdue", days) % {"days": days}
        return ""
    if alert.kind in (AlertKind.MONITOR_BREACHED, AlertKind.MONITOR_STALE):
        return str(data.get("detail", ""))
    if alert.kind == AlertKind.CHECKIN_OVERDUE:
        return _("Check-in due %(due)s") % {"due": _day(data.get("due"))}
    if alert.kind in (AlertKind.KPI_AT_RISK, AlertKind.KPI_OFF_TRACK) and data.get("pace"):
        return _("Pace %(pace)s of plan") % {"pace": format_ratio(float(data["pace"]))}
    return ""
