"""The register's part of the dashboard: "Measurement points at the customers".

A monitor is a KPI that follows a customer, but not a goal: it has limits and a state
(within the limits, outside them, a reading overdue), never a pace, a forecast or a
verdict. So the dashboard leaves it out of its goal cards and asks, through
``fokus.kpis.signals.dashboard_sections``, what else to show; this receiver (connected in
``CustomersConfig.ready``) answers with every monitor's own state as of today, each
linking to its customer's page. One query, however many monitors there are.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from fokus.accounts.models import Organisation
from fokus.core.periods import Period
from fokus.customers.presenters import monitor_state_label, monitor_view
from fokus.customers.selectors import monitor_states
from fokus.kpis.signals import DashboardSection, dashboard_sections

TEMPLATE = "customers/_dashboard_monitors.html"


def monitors_section(
    *,
    request: Any,
    organisation: Organisation,
    period: Period,
    today: dt.date,
    **_kwargs: Any,
) -> DashboardSection | None:
    """The monitors of the organisation's current customers with their state as of
    ``today``; nothing when there are none, or when the dashboard shows a period that
    has ended (a state is of today, not of a past period)."""
    if period.end < today:
        return None
    rows = []
    for monitor, state, detail in monitor_states(organisation=organisation, as_of=today):
        rows.append(
            {
                "view": monitor_view(monitor, state, detail),
                "state_label": monitor_state_label(state),
                "latest_date": getattr(monitor, "latest_date", None),
            }
        )
    if not rows:
        return None
    html = render_to_string(TEMPLATE, {"rows": rows, "today": today}, request=request)
    return DashboardSection(key="customers.monitors", html=mark_safe(html))  # our template


def connect() -> None:
    dashboard_sections.connect(monitors_section, dispatch_uid="customers.monitors_section")
