"""The dashboard: the period's goals, focus first, each a card with a quick check-in, and
the sections other areas add (``fokus.kpis.signals.dashboard_sections``)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render

from fokus.accounts.access import member_required
from fokus.accounts.context_processors import navigation
from fokus.accounts.http import AuthenticatedHttpRequest
from fokus.core.periods import Period
from fokus.kpis import presenters, selectors
from fokus.kpis.charts import kpi_chart
from fokus.kpis.fragments import render_cards
from fokus.kpis.signals import sections_for
from fokus.ui import periods
from fokus.ui.formatting import format_day
from fokus.ui.periods import requested_period


@member_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = request.organisation
    today = request.today
    raw_period = request.GET.get("period")
    planned, default = selectors.dashboard_periods(organisation=organisation, today=today)
    period, period_error = requested_period(raw_period, default)
    data = selectors.dashboard(organisation=organisation, period=period, today=today)
    can_edit = navigation(request)["can_edit"]
    chart = None
    if data.chart is not None:
        chart = kpi_chart(
            kpi=data.chart.kpi,
            evaluation=data.chart.evaluation,
            points=data.chart.points,
            today=today,
            div_id="dashboard-chart",
        )
    cards = [
        presenters.kpi_card(kpi, data.evaluations[kpi.pk], today, data.open_items.get(kpi.pk, ()))
        for kpi in data.kpis
    ]
    year = period.start.year
    context = {
        "nav": "dashboard",
        "today": today,
        "period": period,
        "period_value": period.label,
        "period_label": periods.period_label(period),
        "period_range": periods.period_range(period),
        "period_links": periods.period_links(period),
        "month_links": periods.month_links(year),
        "year": year,
        "previous_year": year - 1,
        "next_year": year + 1,
        "period_example": periods.period_example(year),
        "period_input": "" if period_error else (raw_period or "").strip(),
        "period_error": period_error,
        "cards": cards,
        "card_html": render_cards(cards, can_edit=can_edit),
        "focus_count": data.focus_count,
        "too_many_focus": data.focus_count > presenters.MAX_FOCUS_KPIS,
        "max_focus": presenters.MAX_FOCUS_KPIS,
        "chart": chart,
        "chart_kpi": data.chart.kpi if data.chart else None,
        "planning": _planning_note(period, default, today) if not raw_period else None,
        # The year being planned has no KPIs yet while this one is shown: plan it.
        "unplanned": periods.period_label(planned)
        if not raw_period and planned != period and planned.start > today
        else None,
        "planned_year": planned.start.year,
        "sections": sections_for(
            request=request,
            organisation=organisation,
            period=period,
            today=today,
            can_edit=can_edit,
        ),
    }
    return render(request, "kpis/dashboard.html", context)


def _planning_note(period: Period, default: Period, today: dt.date) -> dict[str, str] | None:
    """When the dashboard shows the year being planned instead of the current one: that
    year, and the current year to switch back to with its end."""
    if period != default or period.start <= today:
        return None
    current = periods.year_of(today.year)
    return {
        "year": periods.period_label(period),
        "current": current.label,
        "current_label": periods.period_label(current),
        "current_end": format_day(current.end),
    }
