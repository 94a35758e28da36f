"""The KPI chart: actual vs plan vs target, with sub-goals and the forecast (Plotly).

The figure is built in Python and rendered as a ``<div>`` plus an inline
``Plotly.newPlot`` call; the page loads plotly.js itself (served locally, no CDN).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from itertools import groupby

import plotly.graph_objects as go
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fokus.core import kpi as core
from fokus.kpis.models import Kpi, Measure, Unit

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


def kpi_figure(
    *, kpi: Kpi, evaluation: core.Evaluation, points: Iterable[core.CheckIn], today: dt.date
) -> go.Figure:
    fig = go.Figure()
    plan_x, plan_y = plan_series(kpi)
    fig.add_trace(
        go.Scatter(
            x=plan_x,
            y=plan_y,
            name=_("Plan"),
            mode="lines",
            line={"color": PLAN_COLOUR, "width": 2},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[kpi.start, kpi.end],
            y=[float(kpi.target), float(kpi.target)],
            name=_("Target"),
            mode="lines",
            line={"color": TARGET_COLOUR, "width": 2, "dash": "dot"},
        )
    )
    milestones = list(kpi.milestones.all())
    if milestones:
        fig.add_trace(
            go.Scatter(
                x=[m.date for m in milestones],
                y=[float(m.value) for m in milestones],
                name=_("Sub-goals"),
                mode="markers",
                marker={"color": MILESTONE_COLOUR, "symbol": "diamond", "size": 10},
            )
        )
    until = min(today, kpi.end)
    if today >= kpi.start:
        actual_x, actual_y = actual_series(kpi.measure, kpi.baseline, points, kpi.start, until)
        fig.add_trace(
            go.Scatter(
                x=actual_x,
                y=actual_y,
                name=_("Actual"),
                mode="lines+markers",
                line={"color": ACTUAL_COLOUR, "width": 3, "shape": "hv"},
                marker={"size": 5},
            )
        )
    if evaluation.forecast is not None and evaluation.actual is not None and today < kpi.end:
        fig.add_trace(
            go.Scatter(
                x=[until, kpi.end],
                y=[float(evaluation.actual), evaluation.forecast],
                name=_("Forecast"),
                mode="lines",
                line={"color": ACTUAL_COLOUR, "width": 2, "dash": "dash"},
            )
        )
    if kpi.start <= today <= kpi.end:
        fig.add_vline(x=today, line={"color": PLAN_COLOUR, "width": 1, "dash": "dot"})
        fig.add_annotation(
            x=today,
            y=1,
            yref="paper",
            text=_("Today"),
            showarrow=False,
            yanchor="bottom",
            font={"size": 11, "color": PLAN_COLOUR},
        )
    danish = (get_language() or "da").startswith("da")
    fig.update_layout(
        template="none",
        height=340,
        margin={"l": 56, "r": 16, "t": 24, "b": 24},
        font={"family": FONT, "size": 13, "color": "#1e293b"},
        separators=",." if danish else ".,",
        hovermode="x unified",
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        xaxis={"type": "date", "gridcolor": GRID_COLOUR, "range": [kpi.start, kpi.end]},
        yaxis={
            "gridcolor": GRID_COLOUR,
            "zeroline": False,
            "ticksuffix": _tick_suffix(kpi),
            "autorange": "reversed" if kpi.unit == Unit.RANK else True,
        },
    )
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
    return mark_safe(html)
