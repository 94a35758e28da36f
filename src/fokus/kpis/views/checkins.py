"""Check-ins: the quick check-in from a dashboard card (htmx, or a plain form without
JavaScript), ticking checklist items, and correcting or deleting a check-in."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fokus.accounts.access import editor_required
from fokus.accounts.http import AuthenticatedHttpRequest
from fokus.errors import REFUSALS
from fokus.kpis import presenters, selectors
from fokus.kpis.formatting import format_kpi_value, outside_period_note
from fokus.kpis.forms import CheckInForm, TickForm
from fokus.kpis.models import Kpi, Measure
from fokus.kpis.selectors import kpi_evaluate
from fokus.kpis.services import (
    checkin_delete as delete_checkin,
)
from fokus.kpis.services import (
    checkin_record,
    checkin_update,
    checklist_tick,
    checklist_untick,
)
from fokus.ui.formatting import format_day
from fokus.ui.forms import add_refusal, plain_number
from fokus.ui.http import next_url
from fokus.ui.views import confirm_delete


def _back(request: AuthenticatedHttpRequest, kpi: Kpi) -> HttpResponseRedirect:
    """Back where the form was (``next``, when it is ours), else the KPI's page."""
    return HttpResponseRedirect(next_url(request, reverse("kpi_detail", args=[kpi.pk])))


def _page_url(request: AuthenticatedHttpRequest) -> str:
    """The page a card's form is on: for a fragment htmx loaded, the page in the browser
    (where a form sent without JavaScript should lead back to), not the fragment's URL."""
    if request.htmx and request.htmx.current_url_abs_path:
        return str(request.htmx.current_url_abs_path)
    return request.get_full_path()


def _prefix(request: AuthenticatedHttpRequest, kpi: Kpi) -> str | None:
    """Forms on dashboard cards carry a prefix per KPI (unique ids on one page)."""
    prefix = presenters.card_prefix(kpi)
    return prefix if f"{prefix}-date" in request.POST else None


def _card_now(request: AuthenticatedHttpRequest, kpi: Kpi) -> presenters.KpiCard:
    """The KPI's card as of today: its evaluation (cached until its data changes) and
    the checklist items still open."""
    today = request.today
    evaluation = kpi_evaluate(kpi=kpi, as_of=today)
    items = selectors.open_items([kpi]).get(kpi.pk, [])
    return presenters.kpi_card(kpi, evaluation, today, items)


def _card(
    request: AuthenticatedHttpRequest,
    kpi: Kpi,
    *,
    form: Any = None,
    saved: str = "",
    status: int = 200,
) -> HttpResponse:
    """The KPI's dashboard card as it is now (the htmx answer)."""
    context = {
        "card": _card_now(request, kpi),
        "form": form,
        "saved": saved,
        "open": form is not None,
        "back": _page_url(request),
    }
    return render(request, "kpis/_kpi_card.html", context, status=status)


def _quick_form(request: AuthenticatedHttpRequest, kpi: Kpi) -> HttpResponse:
    """The check-in form for a dashboard card, loaded when asked for (htmx)."""
    today = request.today
    items = selectors.open_items([kpi]).get(kpi.pk, [])
    card = presenters.kpi_card_light(kpi, today, items)
    context = {"card": card, "form": None, "back": _page_url(request)}
    return render(request, "kpis/_quick_form.html", context)


def _checkin_page(
    request: AuthenticatedHttpRequest, kpi: Kpi, form: Any, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "kpis/checkin.html",
        {"nav": "dashboard", "kpi": kpi, "card": _card_now(request, kpi), "form": form},
        status=status,
    )


def _answer(
    request: AuthenticatedHttpRequest, kpi: Kpi, form: Any, saved: str | None
) -> HttpResponse:
    """After a check-in or a tick: what was saved on the card (htmx) or back where the form
    was; a form to correct on the card (htmx), else on the check-in page."""
    if saved is not None:
        if request.htmx:
            return _card(request, kpi, saved=saved)
        messages.success(request, saved)
        return _back(request, kpi)
    if request.htmx:
        return _card(request, kpi, form=form)
    return _checkin_page(request, kpi, form, status=400)


@editor_required
def kpi_checkin(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a check-in (or, for a checklist KPI, tick an item off)."""
    kpi = selectors.kpi_for(organisation=request.organisation, pk=pk)
    if kpi.measure == Measure.CHECKLIST:
        return kpi_tick(request, pk)
    if request.method != "POST":
        if request.htmx:
            return _quick_form(request, kpi)
        today = request.today
        initial = {"date": presenters.checkin_date(kpi, today)}
        form = CheckInForm(initial=initial, kpi=kpi, today=today)
        return _checkin_page(request, kpi, form)
    form = CheckInForm(request.POST, prefix=_prefix(request, kpi), kpi=kpi, today=request.today)
    saved = None
    if form.is_valid():
        try:
            checkin, _created = checkin_record(
                kpi=kpi,
                date=form.cleaned_data["date"],
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except REFUSALS as error:
            add_refusal(form, error)
        else:
            saved = _("Checked in %(value)s on %(date)s.") % {
                "value": format_kpi_value(kpi, checkin.value),
                "date": format_day(checkin.date),
            }
            saved = " ".join(filter(None, [saved, outside_period_note(kpi, checkin.date)]))
    return _answer(request, kpi, form, saved)


@editor_required
def kpi_tick(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Tick a checklist item off on a date."""
    kpi = selectors.kpi_for(organisation=request.organisation, pk=pk)
    items = selectors.open_items([kpi]).get(kpi.pk, [])
    if request.method != "POST":
        if request.htmx:
            return _quick_form(request, kpi)
        today = request.today
        initial = {"date": presenters.checkin_date(kpi, today), "item": request.GET.get("item")}
        form = TickForm(items=items, initial=initial, kpi=kpi, today=today)
        return _checkin_page(request, kpi, form)
    form = TickForm(
        request.POST, items=items, prefix=_prefix(request, kpi), kpi=kpi, today=request.today
    )
    saved = None
    if form.is_valid():
        item = selectors.item_for(kpi=kpi, pk=form.cleaned_data["item"])
        try:
            checklist_tick(kpi=kpi, item=item, date=form.cleaned_data["date"], user=request.user)
        except REFUSALS as error:
            add_refusal(form, error)
        else:
            saved = _("Ticked off “%(item)s” on %(date)s.") % {
                "item": item.name,
                "date": format_day(form.cleaned_data["date"]),
            }
    return _answer(request, kpi, form, saved)


@editor_required
@require_POST
def kpi_untick(request: AuthenticatedHttpRequest, pk: int, item: int) -> HttpResponse:
    kpi = selectors.kpi_for(organisation=request.organisation, pk=pk)
    ticked = selectors.item_for(kpi=kpi, pk=item)
    checklist_untick(item=ticked)
    messages.success(request, _("“%(item)s” is no longer ticked off.") % {"item": ticked.name})
    return redirect("kpi_detail", kpi.pk)


@editor_required
def checkin_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Correct a check-in's date, value or note (who and when is kept)."""
    checkin = selectors.checkin_for(organisation=request.organisation, pk=pk)
    kpi = checkin.kpi
    initial = {"date": checkin.date, "value": checkin.value, "note": checkin.note}
    form = CheckInForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            checkin_update(
                checkin=checkin,
                user=request.user,
                date=form.cleaned_data["date"],
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                now=timezone.now(),
            )
        except REFUSALS as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The check-in is corrected."))
            return redirect("kpi_detail", kpi.pk)
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        status = 200
        if not form.is_bound:
            form.initial["value"] = plain_number(checkin.value)
    return render(
        request,
        "kpis/checkin_edit.html",
        {"nav": "dashboard", "kpi": kpi, "checkin": checkin, "form": form},
        status=status,
    )


@editor_required
def checkin_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ask, then delete a check-in (the deletion stays in the KPI's history)."""
    checkin = selectors.checkin_for(organisation=request.organisation, pk=pk)
    kpi = checkin.kpi

    def delete() -> str:
        delete_checkin(checkin=checkin, user=request.user)
        return _("The check-in is deleted.")

    return confirm_delete(
        request,
        template="kpis/checkin_delete.html",
        context=lambda: {
            "nav": "dashboard",
            "kpi": kpi,
            "checkin": checkin,
            "value": format_kpi_value(kpi, checkin.value),
            "cancel": reverse("kpi_detail", args=[kpi.pk]),
        },
        delete=delete,
        then=reverse("kpi_detail", args=[kpi.pk]),
    )
