"""The funnel chart: planned vs actual per stage (Plotly ``funnel`` traces), drawn by the
web app's charts.js from a JSON data block like every other chart."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from fokus.plans.selectors import FunnelView
from fokus.ui.charts import ACTUAL_COLOUR, FONT, PLAN_COLOUR, render_chart

BOTTLENECK_COLOUR = "#b91c1c"
LABEL_LENGTH = 28


def _label(position: int, name: str) -> str:
    short = name if len(name) <= LABEL_LENGTH else name[: LABEL_LENGTH - 1].rstrip() + "…"
    return f"{position + 1}. {short}"


def funnel_figure(view: FunnelView, *, danish: bool) -> dict[str, Any]:
    labels = [_label(s.stage.position, s.stage.name) for s in view.stages]
    actual_colours = [BOTTLENECK_COLOUR if s.bottleneck else ACTUAL_COLOUR for s in view.stages]
    return {
        "data": [
            {
                "type": "funnel",
                "name": _("Plan"),
                "y": labels,
                "x": [s.target for s in view.stages],
                "texttemplate": "%{value:,d}",
                "marker": {"color": PLAN_COLOUR},
                "hovertemplate": "%{y}: %{x:,d}<extra>" + _("Plan") + "</extra>",
            },
            {
                "type": "funnel",
                "name": _("Actual"),
                "y": labels,
                "x": [s.actual or 0 for s in view.stages],
                "texttemplate": "%{value:,d}",
                "marker": {"color": actual_colours},
                "hovertemplate": "%{y}: %{x:,d}<extra>" + _("Actual") + "</extra>",
            },
        ],
        "layout": {
            "height": 120 + 60 * len(labels),
            "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
            "font": {"family": FONT, "size": 13, "color": "#1e293b"},
            "separators": ",." if danish else ".,",
            "funnelmode": "group",
            "showlegend": True,
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "yaxis": {"automargin": True},
        },
    }


def funnel_chart(view: FunnelView, *, danish: bool) -> SafeString:
    return render_chart(
        funnel_figure(view, danish=danish),
        div_id="funnel-chart",
        label=_("%(name)s: planned and actual number per stage") % {"name": view.funnel.name},
    )
