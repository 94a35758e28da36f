"""Numbers, money, dates and statuses for people, in the active language (Babel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date as babel_format_date
from babel.numbers import format_currency, format_decimal, format_percent
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fokus.core import kpi as core
from fokus.kpis.models import Kpi, Unit

STATUS_LABELS = {
    "not_started": _("Not started"),
    "no_data": _("No data"),
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "off_track": _("Off track"),
    "achieved": _("Achieved"),
    "missed": _("Missed"),
}


def locale() -> str:
    return "da_DK" if (get_language() or "da").startswith("da") else "en_GB"


def status_label(status: core.Status | str) -> str:
    return str(STATUS_LABELS[str(status)])


def format_value(
    value: Decimal | float | None, *, unit: str, unit_label: str = "", currency: str = "DKK"
) -> str:
    if value is None:
        return "–"
    loc = locale()
    if unit == Unit.CURRENCY:
        return format_currency(
            value, currency, locale=loc, format="#,##0.## ¤", currency_digits=False
        )
    if unit == Unit.PERCENT:
        return format_decimal(value, format="#,##0.#", locale=loc) + " %"
    if unit == Unit.RANK:
        return _("no. %(rank)s") % {"rank": format_decimal(value, format="#,##0.#", locale=loc)}
    text = format_decimal(value, format="#,##0.##", locale=loc)
    return f"{text} {unit_label}".strip()


def format_kpi_value(kpi: Kpi, value: Decimal | float | None) -> str:
    return format_value(
        value, unit=kpi.unit, unit_label=kpi.unit_label, currency=kpi.organisation.currency
    )


def format_ratio(value: float | None) -> str:
    if value is None:
        return "–"
    return format_percent(value, locale=locale())


def format_day(value: dt.date, fmt: str = "long") -> str:
    return babel_format_date(value, format=fmt, locale=locale())


def evaluation_summary(kpi: Kpi, evaluation: core.Evaluation) -> dict[str, str]:
    return {
        "actual": format_kpi_value(kpi, evaluation.actual),
        "plan": format_kpi_value(kpi, evaluation.plan),
        "target": format_kpi_value(kpi, evaluation.target),
        "progress": format_ratio(evaluation.progress),
        "pace": format_ratio(evaluation.pace),
        "forecast": format_kpi_value(kpi, evaluation.forecast),
    }
