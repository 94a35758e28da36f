"""Pages of the alerts: the inbox with its actions, the signed one-click contact link of
the digest, and the organisation's notification settings. Views translate HTTP to the
services and selectors and back; nothing more."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fokus.accounts.access import editor_required, manager_required, member_required
from fokus.accounts.http import AuthenticatedHttpRequest
from fokus.accounts.models import Membership, User
from fokus.alerts import describe, selectors, services
from fokus.alerts.digest import contact_link_load, digest_recipients
from fokus.alerts.errors import AlertError
from fokus.alerts.forms import BulkForm, ContactForm, InboxFilterForm, SnoozeForm, WebhookForm
from fokus.alerts.models import Alert, AlertKind, WebhookEndpoint
from fokus.errors import NotFound, ProductError
from fokus.ui.formatting import format_day
from fokus.ui.forms import add_refusal


@dataclass
class Item:
    alert: Alert
    title: str
    detail: str
    can_log_contact: bool
    error: str
    url: str
    selected: bool = False


GROUP_TITLES = {
    "customers": gettext_lazy("Customers to contact"),
    "advisory": gettext_lazy("Advisory meetings"),
    "monitors": gettext_lazy("Monitors"),
    "kpis": gettext_lazy("KPIs"),
}
STATE_TITLES = {
    "open": gettext_lazy("Open"),
    "acknowledged": gettext_lazy("Acknowledged"),
    "snoozed": gettext_lazy("Snoozed"),
}
# The bulk snooze's default: a week.
SNOOZE_DAYS = 7


def _subject_url(alert: Alert) -> str:
    """The page of what the alert is about: the customer's, else the KPI's."""
    try:
        if alert.customer_id is not None:
            return reverse("customers:detail", args=[alert.customer_id])
        if alert.kpi_id is not None:
            return reverse("kpi_detail", args=[alert.kpi_id])
    except NoReverseMatch:
        pass
    return ""


def _items(
    alerts: list[Alert], today: dt.date, errors: dict[int, str], selected: set[int]
) -> list[Item]:
    return [
        Item(
            alert=a,
            title=describe.title(a),
            detail=describe.detail(a, today),
            can_log_contact=a.kind == AlertKind.CUSTOMER_OVERDUE and a.customer_id is not None,
            error=errors.get(a.pk, ""),
            url=_subject_url(a),
            selected=a.pk in selected,
        )
        for a in alerts
    ]


def _filters(data: Any) -> InboxFilterForm:
    form = InboxFilterForm(data)
    form.is_valid()  # a bad value is no filter
    return form


def _query(form: InboxFilterForm, **extra: str) -> str:
    """The inbox's address with the form's filters (and ``extra``)."""
    params = {k: v for k, v in form.cleaned_data.items() if v}
    params.update(extra)
    return reverse("alerts:inbox") + (f"?{urlencode(params)}" if params else "")


def _inbox_context(
    request: AuthenticatedHttpRequest,
    errors: dict[int, str] | None = None,
    data: Any = None,
) -> dict[str, Any]:
    """The inbox grouped (state, then kind, most urgent first) and filtered by ``data``
    (the GET query, or a bulk action's hidden filters)."""
    organisation = request.organisation
    today = request.today
    form = _filters(request.GET if data is None else data)
    group, state = form.cleaned_data.get("group") or "", form.cleaned_data.get("state") or ""
    data_ = selectors.inbox(
        organisation=organisation,
        today=today,
        groups=(group,) if group else (),
        states=(state,) if state else (),
    )
    select = str((request.GET if data is None else data).get("select", ""))
    chosen = data_.sections.get(select.partition(".")[0], {}).get(select.partition(".")[2], [])
    selected = {alert.pk for alert in chosen[: services.BULK_LIMIT]}
    sections = []
    for key, groups in data_.sections.items():
        count = sum(len(alerts) for alerts in groups.values())
        if key != "open" and not count and not state:
            continue
        sections.append(
            {
                "state": key,
                "title": STATE_TITLES[key],
                "count": count,
                "groups": [
                    {
                        "key": name,
                        "id": f"{key}-{name}",
                        "title": GROUP_TITLES[name],
                        "count": len(alerts),
                        "items": _items(alerts, today, errors or {}, selected),
                        "select_url": _query(form, select=f"{key}.{name}"),
                        "all_selected": bool(alerts) and all(a.pk in selected for a in alerts),
                        "capped": len(alerts) > services.BULK_LIMIT and select == f"{key}.{name}",
                    }
                    for name, alerts in groups.items()
                ],
            }
        )
    return {
        "nav": "inbox",
        "today": today,
        "sections": sections,
        "any_items": any(s["count"] for s in sections),
        "scanned": data_.scanned,
        "filters": form,
        "filtered": bool(group or state),
        "selected": selected,
        "clear_url": _query(form),
        "bulk_limit": services.BULK_LIMIT,
        "snooze_default": today + dt.timedelta(days=SNOOZE_DAYS),
        "tomorrow": today + dt.timedelta(days=1),
        "contact_kinds": ContactForm.base_fields["kind"].choices,  # type: ignore[attr-defined]
    }


@member_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The inbox; htmx (a filter, "select all in this group") gets only its list, but the
    whole page when it restores a page of its history."""
    htmx = getattr(request, "htmx", None)
    fragment = bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]
    template = "alerts/_inbox.html" if fragment else "alerts/inbox.html"
    return render(request, template, _inbox_context(request))


# htmx stops polling an element whose answer has this status.
STOP_POLLING = 286


@require_GET
def nav_count(request: HttpRequest) -> HttpResponse:
    """Only the navigation's count of open alerts, which htmx polls: one query. A page
    left open after its session ended stops polling (a redirect to the login page would
    put that page into the navigation)."""
    if getattr(request, "membership", None) is None and getattr(request, "htmx", False):
        return HttpResponse(status=STOP_POLLING)
    return _nav_count(request)  # type: ignore[arg-type]


@member_required
def _nav_count(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = selectors.open_alert_count(organisation=request.organisation, today=request.today)
    response = HttpResponse(render_to_string("ui/_nav_count.html", {"count": count}))
    response["Cache-Control"] = "no-store"
    return response


def _after_action(
    request: AuthenticatedHttpRequest, alert_id: int, error: str | None, done: str
) -> HttpResponse:
    """htmx: the inbox's list again (with the error at its alert); else back to the inbox."""
    if getattr(request, "htmx", False):
        errors = {alert_id: error} if error else None
        context = _inbox_context(request, errors)
        context["update_nav"] = True  # the count in the navigation, swapped out of band
        return render(request, "alerts/_inbox.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("alerts:inbox")


@require_POST
@editor_required
def alerts_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Acknowledge or snooze the ticked alerts (at most ``services.BULK_LIMIT``) in one
    request; the answer says how many changed. htmx gets the inbox's list again, with
    the navigation's count; a plain form goes back to the inbox with its filters."""
    form = BulkForm(request.POST)
    ids = [int(raw) for raw in request.POST.getlist("alert") if raw.isdigit()]
    done, error = "", ""
    if not form.is_valid():
        error = _form_error(form)
    else:
        try:
            if form.cleaned_data["action"] == "ack":
                count = services.alerts_acknowledge(
                    organisation=request.organisation,
                    ids=ids,
                    user=request.user,
                    now=timezone.now(),
                )
                done = ngettext(
                    "%(count)s alert acknowledged.", "%(count)s alerts acknowledged.", count
                ) % {"count": count}
            else:
                until = form.cleaned_data["until"]
                count = services.alerts_snooze(
                    organisation=request.organisation,
                    ids=ids,
                    user=request.user,
                    until=until,
                    reason=form.cleaned_data["reason"] or _("Snoozed in the inbox"),
                    today=request.today,
                )
                done = ngettext(
                    "%(count)s alert snoozed until %(date)s.",
                    "%(count)s alerts snoozed until %(date)s.",
                    count,
                ) % {"count": count, "date": format_day(until)}
        except ProductError as refused:
            error = refused.message
    filters = _filters(request.POST)
    if getattr(request, "htmx", False):
        context = _inbox_context(request, data=request.POST)
        context.update(update_nav=True, notice=done, bulk_error=error)
        return render(request, "alerts/_inbox.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(_query(filters))


@require_POST
@editor_required
def scan_now(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Run the organisation's scan now (the worker's first one has not come yet), then
    show the inbox with what it found."""
    result = services.alerts_sync(
        organisation=request.organisation, today=request.today, now=timezone.now()
    )
    count = len(result.raised)
    messages.success(
        request,
        ngettext("Checked now: %(count)s new alert.", "Checked now: %(count)s new alerts.", count)
        % {"count": count},
    )
    return redirect("alerts:inbox")


def _alert(request: AuthenticatedHttpRequest, pk: int) -> Alert:
    try:
        return selectors.alert_get(organisation=request.organisation, pk=pk)
    except NotFound:
        raise Http404 from None


def _form_error(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@require_POST
@editor_required
def alert_ack(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    alert = _alert(request, pk)
    error = None
    try:
        services.alert_acknowledge(alert=alert, user=request.user, now=timezone.now())
    except ProductError as e:
        error = e.message
    return _after_action(request, alert.pk, error, _("Alert acknowledged."))


@require_POST
@editor_required
def alert_snooze(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    alert = _alert(request, pk)
    form = SnoozeForm(request.POST)
    error = None
    if not form.is_valid():
        error = _form_error(form)
    else:
        try:
            services.alert_snooze(
                alert=alert,
                user=request.user,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
                today=request.today,
            )
        except ProductError as e:
            error = e.message
    return _after_action(request, alert.pk, error, _("Alert snoozed."))


@require_POST
@editor_required
def alert_contact(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    alert = _alert(request, pk)
    form = ContactForm(request.POST)
    error = None
    if not form.is_valid():
        error = _form_error(form)
    else:
        try:
            services.alert_log_contact(
                alert=alert,
                user=request.user,
                date=request.today,
                now=timezone.now(),
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except ProductError as e:
            error = e.message
    return _after_action(request, alert.pk, error, _("Contact logged; the alert is resolved."))


# --- The one-click link of the digest (signed; works without logging in) ------------------


@require_http_methods(["GET", "POST"])
def contact_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the page that logs the contact (it submits itself, so a mail scanner that
    only fetches the link logs nothing); POST logs it, once."""
    try:
        link = contact_link_load(token)
    except AlertError as error:
        return _link_page(request, error=error.message, status=400)
    alert = (
        Alert.objects.filter(
            pk=link.alert_id, customer_id=link.customer_id, kind=AlertKind.CUSTOMER_OVERDUE
        )
        .select_related("organisation", "customer")
        .first()
    )
    user = User.objects.filter(pk=link.user_id, is_active=True).first()
    if alert is None or user is None:
        return _link_page(request, error=_("The link is invalid or has expired."), status=404)
    context: dict[str, Any] = {"alert": alert, "customer": alert.customer, "kind": link.kind}
    if request.method == "GET":
        if not alert.is_active:
            context["done_before"] = True
        return _link_page(request, **context)
    now = timezone.now()
    try:
        services.alert_log_contact(
            alert=alert,
            user=user,
            date=alert.organisation.local_date(now),
            now=now,
            kind=link.kind,
            note=_("Logged from the e-mail digest"),
        )
    except ProductError as error:
        if error.code == "alert_resolved":
            context["done_before"] = True
            return _link_page(request, **context)
        return _link_page(request, error=error.message, status=403)
    context["logged"] = True
    return _link_page(request, **context)


def _link_page(request: HttpRequest, *, status: int = 200, **context: Any) -> HttpResponse:
    return render(request, "alerts/contact_link.html", context, status=status)


# --- Notification settings (owners and administrators) ----------------------------------


def _webhook_add(request: AuthenticatedHttpRequest, form: WebhookForm) -> bool:
    """Add the form's webhook; False with the errors on the form."""
    if not form.is_valid():
        return False
    try:
        services.webhook_create(
            organisation=request.organisation,
            url=form.cleaned_data["url"],
            description=form.cleaned_data["description"],
        )
    except ProductError as error:
        add_refusal(form, error)
        return False
    messages.success(request, _("Webhook added."))
    return True


def _webhook_remove(request: AuthenticatedHttpRequest) -> None:
    """Remove the posted endpoint of the organisation (404 for any other)."""
    raw = request.POST.get("endpoint", "")
    endpoint = (
        WebhookEndpoint.objects.filter(organisation=request.organisation, pk=int(raw)).first()
        if raw.isdigit()
        else None
    )
    if endpoint is None:
        raise Http404
    services.webhook_delete(endpoint=endpoint)
    messages.success(request, _("Webhook removed."))


def _digests_save(request: AuthenticatedHttpRequest) -> None:
    """The daily e-mail digest on for the members ticked, off for the others."""
    organisation = request.organisation
    chosen = set(request.POST.getlist("digest"))
    for membership in Membership.objects.filter(organisation=organisation).select_related("user"):
        services.email_digest_set(
            organisation=organisation,
            user=membership.user,
            enabled=str(membership.user_id) in chosen,
        )
    messages.success(request, _("E-mail settings saved."))


@manager_required
def alert_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The organisation's webhooks and who gets the daily e-mail digest; each form posts
    its ``action``."""
    organisation = request.organisation
    form = WebhookForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add_webhook":
            form = WebhookForm(request.POST)
            if _webhook_add(request, form):
                return redirect("alerts:settings")
        elif action == "delete_webhook":
            _webhook_remove(request)
            return redirect("alerts:settings")
        elif action == "digests":
            _digests_save(request)
            return redirect("alerts:settings")
        else:
            raise Http404
    receiving = {user.pk for user, _m in digest_recipients(organisation)}
    members = Membership.objects.filter(organisation=organisation).select_related("user")
    context = {
        "nav": "inbox",
        "form": form,
        "endpoints": WebhookEndpoint.objects.filter(organisation=organisation),
        "members": [(m, m.user_id in receiving) for m in members.order_by("user__email")],
    }
    return render(request, "alerts/settings.html", context)
