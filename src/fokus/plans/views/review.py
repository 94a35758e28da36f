"""The one review page of a period (``/review/``): every KPI's verdict, what moved, the
funnels' bottlenecks and the next period's proposals; its PDF, and one click for the
proposed KPIs. The review's old address under ``/plans/`` redirects here."""

from __future__ import annotations

from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from fokus.accounts.access import editor_required, member_required
from fokus.accounts.http import AuthenticatedHttpRequest
from fokus.core.errors import PeriodError
from fokus.core.periods import Period, parse_period
from fokus.errors import REFUSALS
from fokus.plans.pdf import plan_review_pdf
from fokus.plans.review import PlanReview, plan_review, review_carry_over_create, review_period
from fokus.ui.periods import period_links, previous_period


def _period(request: AuthenticatedHttpRequest, text: str | None) -> tuple[Period, str | None]:
    today = request.today
    if not text or not text.strip():
        return review_period(today), None
    try:
        return parse_period(text), None
    except PeriodError:
        fallback = review_period(today)
        return fallback, _("“%(text)s” is not a period; showing %(period)s instead.") % {
            "text": text.strip()[:40],
            "period": fallback.label,
        }


def _review(request: AuthenticatedHttpRequest, text: str | None) -> tuple[PlanReview, str | None]:
    period, problem = _period(request, text)
    return (
        plan_review(organisation=request.organisation, period=period, today=request.today),
        problem,
    )


def review_moved(request: HttpRequest, to: str) -> HttpResponse:
    """The review's old address: to its one page, with the same query (a POST keeps its
    method and body)."""
    query = request.META.get("QUERY_STRING", "")
    url = reverse(to) + (f"?{query}" if query else "")
    if request.method == "POST":
        response = HttpResponseRedirect(url)
        response.status_code = 307
        return response
    return HttpResponsePermanentRedirect(url)


@member_required
def review(request: AuthenticatedHttpRequest) -> HttpResponse:
    data, problem = _review(request, request.GET.get("period"))
    return render(
        request,
        "plans/review.html",
        {
            "nav": "review",
            "review": data,
            "period_error": problem,
            "period_value": data.period.label,
            "period_links": period_links(data.period),
            "previous": previous_period(data.period).label,
            "next": data.next_period.label,
            "pdf_query": urlencode({"period": data.period.label}),
        },
    )


@member_required
def review_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    data, _problem = _review(request, request.GET.get("period"))
    response = HttpResponse(plan_review_pdf(data), content_type="application/pdf")
    filename = f"fokus-review-{slugify(data.period.label)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@editor_required
@require_POST
def review_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    period, _problem = _period(request, request.POST.get("period"))
    ids = [int(v) for v in request.POST.getlist("kpi") if v.isdigit()]
    try:
        created = review_carry_over_create(
            organisation=request.organisation,
            user=request.user,
            period=period,
            kpi_ids=ids,
            today=request.today,
        )
    except REFUSALS as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s KPI carried over to the next period.",
                "%(count)s KPIs carried over to the next period.",
                len(created),
            )
            % {"count": len(created)},
        )
    return redirect(f"{reverse('review')}?{urlencode({'period': period.label})}")
