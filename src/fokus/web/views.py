"""Pages of the web UI. Views translate HTTP to selector calls and back; nothing more."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from fokus.accounts.models import Organisation
from fokus.accounts.selectors import organisation_today
from fokus.core.errors import PeriodError
from fokus.core.periods import Period, parse_period
from fokus.web import presenters, selectors
from fokus.web.charts import kpi_chart
from fokus.web.forms import EmailAuthenticationForm


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "web/login.html"
    redirect_authenticated_user = True


def _organisation(request: HttpRequest) -> Organisation | None:
    return getattr(request, "organisation", None)


def _requested_period(text: str | None, year: int) -> tuple[Period, str | None]:
    """The period asked for, else the given year with a message saying why."""
    fallback = parse_period(str(year))
    if text is None or not text.strip():
        return fallback, None
    try:
        return parse_period(text), None
    except PeriodError:
        message = _(
            "“%(text)s” is not a period; use e.g. 2027, 2027-Q2 or 2027-05. "
            "Showing %(year)s instead."
        ) % {"text": text.strip()[:40], "year": year}
        return fallback, message


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    if organisation is None:
        return render(request, "web/no_organisation.html")
    today = organisation_today(organisation)
    raw_period = request.GET.get("period")
    period, period_error = _requested_period(raw_period, today.year)
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
    context = {
        "nav": "dashboard",
        "today": today,
        "period": period,
        "period_label": presenters.period_label(period),
        "period_range": presenters.period_range(period),
        "period_links": presenters.period_links(period),
        "period_example": presenters.period_example(period.start.year),
        "period_input": "" if period_error else (raw_period or "").strip(),
        "period_error": period_error,
        "cards": [presenters.kpi_card(kpi, data.evaluations[kpi.pk], today) for kpi in data.kpis],
        "focus_count": data.focus_count,
        "too_many_focus": data.focus_count > presenters.MAX_FOCUS_KPIS,
        "max_focus": presenters.MAX_FOCUS_KPIS,
        "chart": chart,
        "chart_kpi": data.chart.kpi if data.chart else None,
    }
    return render(request, "web/dashboard.html", context)


@login_required
def kpi_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request)
    if organisation is None:
        raise Http404
    today = organisation_today(organisation)
    data = selectors.kpi_data(organisation=organisation, pk=pk, today=today)
    context = {
        "nav": "dashboard",
        "today": today,
        "card": presenters.kpi_card(data.kpi, data.evaluation, today),
        "kpi": data.kpi,
        "milestones": data.kpi.milestones.all(),
        "checkins": selectors.kpi_checkins(data.kpi),
        "items": selectors.kpi_items(data.kpi),
        "chart": kpi_chart(
            kpi=data.kpi, evaluation=data.evaluation, points=data.points, today=today
        ),
    }
    return render(request, "web/kpi_detail.html", context)
