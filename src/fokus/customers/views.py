"""Pages of the customer register. Views translate HTTP to selector and service calls and
back; a viewer may look at everything and change nothing (the guards answer 403)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from fokus.accounts.access import editor_required, member_required
from fokus.accounts.http import AuthenticatedHttpRequest
from fokus.customers import advisory, monitors, services
from fokus.customers.forms import (
    AdvisoryForm,
    CalmStartForm,
    ContactForm,
    CustomerForm,
    FilterForm,
    MonitorForm,
    PartnerForm,
    ReadingForm,
    ReferralForm,
    RevenueForm,
    SnoozeForm,
    confirmed_ids,
)
from fokus.customers.models import Customer, CustomerStatus, Monitor, Partner
from fokus.customers.presenters import (
    customer_row,
    customer_rows,
    deletion_summary,
    detail_context,
    filter_selects,
)
from fokus.customers.selectors import (
    CustomerFilter,
    customer_duplicates,
    customer_get,
    customer_list,
    cvr_key,
    name_key,
    organisation_members,
    organisation_tags,
    partner_list,
    starts_overdue,
)
from fokus.errors import NotFound, ProductError
from fokus.ui.forms import add_refusal
from fokus.ui.http import next_url
from fokus.ui.views import confirm_delete

PAGE_SIZE = 50


def _customer(request: AuthenticatedHttpRequest, pk: int) -> Customer:
    try:
        return customer_get(organisation=request.organisation, ref=pk)
    except NotFound:
        raise Http404 from None


@member_required
def customer_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = request.organisation
    today = request.today
    owners = organisation_members(organisation)
    tags = [t.name for t in organisation_tags(organisation)]
    form = FilterForm(request.GET or None, owners=owners, tags=tags)
    data = form.cleaned_data if form.is_valid() else {}
    filters = CustomerFilter(
        search=data.get("q") or "",
        status=data.get("status") or "",
        owner=data.get("owner"),
        tag=data.get("tag") or "",
        due=data.get("due") or "",
        sort=data.get("sort") or "contact",
        active_first=True,
    )
    rows = customer_list(organisation=organisation, today=today, filters=filters, tags=False)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav": "customers",
        "today": today,
        "today_iso": today.isoformat(),
        "log_label": _("Log contact today"),
        "form": form,
        "search": data.get("q") or "",
        "selects": filter_selects(form),
        "page": page,
        "rows": [row.cells() for row in customer_rows(list(page.object_list), today)],
        "query": query.urlencode(),
        "can_edit": request.membership.can_edit,
        "filtered": any(v for k, v in request.GET.items() if k not in ("page", "sort")),
    }
    return render(request, "customers/list.html", context)


def _customer_form_page(
    request: AuthenticatedHttpRequest,
    form: CustomerForm,
    customer: Customer | None,
    status: int = 200,
    *,
    duplicates: list[Customer] | None = None,
    calm: CalmStartForm | None = None,
    overdue_since: dt.date | None = None,
) -> HttpResponse:
    """The customer form; when saving it needs a second look, with what to look at: the
    customers it may duplicate, the choice of a contact clock start for a customer who
    would be overdue from day one. Everything typed stays in the form."""
    duplicates = duplicates or []
    confirmed = confirmed_ids(request.POST.get("allow_duplicate", "")) | {c.pk for c in duplicates}
    context = {
        "nav": "customers",
        "form": form,
        "customer": customer,
        "can_edit": True,
        "duplicates": duplicates,
        "allow_duplicate": ",".join(str(pk) for pk in sorted(confirmed)),
        "calm_form": calm,
        "overdue_since": overdue_since,
    }
    return render(request, "customers/form.html", context, status=status)


def _unconfirmed(request: AuthenticatedHttpRequest, duplicates: list[Customer]) -> bool:
    """Whether the form names a customer it may duplicate that the user has not seen
    named yet (and so not confirmed with "Add anyway")."""
    confirmed = confirmed_ids(request.POST.get("allow_duplicate", ""))
    return any(c.pk not in confirmed for c in duplicates)


@editor_required
def customer_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add a customer. Before saving one that may be there already (the same name or CVR
    number) or that would be overdue from day one (no contact known, customer since plus
    the interval passed), the form comes back once with a warning: "Add anyway", and the
    choice of starting the contact clock on a day (today by default) or keeping the
    customer overdue."""
    organisation = request.organisation
    today = request.today
    if request.method != "POST":
        form = CustomerForm(
            organisation=organisation,
            new=True,
            initial={"since": today, "status": CustomerStatus.ACTIVE, "owner": request.user},
        )
        return _customer_form_page(request, form, None)
    form = CustomerForm(request.POST, organisation=organisation, new=True)
    calm = CalmStartForm(request.POST) if "start" in request.POST else None
    if not form.is_valid():
        return _customer_form_page(request, form, None, status=422, calm=calm)
    fields = form.service_fields()
    duplicates = customer_duplicates(
        organisation=organisation, name=fields["name"], cvr=fields["cvr"]
    )
    overdue = starts_overdue(
        since=fields["since"],
        status=fields["status"],
        interval_months=fields["interval_months"],
        last_contact=fields["last_contact"],
        clock_start=fields["clock_start"],
        today=today,
    )
    if overdue is not None and calm is None:
        calm = CalmStartForm(initial={"start": CalmStartForm.CLOCK, "start_on": today})
    if _unconfirmed(request, duplicates) or (
        overdue is not None and (not calm or not calm.is_bound or not calm.is_valid())
    ):
        return _customer_form_page(
            request, form, None, duplicates=duplicates, calm=calm, overdue_since=overdue
        )
    if overdue is not None and calm is not None:
        fields["clock_start"] = calm.clock_start()
    try:
        customer = services.customer_create(
            organisation=organisation, today=today, allow_duplicate=bool(duplicates), **fields
        )
    except ProductError as error:
        add_refusal(form, error)
        return _customer_form_page(request, form, None, status=422, calm=calm)
    messages.success(request, _("%(name)s was added.") % {"name": customer.name})
    return redirect("customers:detail", pk=customer.pk)


@editor_required
def customer_edit_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    customer = _customer(request, pk)
    if request.method != "POST":
        form = CustomerForm(
            organisation=organisation,
            initial={
                "name": customer.name,
                "status": customer.status,
                "since": customer.since,
                "contact_person": customer.contact_person,
                "email": customer.email,
                "phone": customer.phone,
                "cvr": customer.cvr,
                "monthly_revenue": customer.monthly_revenue,
                "interval_months": customer.contact_interval_months,
                "owner": customer.owner,
                "tags": ", ".join(t.name for t in customer.tags.all()),
                "notes": customer.notes,
                "clock_start": customer.clock_start,
            },
        )
        return _customer_form_page(request, form, customer)
    form = CustomerForm(request.POST, organisation=organisation)
    if not form.is_valid():
        return _customer_form_page(request, form, customer, status=422)
    fields = form.service_fields()
    # Only a name or CVR number that changes to another customer's is warned about.
    duplicates = customer_duplicates(
        organisation=organisation,
        name=fields["name"] if name_key(fields["name"]) != name_key(customer.name) else "",
        cvr=fields["cvr"] if cvr_key(fields["cvr"]) != customer.cvr else "",
        exclude=customer.pk,
    )
    if _unconfirmed(request, duplicates):
        return _customer_form_page(request, form, customer, duplicates=duplicates)
    try:
        services.customer_update(
            customer=customer,
            user=request.user,
            today=request.today,
            allow_duplicate=bool(duplicates),
            **fields,
        )
    except ProductError as error:
        add_refusal(form, error)
        return _customer_form_page(request, form, customer, status=422)
    messages.success(request, _("The changes were saved."))
    return redirect("customers:detail", pk=customer.pk)


@editor_required
@require_http_methods(["GET", "HEAD", "POST"])
def customer_delete_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ask (what goes with the customer, counted), then delete."""
    customer = _customer(request, pk)

    def context() -> dict[str, Any]:
        return {"nav": "customers", "customer": customer, "goes": deletion_summary(customer)}

    def delete() -> str:
        services.customer_delete(customer=customer, today=request.today)
        return _("%(name)s was deleted, with everything that was theirs.") % {"name": customer.name}

    return confirm_delete(
        request,
        template="customers/delete.html",
        context=context,
        delete=delete,
        then="customers:list",
    )


def _detail(
    request: AuthenticatedHttpRequest,
    customer: Customer,
    *,
    status: int = 200,
    notice: str = "",
    bound: dict[str, Any] | None = None,
) -> HttpResponse:
    context = detail_context(customer, request.today, **(bound or {}))
    context.update(nav="customers", notice=notice, can_edit=request.membership.can_edit)
    return render(request, "customers/detail.html", context, status=status)


@member_required
def customer_detail_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _customer(request, pk))


def _done(request: AuthenticatedHttpRequest, customer: Customer, message: str) -> HttpResponse:
    """After a successful change: the page again (htmx swaps it in) or a redirect."""
    if request.htmx:
        return _detail(request, _customer(request, customer.pk), notice=message)
    messages.success(request, message)
    return redirect("customers:detail", pk=customer.pk)


def _refused(request: AuthenticatedHttpRequest, customer: Customer, **bound: Any) -> HttpResponse:
    """A form the user must correct: shown on the page (htmx swaps only 2xx answers)."""
    status = 200 if request.htmx else 422
    return _detail(request, customer, status=status, bound=bound)


def _written(form: Form, write: Callable[[dict[str, Any]], object]) -> bool:
    """Run ``write`` on a valid form's data; a service's refusal lands on the form."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ProductError as error:
        add_refusal(form, error)
        return False
    return True


def _page_post(
    request: AuthenticatedHttpRequest,
    customer: Customer,
    form: Form,
    *,
    write: Callable[[dict[str, Any]], object],
    message: str,
    bound_as: str,
    **also_bound: Any,
) -> HttpResponse:
    """A form posted on the customer page: the change and ``message``, or the page again with
    the form (in the context as ``bound_as``) to correct."""
    if _written(form, write):
        return _done(request, customer, message)
    return _refused(request, customer, **{bound_as: form}, **also_bound)


@require_POST
@editor_required
def contact_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    today = request.today
    form = ContactForm(request.POST)
    from_list = request.POST.get("from") == "list"
    _written(
        form,
        lambda data: services.contact_log(
            customer=customer,
            date=data["date"],
            kind=data["kind"],
            note=data["note"],
            user=request.user,
            today=today,
            now=timezone.now(),
        ),
    )
    if from_list and request.htmx:
        fresh = _customer(request, pk)
        context = {
            "today_iso": today.isoformat(),
            "log_label": _("Log contact today"),
            "can_edit": True,
            "rows": [customer_row(fresh, today).cells()],
            "errors": form.errors,
            "logged": not form.errors,
        }
        return render(request, "customers/_rows.html", context)
    if form.errors:
        if from_list:
            messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
            return redirect("customers:list")
        return _refused(request, customer, contact_form=form)
    message = _("Contact with %(name)s logged.") % {"name": customer.name}
    if from_list:
        messages.success(request, message)
        return redirect(next_url(request, reverse("customers:list")))
    return _done(request, customer, message)


@require_POST
@editor_required
def snooze_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    return _page_post(
        request,
        customer,
        SnoozeForm(request.POST),
        write=lambda data: services.customer_snooze(
            customer=customer,
            until=data["until"],
            reason=data["reason"],
            user=request.user,
            today=request.today,
        ),
        message=_("Contact reminders are snoozed."),
        bound_as="snooze_form",
    )


@require_POST
@editor_required
def unsnooze_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    services.customer_unsnooze(customer=customer, user=request.user)
    return _done(request, customer, _("The snooze was lifted."))


@require_POST
@editor_required
def revenue_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    return _page_post(
        request,
        customer,
        RevenueForm(request.POST),
        write=lambda data: services.revenue_record(
            customer=customer,
            date=data["date"],
            amount=data["amount"],
            description=data["description"],
            user=request.user,
            today=request.today,
        ),
        message=_("The revenue was recorded."),
        bound_as="revenue_form",
    )


ADVISORY_MESSAGES = {
    "offer": gettext_lazy("The advisory meeting was offered."),
    "book": gettext_lazy("The advisory meeting was booked."),
    "hold": gettext_lazy("The advisory meeting was recorded as held."),
    "decline": gettext_lazy("The advisory meeting was recorded as declined."),
}


@require_POST
@editor_required
def advisory_view(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ADVISORY_MESSAGES:
        raise Http404
    customer = _customer(request, pk)

    def write(data: dict[str, Any]) -> None:
        date: dt.date = data["date"]
        outcome: str = data["outcome"]
        user, now = request.user, timezone.now()
        if action == "offer":
            advisory.advisory_offer(customer=customer, date=date, user=user, now=now)
        elif action == "book":
            advisory.advisory_book(customer=customer, date=date, user=user, now=now)
        elif action == "hold":
            advisory.advisory_hold(
                customer=customer,
                date=date,
                outcome=outcome,
                user=user,
                today=request.today,
                now=now,
            )
        else:
            advisory.advisory_decline(
                customer=customer, date=date, note=outcome, user=user, now=now
            )

    return _page_post(
        request,
        customer,
        AdvisoryForm(request.POST),
        write=write,
        message=str(ADVISORY_MESSAGES[action]),
        bound_as="advisory_form",
    )


@require_POST
@editor_required
def referral_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    return _page_post(
        request,
        customer,
        ReferralForm(request.POST, organisation=customer.organisation),
        write=lambda data: advisory.referral_create(
            customer=customer,
            partner=data["partner"],
            need=data["need"],
            date=data["date"],
            meeting=customer.advisory_meetings.order_by("-id").first(),
            user=request.user,
        ),
        message=_("The referral was recorded."),
        bound_as="referral_form",
    )


@require_POST
@editor_required
def monitor_create_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    return _page_post(
        request,
        customer,
        MonitorForm(request.POST),
        write=lambda data: monitors.monitor_create(
            customer=customer,
            name=data["name"],
            unit=data["unit"],
            unit_label=data["unit_label"],
            baseline=data["baseline"],
            target=data["target"],
            lower=data["lower"],
            upper=data["upper"],
            cadence_days=data["cadence_days"],
            user=request.user,
            today=request.today,
        ),
        message=_("The monitor was added."),
        bound_as="monitor_form",
    )


@require_POST
@editor_required
def monitor_reading_view(
    request: AuthenticatedHttpRequest, pk: int, monitor_id: int
) -> HttpResponse:
    customer = _customer(request, pk)
    monitor = Monitor.objects.filter(customer=customer, pk=monitor_id).select_related("kpi").first()
    if monitor is None:
        raise Http404
    return _page_post(
        request,
        customer,
        ReadingForm(request.POST),
        write=lambda data: monitors.monitor_reading(
            monitor=monitor,
            date=data["date"],
            value=data["value"],
            note=data["note"],
            user=request.user,
        ),
        message=_("The reading was recorded."),
        bound_as="reading_form",
        reading_monitor=monitor,
    )


# Partners.


def _partners_page(
    request: AuthenticatedHttpRequest,
    form: PartnerForm,
    status: int = 200,
    partner: Partner | None = None,
) -> HttpResponse:
    organisation = request.organisation
    context: dict[str, Any] = {
        "nav": "customers",
        "can_edit": request.membership.can_edit,
        "partners": partner_list(organisation=organisation),
        "form": form,
        "partner": partner,
    }
    return render(request, "customers/partners.html", context, status=status)


@member_required
def partners_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _partners_page(request, PartnerForm())
    return _partner_save(request, None)


@editor_required
def _partner_save(request: AuthenticatedHttpRequest, partner: Partner | None) -> HttpResponse:
    organisation = request.organisation
    form = PartnerForm(request.POST)
    if form.is_valid():
        try:
            if partner is None:
                partner = advisory.partner_create(organisation=organisation, **form.cleaned_data)
                message = _("%(name)s was added to the partners.")
            else:
                partner = advisory.partner_update(partner=partner, **form.cleaned_data)
                message = _("%(name)s was saved.")
        except ProductError as error:
            add_refusal(form, error)
        else:
            messages.success(request, message % {"name": partner.name})
            return redirect("customers:partners")
    return _partners_page(request, form, status=422, partner=partner)


@member_required
def partner_edit_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partner = Partner.objects.filter(organisation=request.organisation, pk=pk).first()
    if partner is None:
        raise Http404
    if request.method != "POST":
        form = PartnerForm(
            initial={
                "name": partner.name,
                "speciality": partner.speciality,
                "contact_person": partner.contact_person,
                "email": partner.email,
                "phone": partner.phone,
            }
        )
        return _partners_page(request, form, partner=partner)
    return _partner_save(request, partner)
