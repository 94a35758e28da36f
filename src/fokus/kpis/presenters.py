"""What the KPI templates show: cards, intervals, review rows and the history of a KPI,
formatted in the active language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_skeleton
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from fokus.core import kpi as core
from fokus.kpis.formatting import format_kpi_value, status_label
from fokus.kpis.models import ChecklistItem, Kpi, KpiChange, Measure, Unit
from fokus.ui.formatting import format_day, format_ratio, locale

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
    # The date a quick check-in proposes: today while it lies in the KPI's period, else
    # none (the user chooses), with the sentence saying why.
    checkin_date: dt.date | None
    checkin_date_note: str
    # What the check-in form asks for (the label of its value).
    checkin_question: str
    open_items: tuple[ChecklistItem, ...] = ()


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


def checkin_date(kpi: Kpi, today: dt.date) -> dt.date | None:
    """The date a check-in form proposes: today when it lies in the KPI's period, else
    none, so that the user chooses it (never a date moved into the period unseen)."""
    return today if kpi.start <= today <= kpi.end else None


def checkin_date_note(kpi: Kpi, today: dt.date) -> str:
    """Why a check-in form proposes no date: the period has not started or has ended."""
    if today < kpi.start:
        return _("The period starts %(date)s – choose the date of the check-in.") % {
            "date": format_day(kpi.start)
        }
    if today > kpi.end:
        return _("The period ended %(date)s – choose the date of the check-in.") % {
            "date": format_day(kpi.end)
        }
    return ""


def checkin_question(kpi: Kpi) -> str:
    """What a check-in asks for, by how the KPI counts its check-ins: what came in since
    the last check-in (a sum), the reading now (a latest value; a rank), or one value of
    an average."""
    if kpi.unit == Unit.RANK:
        return _("What is your rank now?")
    if kpi.measure == Measure.SUM:
        if kpi.unit_label:
            return _("How many %(unit)s since last time?") % {"unit": kpi.unit_label}
        return _("How much has come in since last time?")
    if kpi.measure == Measure.AVERAGE:
        return _("What value do you want to record?")
    return _("What is the figure now?")


def kpi_card(
    kpi: Kpi,
    evaluation: core.Evaluation,
    today: dt.date,
    open_items: list[ChecklistItem] | tuple[ChecklistItem, ...] = (),
) -> KpiCard:
    bar = _percent(evaluation.progress)
    return KpiCard(
        kpi=kpi,
        evaluation=evaluation,
        status=str(evaluation.status),
        status_label=status_label(evaluation.status),
        actual=format_kpi_value(kpi, evaluation.actual),
        target=format_kpi_value(kpi, evaluation.target),
        plan=format_kpi_value(kpi, evaluation.plan),
        forecast=format_kpi_value(kpi, evaluation.forecast),
        progress=format_ratio(evaluation.progress),
        expected_progress=format_ratio(evaluation.expected_progress),
        pace=format_ratio(evaluation.pace),
        bar_percent=f"{bar:.1f}",
        expected_percent=f"{_percent(evaluation.expected_progress):.1f}",
        bar_value=round(bar),
        timing=timing(kpi, today),
        checkin_date=checkin_date(kpi, today),
        checkin_date_note=checkin_date_note(kpi, today),
        checkin_question=checkin_question(kpi),
        open_items=tuple(open_items),
    )


@dataclass(frozen=True, slots=True)
class IntervalRow:
    label: str
    actual: str
    target: str
    met: bool | None
    verdict: str


def interval_rows(kpi: Kpi, evaluation: core.Evaluation) -> list[IntervalRow]:
    """A recurring KPI's intervals with their sums and whether each met its target."""
    rows = []
    for result in evaluation.intervals:
        if result.met is None:
            verdict = _("Running") if result.start <= evaluation.as_of else _("Not started")
        else:
            verdict = _("Met") if result.met else _("Missed")
        rows.append(
            IntervalRow(
                label=interval_label(kpi.interval or "", result.start, result.end),
                actual=format_kpi_value(kpi, result.actual),
                target=format_kpi_value(kpi, result.target),
                met=result.met,
                verdict=verdict,
            )
        )
    return rows


def interval_label(kind: str, start: dt.date, end: dt.date) -> str:
    if kind == "month":
        return format_skeleton("yMMMM", start, locale=locale())
    if kind == "quarter":
        quarter = pgettext("quarter abbreviation", "Q")
        return f"{quarter}{(start.month - 1) // 3 + 1} {start.year}"
    return f"{format_day(start, 'short')} – {format_day(end, 'short')}"


@dataclass(frozen=True, slots=True)
class ReviewRow:
    kpi: Kpi
    status: str
    status_label: str
    final: str
    target: str
    percent: str
    ended: bool


def review_row(kpi: Kpi, evaluation: core.Evaluation) -> ReviewRow:
    return ReviewRow(
        kpi=kpi,
        status=str(evaluation.status),
        status_label=status_label(evaluation.status),
        final=format_kpi_value(kpi, evaluation.actual),
        target=format_kpi_value(kpi, evaluation.target),
        percent=format_ratio(evaluation.progress),
        ended=evaluation.as_of >= kpi.end,
    )


def review_summary(rows: list[ReviewRow]) -> str:
    achieved = sum(1 for row in rows if row.status == "achieved")
    return ngettext(
        "%(achieved)d of %(count)d KPI achieved",
        "%(achieved)d of %(count)d KPIs achieved",
        len(rows),
    ) % {"achieved": achieved, "count": len(rows)}


def card_prefix(kpi: Kpi) -> str:
    """The form prefix of a KPI's card (unique ids with many cards on a page)."""
    return f"k{kpi.pk}"


CHANGE_FIELDS = {
    "name": gettext_lazy("Name"),
    "start": gettext_lazy("Start"),
    "end": gettext_lazy("End"),
    "baseline": gettext_lazy("Starting value"),
    "target": gettext_lazy("Target"),
    "direction": gettext_lazy("Direction"),
    "measure": gettext_lazy("Measure"),
    "interval": gettext_lazy("Recurring target"),
    "interval_target": gettext_lazy("Target per interval"),
    "unit": gettext_lazy("Unit"),
    "unit_label": gettext_lazy("What is counted"),
    "milestones": gettext_lazy("Sub-goals"),
    "archived": gettext_lazy("Archived"),
    "checkin_deleted": gettext_lazy("Check-in deleted"),
}
NUMBER_FIELDS = {"baseline", "target", "interval_target"}
DATE_FIELDS = {"start", "end"}


@dataclass(frozen=True, slots=True)
class ChangeRow:
    when: dt.datetime
    who: str
    what: str
    old: str
    new: str


def _change_value(kpi: Kpi, field: str, text: str) -> str:
    if not text or text == "None":
        return "–" if field != "checkin_deleted" else ""
    try:
        if field in NUMBER_FIELDS:
            return format_kpi_value(kpi, Decimal(text))
        if field in DATE_FIELDS:
            return format_day(dt.date.fromisoformat(text))
    except (ArithmeticError, ValueError):
        pass
    return text


def change_rows(kpi: Kpi, changes: Iterable[KpiChange]) -> list[ChangeRow]:
    """The KPI's history of target and definition changes, for people."""
    return [
        ChangeRow(
            when=change.changed_at,
            who=change.user.email if change.user else _("(system)"),
            what=str(CHANGE_FIELDS.get(change.field, change.field)),
            old=_change_value(kpi, change.field, change.old),
            new=_change_value(kpi, change.field, change.new),
        )
        for change in changes
    ]


@dataclass(frozen=True, slots=True)
class QuickCard:
    """What a card's check-in form needs (no evaluation)."""

    kpi: Kpi
    checkin_date: dt.date | None
    checkin_date_note: str
    checkin_question: str
    open_items: tuple[ChecklistItem, ...]


def kpi_card_light(kpi: Kpi, today: dt.date, open_items: list[ChecklistItem]) -> QuickCard:
    return QuickCard(
        kpi,
        checkin_date(kpi, today),
        checkin_date_note(kpi, today),
        checkin_question(kpi),
        tuple(open_items),
    )
