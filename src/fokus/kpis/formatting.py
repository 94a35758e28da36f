"""A KPI's values and statuses for people, in the active language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fokus.core import kpi as core
from fokus.kpis.models import Kpi
from fokus.ui.formatting import format_day, format_ratio, format_value

STATUS_LABELS = {
    "not_started": _("Not started"),
    "no_data": _("No data"),
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "off_track": _("Off track"),
    "achieved": _("Achieved"),
    "missed": _("Missed"),
}


def status_label(status: core.Status | str) -> str:
    return str(STATUS_LABELS[str(status)])


def format_kpi_value(kpi: Kpi, value: Decimal | float | None) -> str:
    return format_value(
        value, unit=kpi.unit, unit_label=kpi.unit_label, currency=kpi.organisation.currency
    )


def evaluation_summary(kpi: Kpi, evaluation: core.Evaluation) -> dict[str, str]:
    return {
        "actual": format_kpi_value(kpi, evaluation.actual),
        "plan": format_kpi_value(kpi, evaluation.plan),
        "target": format_kpi_value(kpi, evaluation.target),
        "progress": format_ratio(evaluation.progress),
        "pace": format_ratio(evaluation.pace),
        "forecast": format_kpi_value(kpi, evaluation.forecast),
    }


def outside_period_note(kpi: Kpi, date: dt.date) -> str:
    """What to tell the user who recorded a check-in on ``date``: nothing when it counts,
    else that it is kept but does not count."""
    if kpi.in_period(date):
        return ""
    message = gettext(
        "It lies outside the KPI's period (%(start)s – %(end)s), so it does not count."
    )
    return message % {"start": format_day(kpi.start), "end": format_day(kpi.end)}
