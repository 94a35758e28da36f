"""What the templates show: KPI cards and period labels, formatted in the active language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from fokus.core import kpi as core
from fokus.core.periods import Period
from fokus.kpis.formatting import format_day, format_kpi_value, format_ratio, status_label
from fokus.kpis.models import Kpi, Unit

MAX_FOCUS_KPIS = 5


@dataclass(frozen=True, slots=True)
class KpiCard:
    kpi: Kpi
    evaluation: core.Evaluation
    status: str
    status_label: str
    actual: str
    target: str
    plan: str
    forecast: str
    progress: str
    expected_progress: str
    pace: str
    # Plain numbers (never localised) for the progress bar's CSS and ARIA attributes.
    bar_percent: str
    expected_percent: str
    bar_value: int
    timing: str


def shown_forecast(kpi: Kpi, evaluation: core.Evaluation) -> float | None:
    """The engine's forecast, except that a trend cannot forecast a rank above no. 1."""
    forecast = evaluation.forecast
    if forecast is not None and kpi.unit == Unit.RANK:
        return max(forecast, 1.0)
    return forecast


def _percent(ratio: float | None) -> float:
    """A ratio as a percentage clamped to the bar, 0-100."""
    if ratio is None:
        return 0.0
    return min(max(ratio * 100, 0.0), 100.0)


def timing(kpi: Kpi, today: dt.date) -> str:
    """How the period stands in time: not started, days left, or ended."""
    if today < kpi.start:
        return _("Starts %(date)s") % {"date": format_day(kpi.start)}
    if today > kpi.end:
        return _("Ended %(date)s") % {"date": format_day(kpi.end)}
    days = (kpi.end - today).days
    if days == 0:
        return _("Last day")
    return ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}


def kpi_card(kpi: Kpi, evaluation: core.Evaluation, today: dt.date) -> KpiCard:
    bar = _percent(evaluation.progress)
    return KpiCard(
        kpi=kpi,
        evaluation=evaluation,
        status=str(evaluation.status),
        status_label=status_label(evaluation.status),
        actual=format_kpi_value(kpi, evaluation.actual),
        target=format_kpi_value(kpi, evaluation.target),
        plan=format_kpi_value(kpi, evaluation.plan),
        forecast=format_kpi_value(kpi, shown_forecast(kpi, evaluation)),
        progress=format_ratio(evaluation.progress),
        expected_progress=format_ratio(evaluation.expected_progress),
        pace=format_ratio(evaluation.pace),
        bar_percent=f"{bar:.1f}",
        expected_percent=f"{_percent(evaluation.expected_progress):.1f}",
        bar_value=round(bar),
        timing=timing(kpi, today),
    )


def period_label(period: Period) -> str:
    """``2027``, ``2027-K2`` in Danish / ``2027-Q2`` in English, ``2027-05``, or a range."""
    label = period.label
    if "-K" in label:
        label = label.replace("-K", "-" + pgettext("quarter abbreviation", "Q"))
    return label


def period_example(year: int) -> str:
    """A quarter of ``year`` as the UI writes it, to show what a period looks like."""
    return f"{year}-" + pgettext("quarter abbreviation", "Q") + "2"


def period_range(period: Period) -> str:
    return f"{format_day(period.start)} – {format_day(period.end)}"


def period_links(period: Period) -> list[tuple[str, str]]:
    """(label, query value) of the year of ``period`` and its four quarters."""
    year = period.start.year
    links = [(str(year), str(year))]
    quarter = pgettext("quarter abbreviation", "Q")
    links += [(f"{quarter}{q}", f"{year}-K{q}") for q in range(1, 5)]
    return links
