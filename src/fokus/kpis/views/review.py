"""The period review: every KPI of the period with its verdict, final value and % of
target; printable (print stylesheet) and as a PDF; and the next period's KPIs."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from fokus.accounts.access import member_required
from fokus.accounts.http import AuthenticatedHttpRequest
from fokus.kpis import pdf, presenters, selectors
from fokus.kpis.sentences import kpi_sentence_of
from fokus.ui import periods
from fokus.ui.periods import requested_period


def _review_context(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    organisation = request.organisation
    today = request.today
    raw = request.GET.get("period")
    period, period_error = requested_period(raw, today.year)
    following = periods.next_period(period)
    data = selectors.review(
        organisation=organisation, period=period, next_period=following, today=today
    )
    rows = [presenters.review_row(kpi, data.evaluations[kpi.pk]) for kpi in data.kpis]
    carry_over = [row for row in rows if row.status in ("missed", "off_track", "at_risk")]
    label = periods.period_label(period)
    return {
        "nav": "review",
        "organisation": organisation,
        "today": today,
        "period": period,
        "period_value": period.label,
        "period_label": label,
        "period_range": periods.period_range(period),
        "period_error": period_error,
        "period_links": periods.period_links(period),
        "previous": periods.previous_period(period).label,
        "as_of": data.as_of,
        "finished": today > period.end,
        "rows": rows,
        "summary": presenters.review_summary(rows),
        "next_period": following,
        "next_value": following.label,
        "next_label": periods.period_label(following),
        "next_kpis": [(kpi, kpi_sentence_of(kpi)) for kpi in data.next_kpis],
        "carry_over": carry_over,
        "title": _("Review of %(period)s") % {"period": label},
    }


@member_required
def review(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "kpis/review.html", _review_context(request))


@member_required
def review_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = _review_context(request)
    status_line = (
        _("Final: the period ended %(date)s.")
        if context["finished"]
        else _("Status as of %(date)s; the period is still running.")
    ) % {"date": presenters.format_day(context["as_of"])}
    content = pdf.review_pdf(
        organisation=context["organisation"].name,
        title=context["title"],
        subtitle=f"{context['period_range']} · {status_line}",
        summary=context["summary"],
        rows=context["rows"],
        next_title=_("Next period: %(period)s") % {"period": context["next_label"]},
        next_rows=[(kpi.name, sentence) for kpi, sentence in context["next_kpis"]],
    )
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"fokus-{slugify(context['period_value'])}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
