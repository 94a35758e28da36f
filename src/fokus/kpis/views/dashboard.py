"""The dashboard: the period's KPIs, focus first, each a card with a quick check-in."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from fokus.accounts.access import member_required
from fokus.accounts.context_processors import navigation
from fokus.accounts.http import AuthenticatedHttpRequest
from fokus.kpis import presenters, selectors
from fokus.kpis.charts import kpi_chart
from fokus.kpis.fragments import render_cards
from fokus.ui import periods
from fokus.ui.periods import requested_period


@member_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = request.organisation
    today = request.today
    raw_period = request.GET.get("period")
    period, period_error = requested_period(raw_period, today.year)
    data = selectors.dashboard(organisation=organisation, period=period, today=today)
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
        "card_html": render_cards(cards, can_edit=navigation(request)["can_edit"]),
        "focus_count": data.focus_count,
        "too_many_focus": data.focus_count > presenters.MAX_FOCUS_KPIS,
        "max_focus": presenters.MAX_FOCUS_KPIS,
        "chart": chart,
        "chart_kpi": data.chart.kpi if data.chart else None,
    }
    return render(request, "kpis/dashboard.html", context)
