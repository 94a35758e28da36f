"""REST endpoints of the customer register (mounted at /api/v1/customers).

The token's organisation scopes every read; another organisation's customer is a 404.
Writes need a role that may change things (a viewer's token gets 403). Refusals are
turned into problem+json by the handler of ``fokus.api.main``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.paginator import Paginator
from django.db import transaction
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from fokus.accounts.http import ApiRequest
from fokus.accounts.models import Organisation, User
from fokus.accounts.selectors import user_by_email
from fokus.api.common import require_editor
from fokus.api.schemas import problems
from fokus.customers.errors import CustomerError
from fokus.customers.models import ContactKind, Customer, CustomerStatus
from fokus.customers.selectors import CustomerFilter, customer_get, customer_list, customers_due
from fokus.customers.services import (
    contact_log,
    customer_create,
    customer_delete,
    customer_snooze,
    customer_unsnooze,
    customer_update,
    revenue_record,
)
from fokus.customers.shapes import (
    ContactOut,
    CustomerOut,
    CustomerPage,
    DueOut,
    RevenueEntryOut,
    contact_to_dict,
    customer_to_dict,
    due_to_dict,
    revenue_to_dict,
)
from fokus.errors import ProductError
from fokus.values import check_text

router = Router(tags=["customers"])

MAX_PAGE_SIZE = 200

CustomerStatusValue = Literal["prospect", "active", "former"]
Kind = Literal["call", "email", "meeting", "advisory", "other"]


class CustomerIn(Schema):
    name: str
    since: dt.date | None = None
    status: CustomerStatusValue = CustomerStatus.ACTIVE.value  # type: ignore[assignment]
    interval_months: int | None = Field(None, ge=1, le=120)
    email: str = ""
    phone: str = ""
    cvr: str = ""
    contact_person: str = ""
    monthly_revenue: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    owner: str | None = None
    tags: list[str] = []
    notes: str = ""
    last_contact: dt.date | None = Field(None, description="logs a contact of that date")
    clock_start: dt.date | None = Field(
        None, description="when no contact is known: the day the contact rule counts from"
    )
    allow_duplicate: bool = Field(
        False,
        description="add it even when another customer has the same name (case and spaces "
        "aside) or CVR number; without it that is a 409 with the code customer_exists",
    )


class CustomerPatch(Schema):
    name: str | None = None
    since: dt.date | None = None
    status: CustomerStatusValue | None = None
    interval_months: int | None = Field(None, ge=1, le=120)
    email: str | None = None
    phone: str | None = None
    cvr: str | None = None
    contact_person: str | None = None
    monthly_revenue: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    owner: str | None = None
    tags: list[str] | None = None
    notes: str | None = None
    clock_start: dt.date | None = Field(
        None, description="the day the contact rule counts from; null: none"
    )
    snoozed_until: dt.date | None = Field(
        None,
        description="no contact alerts before this date (after today), as the customer's "
        "page snoozes; null lifts the snooze",
    )
    snooze_reason: str | None = Field(
        None, description="why; needed with a new snooze, kept when only the date changes"
    )
    allow_duplicate: bool = Field(
        False,
        description="take a name or CVR number that another customer has; without it that "
        "is a 409 with the code customer_exists",
    )


SNOOZE_FIELDS = ("snoozed_until", "snooze_reason")
# The snooze service's field names as the PATCH body calls them.
SNOOZE_FIELD_NAMES = {"until": "snoozed_until", "reason": "snooze_reason"}


class ContactIn(Schema):
    date: dt.date | None = None
    kind: Kind = ContactKind.CALL.value  # type: ignore[assignment]
    note: str = ""


class RevenueEntryIn(Schema):
    date: dt.date
    amount: Decimal = Field(..., max_digits=14, decimal_places=2)
    description: str = ""
    external_id: str | None = None


class ListQuery(Schema):
    search: str = ""
    status: CustomerStatusValue | None = None
    owner: str | None = None
    tag: str = ""
    due: Literal["overdue", "due_soon", "ok"] | None = None
    sort: Literal["contact", "-contact", "due", "name"] = "contact"
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


def _customer(request: ApiRequest, customer_id: int) -> Customer:
    return customer_get(organisation=request.organisation, ref=customer_id)


def _owner(organisation: Organisation, email: str | None) -> User | None:
    if not email:
        return None
    check_text(email, field="owner")
    user = user_by_email(email)
    if user is None:
        raise CustomerError("owner_not_member", field="owner", email=email)
    return user


@router.get("/due", response=list[DueOut], summary="Overdue and due-soon customers")
def due(request: ApiRequest, as_of: dt.date | None = None) -> list[DueOut]:
    organisation = request.organisation
    as_of = as_of or request.today
    return [due_to_dict(c, d) for c, d in customers_due(organisation=organisation, as_of=as_of)]


@router.get(
    "", response=CustomerPage, summary="The customer register, filtered, sorted and paginated"
)
def list_customers(request: ApiRequest, query: Query[ListQuery]) -> CustomerPage:
    organisation = request.organisation
    owner_id = None
    if query.owner:
        owner = user_by_email(check_text(query.owner, field="owner"))
        owner_id = owner.pk if owner else 0
    filters = CustomerFilter(
        search=check_text(query.search, field="search"),
        status=query.status or "",
        owner=owner_id,
        tag=check_text(query.tag, field="tag"),
        due=query.due or "",
        sort=query.sort,
    )
    rows = customer_list(organisation=organisation, today=request.today, filters=filters)
    page = Paginator(rows, query.page_size).get_page(query.page)
    return {
        "items": [customer_to_dict(c) for c in page.object_list],
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
    }


@router.post("", response={201: CustomerOut, **problems(409)}, summary="Add a customer")
def create_customer(request: ApiRequest, body: CustomerIn) -> Status[CustomerOut]:
    require_editor(request)
    organisation = request.organisation
    today = request.today
    customer = customer_create(
        organisation=organisation,
        name=body.name,
        since=body.since or today,
        status=body.status,
        interval_months=body.interval_months,
        email=body.email,
        phone=body.phone,
        cvr=body.cvr,
        contact_person=body.contact_person,
        monthly_revenue=body.monthly_revenue,
        owner=_owner(organisation, body.owner),
        tags=body.tags,
        notes=body.notes,
        last_contact=body.last_contact,
        clock_start=body.clock_start,
        allow_duplicate=body.allow_duplicate,
        today=today,
    )
    return Status(201, customer_to_dict(customer_get(organisation=organisation, ref=customer.pk)))


@router.get("/{int:customer_id}", response=CustomerOut, summary="One customer")
def read_customer(request: ApiRequest, customer_id: int) -> CustomerOut:
    return customer_to_dict(_customer(request, customer_id))


@router.patch(
    "/{int:customer_id}", response={200: CustomerOut, **problems(409)}, summary="Change a customer"
)
def update_customer(request: ApiRequest, customer_id: int, body: CustomerPatch) -> CustomerOut:
    """Change fields of a customer; ``snoozed_until`` (with ``snooze_reason``) snoozes its
    contact alerts as the customer's page does, null lifts the snooze."""
    require_editor(request)
    user = request.user
    customer = _customer(request, customer_id)
    organisation = request.organisation
    today = request.today
    changes = body.dict(exclude_unset=True)
    allow_duplicate = bool(changes.pop("allow_duplicate", False))
    snooze = {name: changes.pop(name) for name in SNOOZE_FIELDS if name in changes}
    if snooze.get("snooze_reason", "") is None:  # null: keep the reason there is
        del snooze["snooze_reason"]
    if "owner" in changes:
        changes["owner"] = _owner(organisation, changes["owner"])
    for required in ("name", "since", "status", "interval_months"):
        if required in changes and changes[required] is None:
            changes.pop(required)
    for text in ("email", "phone", "cvr", "contact_person", "notes"):
        if text in changes and changes[text] is None:
            changes[text] = ""
    if "tags" in changes and changes["tags"] is None:
        changes["tags"] = []
    with transaction.atomic():  # a refused snooze saves none of the other changes
        customer_update(
            customer=customer,
            user=user,
            today=today,
            allow_duplicate=allow_duplicate,
            **changes,
        )
        if snooze:
            _snooze(customer, snooze, user=user, today=today)
    return customer_to_dict(customer_get(organisation=organisation, ref=customer.pk))


def _snooze(customer: Customer, snooze: dict[str, Any], *, user: User, today: dt.date) -> None:
    """Snooze (or with ``snoozed_until`` null, wake) the customer through the service the
    customer's page uses; a refusal names the PATCH body's field."""
    if "snoozed_until" in snooze and snooze["snoozed_until"] is None:
        customer_unsnooze(customer=customer, user=user)
        return
    until = snooze.get("snoozed_until") or customer.snoozed_until
    reason = snooze.get("snooze_reason", customer.snooze_reason)
    if until is None:  # a reason alone, and no snooze to give it to
        raise CustomerError("snooze_not_future", field="snoozed_until", today=today)
    try:
        customer_snooze(customer=customer, until=until, reason=reason, user=user, today=today)
    except ProductError as error:
        error.field = SNOOZE_FIELD_NAMES.get(error.field or "", error.field)
        raise


@router.delete(
    "/{int:customer_id}",
    response={204: None, **problems(403, 404)},
    summary="Delete a customer with everything that is theirs",
)
def delete_customer(request: ApiRequest, customer_id: int) -> Any:
    """Delete the customer with their contacts, revenue entries, advisory meetings,
    referrals, monitors, the KPIs scoped to them (with their check-ins) and the alerts
    about them, as the customer's page does after asking."""
    require_editor(request)
    customer_delete(customer=_customer(request, customer_id), today=request.today)
    return Status(204, None)


@router.post("/{int:customer_id}/contacts", response={201: ContactOut}, summary="Log a contact")
def log_contact(request: ApiRequest, customer_id: int, body: ContactIn) -> Status[ContactOut]:
    require_editor(request)
    user = request.user
    customer = _customer(request, customer_id)
    today = request.today
    contact = contact_log(
        customer=customer,
        date=body.date or today,
        kind=body.kind,
        note=body.note,
        user=user,
        today=today,
        now=timezone.now(),
    )
    return Status(201, contact_to_dict(contact))


@router.post(
    "/{int:customer_id}/revenue",
    response={200: RevenueEntryOut, 201: RevenueEntryOut},
    summary="Record revenue (a repeated external_id is not stored twice)",
)
def record_revenue(
    request: ApiRequest, customer_id: int, body: RevenueEntryIn
) -> Status[RevenueEntryOut]:
    require_editor(request)
    user = request.user
    customer = _customer(request, customer_id)
    external_id = check_text(body.external_id or "", field="external_id").strip()
    known = bool(external_id) and customer.revenue.filter(external_id=external_id).exists()
    entry = revenue_record(
        customer=customer,
        date=body.date,
        amount=body.amount,
        description=body.description,
        external_id=body.external_id,
        user=user,
        today=request.today,
    )
    return Status(200 if known else 201, revenue_to_dict(entry))


__all__ = ["router"]
