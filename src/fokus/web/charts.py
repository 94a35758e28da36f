"""The KPI chart: actual vs plan vs target, with sub-goals and the forecast (Plotly).

The figure is built in Python and rendered as a ``<div>`` plus an inline
``Plotly.newPlot`` call; the page loads plotly.js itself (served locally, no CDN).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from itertools import groupby
from typing import Any

import plotly.graph_objects as go
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fokus.core import kpi as core
from fokus.kpis.models import Kpi, Measure, Unit
from fokus.web.presenters import shown_forecast

ACTUAL_COLOUR = "#1d4ed8"
PLAN_COLOUR = "#64748b"
TARGET_COLOUR = "#15803d"
MILESTONE_COLOUR = "#0f172a"
GRID_COLOUR = "#e2e8f0"
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

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
    for milestone in kpi.milestones.all():
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


def _goal_traces(kpi: Kpi) -> list[go.Scatter]:
    """The plan line, the target line and the sub-goal markers."""
    plan_x, plan_y = plan_series(kpi)
    traces = [
        go.Scatter(
            x=plan_x,
            y=plan_y,
            name=_("Plan"),
            mode="lines",
            line={"color": PLAN_COLOUR, "width": 2},
        ),
        go.Scatter(
            x=[kpi.start, kpi.end],
            y=[float(kpi.target), float(kpi.target)],
            name=_("Target"),
            mode="lines",
            line={"color": TARGET_COLOUR, "width": 2, "dash": "dot"},
        ),
    ]
    milestones = list(kpi.milestones.all())
    if milestones:
        traces.append(
            go.Scatter(
                x=[m.date for m in milestones],
                y=[float(m.value) for m in milestones],
                name=_("Sub-goals"),
                mode="markers",
                marker={"color": MILESTONE_COLOUR, "symbol": "diamond", "size": 10},
            )
        )
    return traces


def _actual_traces(
    kpi: Kpi, evaluation: core.Evaluation, points: Iterable[core.CheckIn], today: dt.date
) -> list[go.Scatter]:
    """The actual as a step line up to today, and the forecast from there to the end."""
    if today < kpi.start:
        return []
    until = min(today, kpi.end)
    actual_x, actual_y = actual_series(kpi.measure, kpi.baseline, points, kpi.start, until)
    traces = [
        go.Scatter(
            x=actual_x,
            y=actual_y,
            name=_("Actual"),
            mode="lines+markers",
            line={"color": ACTUAL_COLOUR, "width": 3, "shape": "hv"},
            marker={"size": 5},
        )
    ]
    forecast = shown_forecast(kpi, evaluation)
    if forecast is not None and evaluation.actual is not None and today < kpi.end:
        traces.append(
            go.Scatter(
                x=[until, kpi.end],
                y=[float(evaluation.actual), forecast],
                name=_("Forecast"),
                mode="lines",
                line={"color": ACTUAL_COLOUR, "width": 2, "dash": "dash"},
            )
        )
    return traces


def _mark_today(fig: go.Figure, today: dt.date) -> None:
    fig.add_vline(x=today, line={"color": PLAN_COLOUR, "width": 1, "dash": "dot"})
    fig.add_annotation(
        x=today,
        y=0,
        yref="paper",
        text=_("Today"),
        showarrow=False,
        yanchor="bottom",
        bgcolor="rgba(255,255,255,0.85)",
        font={"size": 11, "color": PLAN_COLOUR},
    )


def _layout(kpi: Kpi) -> dict[str, Any]:
    danish = (get_language() or "da").startswith("da")
    return {
        "template": "none",
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
) -> go.Figure:
    fig = go.Figure(_goal_traces(kpi) + _actual_traces(kpi, evaluation, points, today))
    if kpi.start <= today <= kpi.end:
        _mark_today(fig, today)
    fig.update_layout(**_layout(kpi))
    return fig


def kpi_chart(
    *,
    kpi: Kpi,
    evaluation: core.Evaluation,
    points: Iterable[core.CheckIn],
    today: dt.date,
    div_id: str = "kpi-chart",
) -> SafeString:
    """The chart as HTML: a div and the inline script drawing it (plotly.js not included)."""
    fig = kpi_figure(kpi=kpi, evaluation=evaluation, points=points, today=today)
    html = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config={"displaylogo": False, "responsive": True},
    )
    # Safe: Plotly embeds every string as JSON with "<" escaped, so no text can close the
    # <script> or inject markup.
    return mark_safe(html)
