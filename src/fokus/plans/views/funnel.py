"""The funnel planner: plan backwards from the goal (with a live preview), the plan page
with the forward view, the funnel chart, re-planning and what-if rates."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fokus.accounts.access import editor_required, member_required
from fokus.accounts.http import AuthenticatedHttpRequest
from fokus.core.funnel import Placement, forward_push, reverse_plan
from fokus.core.periods import Period
from fokus.errors import REFUSALS
from fokus.kpis.selectors import default_period
from fokus.plans import selectors, services
from fokus.plans.charts import funnel_chart
from fokus.plans.forms import FunnelForm, RatesForm, percent_text, stage_count
from fokus.plans.funnel import FunnelDraft, default_stage_names, funnel_draft
from fokus.plans.models import FunnelPlan
from fokus.plans.views.common import presented_stages
from fokus.ui.formatting import format_value
from fokus.ui.periods import period_label
from fokus.ui.views import confirm_delete


@member_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = request.organisation
    return render(
        request,
        "plans/index.html",
        {
            "nav": "plans",
            "funnels": selectors.funnel_list(organisation=organisation),
            "plans": selectors.plan_list(organisation=organisation),
            "today": request.today,
        },
    )


def _initial(request: AuthenticatedHttpRequest, stages: int) -> dict[str, Any]:
    """Start values: the article's funnel with rates learned from the organisation's own
    past funnels; anything given in the query string (a review's "plan next year")
    wins."""
    organisation = request.organisation
    today = request.today
    defaults = selectors.default_funnel_rates(organisation=organisation, stages=stages, today=today)
    names = default_stage_names(stages)
    initial: dict[str, Any] = {
        "goal": 10,
        "period": default_period(organisation=organisation, today=today).label,
        "placement": Placement.sequential,
        **{f"name_{i}": name for i, name in enumerate(names)},
        **{f"rate_{i}": percent_text(rate) for i, rate in enumerate(defaults.rates)},
    }
    for key in ("goal", "period", "placement", "name"):
        if request.GET.get(key):
            initial[key] = request.GET[key][:200]
    for i in range(stages):
        for key in (f"name_{i}", f"rate_{i}"):
            if request.GET.get(key):
                initial[key] = request.GET[key][:200]
    initial["_defaults"] = defaults
    return initial


def _draft(form: FunnelForm) -> FunnelDraft | None:
    """The form's funnel planned backwards, or None with the errors on the form."""
    if not form.is_valid():
        return None
    try:
        return funnel_draft(
            goal=form.cleaned_data["goal"],
            rates=form.rates(),
            stages=form.names(),
            period=form.cleaned_data["period"],
            placement=form.cleaned_data["placement"],
        )
    except REFUSALS as error:
        form.show_error(error)
        return None


@editor_required
def funnel_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Plan a funnel backwards from the goal at the bottom; saving can create the stage
    KPIs in the same click."""
    data = request.POST if request.method == "POST" else None
    stages = stage_count((data or request.GET).get("n"))
    initial = _initial(request, stages)
    defaults = initial.pop("_defaults")
    form = FunnelForm(data, initial=initial, stages=stages)
    draft = None
    offers: list[services.KpiOffer] = []
    if data is not None:
        draft = _draft(form)
        create_kpis = data.get("action") == "create"
        if draft is not None and create_kpis and not data.get("confirmed"):
            # First say which stage KPIs exist already: they are linked, not copied.
            offers = services.draft_kpi_offers(
                organisation=request.organisation, draft=draft, name=form.cleaned_data["name"]
            )
            offers = offers if any(o.existing for o in offers) else []
        if draft is not None and not offers:
            created = _create(request, form, draft, create_kpis, data.getlist("create_new"))
            if created is not None:
                return created
    else:
        draft = _preview_draft(_bound(initial, stages), stages)
    return render(
        request,
        "plans/funnel_new.html",
        {
            "nav": "plans",
            "form": form,
            "stages": stages,
            "draft": draft,
            "defaults": defaults,
            "fewer": max(stages - 1, 2),
            "more": stages + 1,
            "can_add": stages < 10,
            "can_remove": stages > 2,
            "offers": offers,
            "create_new": data.getlist("create_new") if data is not None else [],
        },
    )


def _create(
    request: AuthenticatedHttpRequest,
    form: FunnelForm,
    draft: FunnelDraft,
    create_kpis: bool,
    create_new: list[str],
) -> HttpResponse | None:
    """Store the funnel (with its stage KPIs, linking those that exist) and go to it;
    None with the refusal on the form."""
    try:
        with transaction.atomic():
            funnel = services.funnel_create(
                organisation=request.organisation,
                user=request.user,
                goal=draft.goal,
                rates=draft.rates,
                stages=[s.name for s in draft.stages],
                period=draft.period,
                placement=draft.placement,
                name=form.cleaned_data["name"],
                now=timezone.now(),
            )
            planned = (
                services.funnel_kpis_create(
                    funnel=selectors.funnel_get(organisation=request.organisation, pk=funnel.pk),
                    user=request.user,
                    now=timezone.now(),
                    create_new=create_new,
                )
                if create_kpis
                else None
            )
    except REFUSALS as error:
        form.show_error(error)
        return None
    if planned is not None:
        text = _("The funnel is planned and its stage KPIs created.")
        messages.success(request, " ".join(filter(None, [text, services.linked_text(planned)])))
    else:
        messages.success(request, _("The funnel is planned."))
    return redirect("plans:funnel_detail", pk=funnel.pk)


def _bound(initial: dict[str, Any], stages: int) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in initial.items():
        query[key] = str(value)
    query["n"] = str(stages)
    return query


def _preview_draft(data: QueryDict, stages: int) -> FunnelDraft | None:
    return _draft(FunnelForm(data, stages=stages))


@editor_required
def funnel_preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The required numbers of the form as it is being typed (htmx)."""
    stages = stage_count(request.GET.get("n"))
    form = FunnelForm(request.GET, stages=stages)
    draft = _draft(form)
    return render(
        request, "plans/_funnel_required.html", {"draft": draft, "form": form, "preview": True}
    )


@member_required
def funnel_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    today = request.today
    funnel = selectors.funnel_get(organisation=organisation, pk=pk)
    view = selectors.funnel_view(funnel=funnel, today=today)
    rates = selectors.funnel_rates(funnel)
    what_if = RatesForm(
        initial={f"rate_{i}": percent_text(rate) for i, rate in enumerate(rates)},
        stages=len(view.stages),
        names=[s.stage.name for s in view.stages],
    )
    offers = (
        services.funnel_kpi_offers(funnel=funnel)
        if view.missing_kpis and request.membership.can_edit
        else []
    )
    return render(
        request,
        "plans/funnel_detail.html",
        {
            "nav": "plans",
            "funnel": funnel,
            "offers": offers if any(o.existing for o in offers) else [],
            "view": view,
            "rows": presented_stages(view),
            "bottom": view.stages[-1],
            "projected": _whole_or_one_decimal(view.projected_bottom),
            "period": period_label_of(funnel.start, funnel.end),
            "chart": funnel_chart(view, danish=(get_language() or "da").startswith("da")),
            "what_if": what_if,
            "what_if_rows": _what_if_rows(view, rates),
            "uplift": percent_text(view.proposal.replan.uplift)
            if view.proposal and view.proposal.replan.uplift
            else None,
        },
    )


def period_label_of(start: dt.date, end: dt.date) -> str:
    return period_label(Period(start, end))


def _whole_or_one_decimal(value: float) -> str:
    return format_value(round(value, 1), unit="number")


def _what_if_rows(view: selectors.FunnelView, rates: list[Fraction]) -> list[dict[str, Any]]:
    """Per stage: the plan, what the rates ask for, and what the actual top turns into."""
    required = reverse_plan(view.funnel.goal, rates)
    top = view.stages[0].actual
    pushed = forward_push(top, rates) if top else None
    return [
        {
            "stage": stage.stage,
            "planned": stage.stage.required,
            "required": required[i],
            "changed": required[i] != stage.stage.required,
            "from_top": None if pushed is None else _whole_or_one_decimal(float(pushed[i])),
        }
        for i, stage in enumerate(view.stages)
    ]


@member_required
def funnel_what_if(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change a rate: the required numbers per stage for the same goal, at once (htmx)."""
    organisation = request.organisation
    funnel = selectors.funnel_get(organisation=organisation, pk=pk)
    view = selectors.funnel_view(funnel=funnel, today=request.today)
    form = RatesForm(
        request.GET, stages=len(view.stages), names=[s.stage.name for s in view.stages]
    )
    rows = None
    if form.is_valid():
        try:
            rates = [Fraction(rate) for rate in form.rates()]
            reverse_plan(funnel.goal, rates)
            funnel_draft(goal=funnel.goal, rates=rates, stages=None, period=period_of(funnel))
            rows = _what_if_rows(view, rates)
        except REFUSALS as error:
            form.show_error(error)
    return render(
        request, "plans/_what_if.html", {"what_if": form, "what_if_rows": rows, "funnel": funnel}
    )


def period_of(funnel: FunnelPlan) -> Period:
    return Period(funnel.start, funnel.end)


@editor_required
@require_POST
def funnel_kpis(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    funnel = selectors.funnel_get(organisation=request.organisation, pk=pk)
    try:
        planned = services.funnel_kpis_create(
            funnel=funnel,
            user=request.user,
            now=timezone.now(),
            create_new=request.POST.getlist("create_new"),
        )
    except REFUSALS as error:
        messages.error(request, str(error))
    else:
        count = len(planned.created)
        text = ngettext("%(count)s stage KPI created.", "%(count)s stage KPIs created.", count) % {
            "count": count
        }
        messages.success(request, " ".join(filter(None, [text, services.linked_text(planned)])))
    return redirect("plans:funnel_detail", pk=pk)


@editor_required
@require_POST
def funnel_replan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    funnel = selectors.funnel_get(organisation=request.organisation, pk=pk)
    try:
        updated = services.funnel_replan_apply(
            funnel=funnel,
            user=request.user,
            today=request.today,
        )
    except REFUSALS as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "New targets for %(count)s later stage; the change is in the KPI's history.",
                "New targets for %(count)s later stages; the change is in each KPI's history.",
                len(updated),
            )
            % {"count": len(updated)},
        )
    return redirect("plans:funnel_detail", pk=pk)


@editor_required
@require_http_methods(["GET", "HEAD", "POST"])
def funnel_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ask (what goes, and that the stage KPIs stay), then delete."""
    funnel = selectors.funnel_get(organisation=request.organisation, pk=pk)

    def context() -> dict[str, Any]:
        stages = list(funnel.stages.all())
        return {
            "nav": "plans",
            "funnel": funnel,
            "stages": [
                {"stage": stage, "period": period_label_of(stage.start, stage.end)}
                for stage in stages
            ],
            "kpis": [stage.kpi for stage in stages if stage.kpi is not None],
        }

    def delete() -> str:
        services.funnel_delete(funnel=funnel)
        return _("The funnel “%(name)s” is deleted; its KPIs stay.") % {"name": funnel.name}

    return confirm_delete(
        request,
        template="plans/funnel_delete.html",
        context=context,
        delete=delete,
        then="plans:index",
    )
