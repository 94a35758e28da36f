"""KPI pages: the detail page with its chart and history, the creation wizard (from a
template of the article or from scratch), editing and archiving."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fokus.accounts.access import editor_required, member_required
from fokus.accounts.http import AuthenticatedHttpRequest
from fokus.accounts.models import Organisation
from fokus.core.periods import Period
from fokus.errors import REFUSALS
from fokus.kpis import presenters, selectors
from fokus.kpis.charts import kpi_chart
from fokus.kpis.kpi_form import KpiForm, initial_from_spec
from fokus.kpis.kpi_templates import template_get, templates_by_category
from fokus.kpis.matching import same_kpis
from fokus.kpis.models import Kpi, Measure
from fokus.kpis.sentences import kpi_sentence
from fokus.kpis.services import (
    KpiSpec,
    kpi_check,
    kpi_create,
    kpi_duplicates,
    kpi_spec_of,
    kpi_update,
)
from fokus.kpis.services import kpi_archive as archive_kpi
from fokus.ui.periods import period_label, requested_period


@member_required
def kpi_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    today = request.today
    data = selectors.kpi_data(organisation=organisation, pk=pk, today=today)
    kpi = data.kpi
    items = list(selectors.kpi_items(kpi))
    open_items = [item for item in items if item.done_on is None]
    context = {
        "nav": "dashboard",
        "today": today,
        "card": presenters.kpi_card(kpi, data.evaluation, today, open_items),
        "kpi": kpi,
        "sentence": kpi_sentence(**_sentence_args(kpi, len(items))),
        "milestones": kpi.sub_goals(),
        "checkins": selectors.kpi_checkins(kpi),
        "items": items,
        "intervals": presenters.interval_rows(kpi, data.evaluation) if kpi.interval else [],
        "changes": presenters.change_rows(kpi, selectors.kpi_changes(kpi)),
        "chart": kpi_chart(kpi=kpi, evaluation=data.evaluation, points=data.points, today=today),
    }
    return render(request, "kpis/kpi_detail.html", context)


def _sentence_args(kpi: Kpi | KpiSpec, items: int = 0) -> dict[str, Any]:
    currency = kpi.organisation.currency if isinstance(kpi, Kpi) else "DKK"
    return {
        "name": kpi.name,
        "start": kpi.start,
        "end": kpi.end,
        "target": kpi.target,
        "unit": kpi.unit,
        "unit_label": kpi.unit_label,
        "direction": kpi.direction,
        "measure": kpi.measure,
        "interval": kpi.interval,
        "interval_target": kpi.interval_target,
        "items": items,
        "currency": currency,
    }


def _checked_sentence(form: KpiForm, currency: str) -> str | None:
    """The spec checked by the service and said as one sentence; errors go to the form."""
    spec = form.spec
    if spec is None:
        return None
    try:
        kpi_check(spec)
    except REFUSALS as error:
        form.show_error(error)
        return None
    args = _sentence_args(spec, len(spec.items))
    args["currency"] = currency
    return kpi_sentence(**args)


def _wizard_initial(
    request: AuthenticatedHttpRequest, planned: Period
) -> tuple[dict[str, Any], str]:
    """Start values over the period being planned (or the one asked for): a template of
    the article, a KPI to carry over, or blank."""
    template = template_get(request.GET.get("template", ""))
    if template is not None:
        spec = template.spec(planned.start.year)
        return initial_from_spec(spec, template=template.slug), template.slug
    source = request.GET.get("from", "")
    if source.isdigit():
        kpi = selectors.kpi_for(organisation=request.organisation, pk=int(source))
        period, _error = requested_period(request.GET.get("period"), planned)
        return _carry_over(kpi, period.start, period.end), ""
    period = planned
    initial = initial_from_spec(KpiSpec(name="", start=period.start, end=period.end, target=None))
    initial["split_evenly"] = True
    return initial, ""


def _carry_over(kpi: Kpi, start: Any, end: Any) -> dict[str, Any]:
    """The KPI's definition over another period, its sub-goals to be split anew."""
    spec = replace(
        kpi_spec_of(kpi),
        start=start,
        end=end,
        milestones=(),
        customer_id=None,
        items=[item.name for item in kpi.items.all()] if kpi.measure == Measure.CHECKLIST else [],
    )
    initial = initial_from_spec(spec)
    initial["split_evenly"] = True
    return initial


def _existing(organisation: Organisation, spec: KpiSpec) -> list[Kpi]:
    """The KPIs that would make this one a second record of the same number: those with
    its name and period, and (made from a template) those of the template's kind
    (``kpis.matching``)."""
    found = kpi_duplicates(organisation=organisation, spec=spec)
    if spec.kind:
        found += same_kpis(organisation=organisation, spec=spec, exclude=[k.pk for k in found])
    return found


@editor_required
def kpi_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The wizard: pick a template (or start blank), answer the two questions, see the
    KPI as one sentence, save. A KPI like one that exists (the same name and period, or
    of the same template over the same time) is only saved once the user confirms it."""
    organisation = request.organisation
    planned = selectors.default_period(organisation=organisation, today=request.today)
    year = planned.start.year
    sentence = None
    existing: list[Kpi] = []
    if request.method == "POST":
        form = KpiForm(request.POST, year=year)
        action = request.POST.get("action")
        if form.is_valid():
            sentence = _checked_sentence(form, organisation.currency)
            if sentence is not None and action in ("save", "save_duplicate"):
                assert form.spec is not None
                if action == "save":
                    existing = _existing(organisation, form.spec)
            if sentence is not None and action in ("save", "save_duplicate") and not existing:
                assert form.spec is not None
                kpi = kpi_create(
                    organisation=organisation,
                    spec=form.spec,
                    user=request.user,
                )
                saved = _("The KPI is saved: %(sentence)s") % {"sentence": sentence}
                messages.success(request, " ".join(filter(None, [saved, _moved_note(form)])))
                return redirect("kpi_detail", kpi.pk)
        chosen = request.POST.get("template", "")
    else:
        initial, chosen = _wizard_initial(request, planned)
        form = KpiForm(initial=initial, year=year)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "kpis/kpi_form.html",
        {
            "nav": "new",
            "form": form,
            "sentence": sentence,
            "templates": templates_by_category(),
            "chosen": chosen,
            "editing": None,
            "existing": existing,
            "moved_note": _moved_note(form),
        },
        status=status,
    )


def _moved_note(form: KpiForm) -> str:
    """What to say when the sub-goals followed a changed period (``KpiForm.moved_to``)."""
    if form.moved_to is None:
        return ""
    return _("The sub-goals follow the new period %(period)s; check them.") % {
        "period": period_label(form.moved_to)
    }


def _live_errors(form: KpiForm) -> list[tuple[str, list[str]]]:
    """Each field's error slot (``kpis/_field_errors.html``) with what the live sentence
    shows in it: what was answered wrongly, not yet what is still unanswered. The sub-goal
    rows come with their table when they followed a changed period."""
    slots = []
    for field in form:
        if form.moved_to is not None and field.name.startswith(("ms_", "milestones_for")):
            continue
        if field.is_hidden and field.name != "milestones_for":
            continue
        errors = [
            message
            for error in form.errors.as_data().get(field.name, [])
            if error.code != "required"
            for message in error.messages
        ]
        slots.append((field.auto_id, errors))
    return slots


@editor_required
@require_POST
def kpi_preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The wizard's live sentence (htmx): the KPI in words, or what is still missing; each
    error at its field, and the sub-goals moved when the period changed under them."""
    organisation = request.organisation
    planned = selectors.default_period(organisation=organisation, today=request.today)
    form = KpiForm(request.POST, year=planned.start.year)
    sentence = _checked_sentence(form, organisation.currency) if form.is_valid() else None
    slots = _live_errors(form)
    context = {
        "form": form,
        "sentence": sentence,
        "preview": True,
        "error_slots": slots,
        "error_slots_shown": any(errors for _slot, errors in slots),
        "moved_note": _moved_note(form),
    }
    return render(request, "kpis/_kpi_preview.html", context)


@editor_required
def kpi_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change a KPI's definition; every change of the target is kept in its history."""
    organisation = request.organisation
    kpi = selectors.kpi_for(organisation=organisation, pk=pk)
    year = request.today.year
    sentence = None
    if request.method == "POST":
        form = KpiForm(request.POST, year=year, editing=kpi)
        if form.is_valid():
            sentence = _checked_sentence(form, organisation.currency)
            if sentence is not None and request.POST.get("action") == "save":
                assert form.spec is not None
                _update(kpi, form.spec, request)
                changed = _("The KPI is changed.")
                messages.success(request, " ".join(filter(None, [changed, _moved_note(form)])))
                return redirect("kpi_detail", kpi.pk)
    else:
        initial = initial_from_spec(kpi_spec_of(kpi))
        form = KpiForm(initial=initial, year=year, editing=kpi)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "kpis/kpi_form.html",
        {
            "nav": "dashboard",
            "form": form,
            "sentence": sentence,
            "editing": kpi,
            "moved_note": _moved_note(form),
        },
        status=status,
    )


def _update(kpi: Kpi, spec: KpiSpec, request: AuthenticatedHttpRequest) -> None:
    fields = (
        "name",
        "start",
        "end",
        "target",
        "baseline",
        "unit",
        "unit_label",
        "direction",
        "measure",
        "milestones",
        "interval",
        "interval_target",
        "category",
        "description",
        "cadence",
        "focus",
    )
    kpi_update(
        kpi=kpi,
        user=request.user,
        **{name: getattr(spec, name) for name in fields},
    )


@editor_required
@require_POST
def kpi_archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    kpi = selectors.kpi_for(organisation=request.organisation, pk=pk)
    archive_kpi(kpi=kpi, user=request.user, now=timezone.now())
    messages.success(request, _("“%(name)s” is archived.") % {"name": kpi.name})
    return redirect("dashboard")
