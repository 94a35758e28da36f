"""REST endpoints of the customer register (mounted at /api/v1/customers).

The token's organisation scopes every read; another organisation's customer is a 404.
Writes need a role that may change things (a viewer's token gets 403). Domain errors are
turned into problem+json by the handlers of ``fokus.api.main``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from fokus.accounts.models import Organisation, User
from fokus.accounts.selectors import organisation_today, user_by_email
from fokus.api.common import require_editor
from fokus.customers.errors import CustomerError
from fokus.customers.models import ContactKind, Customer, CustomerStatus
from fokus.customers.selectors import (
    CustomerFilter,
    customer_get,
    customer_list,
    customer_to_dict,
    customers_due,
    due_to_dict,
    revenue_to_dict,
)
from fokus.customers.services import (
    contact_log,
    customer_create,
    customer_update,
    revenue_record,
)
from fokus.kpis.parsing import check_text

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


class ContactIn(Schema):
    date: dt.date | None = None
    kind: Kind = ContactKind.CALL.value  # type: ignore[assignment]
    note: str = ""


class RevenueIn(Schema):
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


def _organisation(request: HttpRequest) -> Organisation:
    return request.organisation  # type: ignore[attr-defined]


def _require_editor(request: HttpRequest) -> User:
    """Writes need a role above viewer (403 otherwise); returns the acting user."""
    require_editor(request)
    return request.user  # type: ignore[return-value]


def _customer(request: HttpRequest, customer_id: int) -> Customer:
    try:
        return customer_get(organisation=_organisation(request), ref=customer_id)
    except CustomerError as error:
        raise Http404(str(error)) from None


def _owner(organisation: Organisation, email: str | None) -> User | None:
    if not email:
        return None
    check_text(email, field="owner")
    user = user_by_email(email)
    if user is None:
        raise CustomerError("owner_not_member", field="owner", email=email)
    return user


@router.get("/due", summary="Overdue and due-soon customers")
def due(request: HttpRequest, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    organisation = _organisation(request)
    as_of = as_of or organisation_today(organisation)
    return [due_to_dict(c, d) for c, d in customers_due(organisation=organisation, as_of=as_of)]


@router.get("", summary="The customer register, filtered, sorted and paginated")
def list_customers(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    organisation = _organisation(request)
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
    rows = customer_list(
        organisation=organisation, today=organisation_today(organisation), filters=filters
    )
    page = Paginator(rows, query.page_size).get_page(query.page)
    return {
        "items": [customer_to_dict(c) for c in page.object_list],
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
    }


@router.post("", response={201: dict[str, Any]}, summary="Add a customer")
def create_customer(request: HttpRequest, body: CustomerIn) -> Status[dict[str, Any]]:
    _require_editor(request)
    organisation = _organisation(request)
    today = organisation_today(organisation)
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
        today=today,
    )
    return Status(201, customer_to_dict(customer_get(organisation=organisation, ref=customer.pk)))


@router.get("/{int:customer_id}", summary="One customer")
def read_customer(request: HttpRequest, customer_id: int) -> dict[str, Any]:
    return customer_to_dict(_customer(request, customer_id))


@router.patch("/{int:customer_id}", summary="Change a customer")
def update_customer(request: HttpRequest, customer_id: int, body: CustomerPatch) -> dict[str, Any]:
    user = _require_editor(request)
    customer = _customer(request, customer_id)
    organisation = _organisation(request)
    changes = body.dict(exclude_unset=True)
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
    customer_update(customer=customer, user=user, today=organisation_today(organisation), **changes)
    return customer_to_dict(customer_get(organisation=organisation, ref=customer.pk))


@router.post("/{int:customer_id}/contacts", response={201: dict[str, Any]}, summary="Log a contact")
def log_contact(request: HttpRequest, customer_id: int, body: ContactIn) -> Status[dict[str, Any]]:
    user = _require_editor(request)
    customer = _customer(request, customer_id)
    today = organisation_today(customer.organisation)
    contact = contact_log(
        customer=customer,
        date=body.date or today,
        kind=body.kind,
        note=body.note,
        user=user,
        today=today,
    )
    return Status(
        201,
        {
            "id": contact.pk,
            "customer": customer.pk,
            "date": contact.date.isoformat(),
            "kind": contact.kind,
            "note": contact.note,
            "contact_due": customer.contact_due_on.isoformat(),
        },
    )


@router.post(
    "/{int:customer_id}/revenue",
    response={200: dict[str, Any], 201: dict[str, Any]},
    summary="Record revenue (a repeated external_id is not stored twice)",
)
def record_revenue(
    request: HttpRequest, customer_id: int, body: RevenueIn
) -> Status[dict[str, Any]]:
    user = _require_editor(request)
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
        today=organisation_today(customer.organisation),
    )
    return Status(200 if known else 201, revenue_to_dict(entry))


__all__ = ["router"]
