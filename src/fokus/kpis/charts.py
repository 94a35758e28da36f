"""KPI charts: actual vs plan vs target with sub-goals and the forecast, and one bar per
interval for recurring targets (drawn as ``fokus.ui.charts`` says).

Figures are plain dicts built without plotly's Python object layer, which costs more
time than the rest of a dashboard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fokus.core import kpi as core
from fokus.kpis.models import Kpi, Measure, Unit
from fokus.kpis.presenters import interval_label
from fokus.ui.charts import (
    ACTUAL_COLOUR,
    FONT,
    GRID_COLOUR,
    MET_COLOUR,
    MILESTONE_COLOUR,
    MISSED_COLOUR,
    PLAN_COLOUR,
    RUNNING_COLOUR,
    TARGET_COLOUR,
    Figure,
    render_chart,
)

Series = tuple[list[dt.date], list[float]]


def actual_series(
    measure: str, baseline: Decimal, points: Iterable[core.CheckIn], start: dt.date, until: dt.date
) -> Series:
    """The actual value after each check-in date in ``[start, until]``, as the engine
    computes it, held flat up to ``until``: baseline + running sum (``sum``, ``checklist``),
    the latest value (``last``) or the running mean (``average``, undefined before the
    first check-in)."""
    counted = sorted((p for p in points if start <= p.date <= until), key=lambda p: (p.date, p.seq))
    xs: list[dt.date] = []
    ys: list[float] = []
    if measure != Measure.AVERAGE:
        xs.append(start)
        ys.append(float(baseline))
    total, count = baseline if measure != Measure.AVERAGE else Decimal(0), 0
    for day, group in groupby(counted, key=lambda p: p.date):
        values = [p.value for p in group]
        if measure == Measure.LAST:
            value = values[-1]
        elif measure == Measure.AVERAGE:
            total += sum(values, Decimal(0))
            count += len(values)
            value = total / count
        else:
            total += sum(values, Decimal(0))
            value = total
        xs.append(day)
        ys.append(float(value))
    if xs and xs[-1] < until:
        xs.append(until)
        ys.append(ys[-1])
    return xs, ys


def plan_series(kpi: Kpi) -> Series:
    """The plan's knots: the baseline at the start, each sub-goal, the target at the end."""
    xs = [kpi.start]
    ys = [float(kpi.baseline)]
    for milestone in kpi.sub_goals():
        xs.append(milestone.date)
        ys.append(float(milestone.value))
    xs.append(kpi.end)
    ys.append(float(kpi.target))
    return xs, ys


def _tick_suffix(kpi: Kpi) -> str:
    if kpi.unit == Unit.CURRENCY:
        return f" {kpi.organisation.currency}"
    if kpi.unit == Unit.PERCENT:
        return " %"
    return f" {kpi.unit_label}" if kpi.unit_label else ""


def _line(name: str, xs: list[Any], ys: list[float], colour: str, **line: Any) -> dict[str, Any]:
    return {
        "type": "scatter",
        "name": name,
        "x": xs,
        "y": ys,
        "mode": "lines",
        "line": {"color": colour, "width": 2, **line},
    }


def _goal_traces(kpi: Kpi) -> list[dict[str, Any]]:
    """The plan line, the target line and the sub-goal markers."""
    plan_x, plan_y = plan_series(kpi)
    traces = [
        _line(_("Plan"), plan_x, plan_y, PLAN_COLOUR),
        _line(
            _("Target"),
            [kpi.start, kpi.end],
            [float(kpi.target)] * 2,
            TARGET_COLOUR,
            dash="dot",
        ),
    ]
    milestones = kpi.sub_goals()
    if milestones:
        traces.append(
            {
                "type": "scatter",
                "name": _("Sub-goals"),
                "x": [m.date for m in milestones],
                "y": [float(m.value) for m in milestones],
                "mode": "markers",
                "marker": {"color": MILESTONE_COLOUR, "symbol": "diamond", "size": 10},
            }
        )
    return traces


def _actual_traces(
    kpi: Kpi, evaluation: core.Evaluation, points: Iterable[core.CheckIn], today: dt.date
) -> list[dict[str, Any]]:
    """The actual as a step line up to today, and the forecast from there to the end."""
    if today < kpi.start:
        return []
    until = min(today, kpi.end)
    actual_x, actual_y = actual_series(kpi.measure, kpi.baseline, points, kpi.start, until)
    traces = [
        {
            **_line(_("Actual"), actual_x, actual_y, ACTUAL_COLOUR, width=3, shape="hv"),
            "mode": "lines+markers",
            "marker": {"size": 5},
        }
    ]
    forecast = evaluation.forecast
    if forecast is not None and evaluation.actual is not None and today < kpi.end:
        traces.append(
            _line(
                _("Forecast"),
                [until, kpi.end],
                [float(evaluation.actual), forecast],
                ACTUAL_COLOUR,
                dash="dash",
            )
        )
    return traces


def _today_marker(today: dt.date) -> tuple[dict[str, Any], dict[str, Any]]:
    shape = {
        "type": "line",
        "x0": today,
        "x1": today,
        "y0": 0,
        "y1": 1,
        "yref": "paper",
        "line": {"color": PLAN_COLOUR, "width": 1, "dash": "dot"},
    }
    annotation = {
        "x": today,
        "y": 0,
        "yref": "paper",
        "text": _("Today"),
        "showarrow": False,
        "yanchor": "bottom",
        "bgcolor": "rgba(255,255,255,0.85)",
        "font": {"size": 11, "color": PLAN_COLOUR},
    }
    return shape, annotation


def _layout(kpi: Kpi) -> dict[str, Any]:
    danish = (get_language() or "da").startswith("da")
    return {
        "height": 340,
        "margin": {"l": 48, "r": 24, "t": 8, "b": 8},
        "font": {"family": FONT, "size": 13, "color": "#1e293b"},
        "separators": ",." if danish else ".,",
        "hovermode": "x unified",
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "xaxis": {
            "type": "date",
            "range": [kpi.start, kpi.end],
            "automargin": True,
            "gridcolor": GRID_COLOUR,
            "hoverformat": "%-d %b %Y",
        },
        "yaxis": {
            "automargin": True,
            "gridcolor": GRID_COLOUR,
            "zeroline": False,
            "ticksuffix": _tick_suffix(kpi),
            "hoverformat": ",.2~f",
            # Rank: no. 1 is best, so the better value is drawn higher.
            "autorange": "reversed" if kpi.unit == Unit.RANK else True,
        },
    }


def kpi_figure(
    *, kpi: Kpi, evaluation: core.Evaluation, points: Iterable[core.CheckIn], today: dt.date
) -> Figure:
    """Actual (step line) vs plan vs target, sub-goals, forecast and today."""
    layout = _layout(kpi)
    if kpi.start <= today <= kpi.end:
        shape, annotation = _today_marker(today)
        layout["shapes"] = [shape]
        layout["annotations"] = [annotation]
    return {
        "data": _goal_traces(kpi) + _actual_traces(kpi, evaluation, points, today),
        "layout": layout,
    }


def interval_figure(*, kpi: Kpi, evaluation: core.Evaluation) -> Figure:
    """A recurring target: one bar per interval against the target per interval, coloured
    and labelled met / missed / running (the words are in the hover text)."""
    intervals = evaluation.intervals
    labels = [interval_label(kpi.interval or "", r.start, r.end) for r in intervals]
    colours, verdicts = [], []
    for result in intervals:
        if result.met is None:
            colours.append(RUNNING_COLOUR)
            verdicts.append(_("Running") if result.start <= evaluation.as_of else "")
        else:
            colours.append(MET_COLOUR if result.met else MISSED_COLOUR)
            verdicts.append(_("Met") if result.met else _("Missed"))
    target = float(kpi.interval_target or 0)
    layout = _layout(kpi)
    layout["xaxis"] = {"type": "category", "automargin": True, "gridcolor": GRID_COLOUR}
    layout["hovermode"] = "closest"
    return {
        "data": [
            {
                "type": "bar",
                "name": _("Actual"),
                "x": labels,
                "y": [float(r.actual) for r in intervals],
                "marker": {"color": colours},
                "customdata": verdicts,
                "hovertemplate": "%{x}: %{y} · %{customdata}<extra></extra>",
            },
            {
                "type": "scatter",
                "name": _("Target per interval"),
                "x": labels,
                "y": [target] * len(labels),
                "mode": "lines",
                "line": {"color": TARGET_COLOUR, "width": 2, "dash": "dot", "shape": "hvh"},
            },
        ],
        "layout": layout,
    }


def kpi_chart(
    *,
    kpi: Kpi,
    evaluation: core.Evaluation,
    points: Iterable[core.CheckIn],
    today: dt.date,
    div_id: str = "kpi-chart",
) -> SafeString:
    """The KPI's chart as HTML: bars per interval for a recurring target, else the line
    chart (plotly.js and ui/charts.js are loaded by the page)."""
    if kpi.interval:
        figure = interval_figure(kpi=kpi, evaluation=evaluation)
        label = _("%(name)s: actual per interval against the target per interval")
    else:
        figure = kpi_figure(kpi=kpi, evaluation=evaluation, points=points, today=today)
        label = _("%(name)s: actual, plan and target over the period")
    return render_chart(figure, div_id=div_id, label=label % {"name": kpi.name})
