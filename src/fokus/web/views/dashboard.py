"""The dashboard: the period's KPIs, focus first, each a card with a quick check-in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fokus.accounts.access import member_required
from fokus.web import presenters, selectors
from fokus.web.charts import kpi_chart
from fokus.web.context_processors import navigation
from fokus.web.fragments import render_cards
from fokus.web.views.common import organisation_of, requested_period, today_of


@member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request)
    today = today_of(request)
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
        "period_label": presenters.period_label(period),
        "period_range": presenters.period_range(period),
        "period_links": presenters.period_links(period),
        "month_links": presenters.month_links(year),
        "previous_year": year - 1,
        "next_year": year + 1,
        "period_example": presenters.period_example(year),
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
    return render(request, "web/dashboard.html", context)
