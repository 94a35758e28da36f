"""Charts drawn by plotly.js without any inline script.

A figure is a plain dict (``{"data": [...], "layout": {...}}``); a page embeds it as JSON
(``<script type="application/json">``, never executed) next to a ``<div data-chart>``,
and the static ``ui/charts.js`` draws it (``ui/_chart_scripts.html`` loads both), which
the Content Security Policy allows.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString

ACTUAL_COLOUR = "#1d4ed8"
PLAN_COLOUR = "#64748b"
TARGET_COLOUR = "#15803d"
MILESTONE_COLOUR = "#0f172a"
MET_COLOUR = "#15803d"
MISSED_COLOUR = "#b91c1c"
RUNNING_COLOUR = "#93c5fd"
GRID_COLOUR = "#e2e8f0"
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

Figure = dict[str, Any]


def _json_default(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def render_chart(figure: Figure, *, div_id: str, label: str) -> SafeString:
    """A ``<div>`` for the chart and its figure as a JSON data block (drawn by charts.js)."""
    data = json.dumps(figure, default=_json_default, separators=(",", ":"))
    return format_html(
        '<div class="chart" id="{}" data-chart="{}-data" role="img" aria-label="{}"></div>'
        '<script type="application/json" id="{}-data">{}</script>',
        div_id,
        div_id,
        label,
        div_id,
        SafeString(data.translate(_JSON_SCRIPT_ESCAPES)),
    )
