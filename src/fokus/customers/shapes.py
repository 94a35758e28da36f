"""The JSON of the customer register, each shape written once: a typed dict that the API
declares as its answer (and so documents in the OpenAPI schema), that a serializer here
fills and that the CLI's ``--json`` prints as it is. Field names are docs/interfaces.md's."""

from __future__ import annotations

from typing import Annotated, Literal, cast

from pydantic import Field
from typing_extensions import TypedDict

from fokus.api.schemas import IsoDate, Number
from fokus.core.contact import ContactDue
from fokus.customers.models import Contact, Customer, RevenueEntry
from fokus.values import json_number

StatusName = Literal["prospect", "active", "former"]
KindName = Literal["call", "email", "meeting", "advisory", "other"]
DueState = Literal["overdue", "due_soon", "ok"]


class CustomerOut(TypedDict):
    """A customer of the register."""

    id: int
    name: str
    cvr: str
    contact_person: str
    email: str
    phone: str
    status: StatusName
    since: IsoDate
    monthly_revenue: Number | None
    interval_months: int
    owner: Annotated[str | None, Field(description="the owner's e-mail address")]
    tags: list[str]
    notes: str
    last_contact: Annotated[
        IsoDate,
        Field(description="the latest logged contact or the clock start, else since"),
    ]
    clock_start: Annotated[
        IsoDate | None,
        Field(description="the day the contact rule counts from when no contact is known"),
    ]
    contact_due: IsoDate
    snoozed_until: Annotated[
        IsoDate | None, Field(description="no contact alerts before this date")
    ]
    snooze_reason: str
    advisory_due: IsoDate | None


class CustomerPage(TypedDict):
    items: list[CustomerOut]
    count: int
    page: int
    pages: int


class DueCustomer(TypedDict):
    id: int
    name: str


class DueOut(TypedDict):
    """The Customer due JSON of docs/interfaces.md."""

    customer: DueCustomer
    last_contact: IsoDate
    due: IsoDate
    state: DueState
    days_overdue: int | None
    snoozed_until: IsoDate | None


class ContactOut(TypedDict):
    """A logged contact with its customer's next due date."""

    id: int
    customer: int
    date: IsoDate
    kind: KindName
    note: str
    contact_due: IsoDate


class RevenueEntryOut(TypedDict):
    id: int
    customer: int
    date: IsoDate
    amount: Number
    description: str
    external_id: str | None


def customer_to_dict(customer: Customer) -> CustomerOut:
    """The customer JSON shared by the CLI ``--json`` and the API."""
    return {
        "id": customer.pk,
        "name": customer.name,
        "cvr": customer.cvr,
        "contact_person": customer.contact_person,
        "email": customer.email,
        "phone": customer.phone,
        "status": cast(StatusName, customer.status),
        "since": customer.since.isoformat(),
        "monthly_revenue": json_number(customer.monthly_revenue),
        "interval_months": customer.contact_interval_months,
        "owner": customer.owner.email if customer.owner else None,
        "tags": [tag.name for tag in customer.tags.all()],
        "notes": customer.notes,
        "last_contact": customer.counted_from.isoformat(),
        "clock_start": customer.clock_start.isoformat() if customer.clock_start else None,
        "contact_due": customer.contact_due_on.isoformat(),
        "snoozed_until": customer.snoozed_until.isoformat() if customer.snoozed_until else None,
        "snooze_reason": customer.snooze_reason,
        "advisory_due": customer.advisory_due_on.isoformat() if customer.advisory_due_on else None,
    }


def due_to_dict(customer: Customer, due: ContactDue) -> DueOut:
    """The Customer due JSON of docs/interfaces.md (CLI ``--json`` and API)."""
    return {
        "customer": {"id": customer.pk, "name": customer.name},
        "last_contact": due.last_contact.isoformat(),
        "due": due.due.isoformat(),
        "state": cast(DueState, str(due.state)),
        "days_overdue": due.days_overdue,
        "snoozed_until": due.snoozed_until.isoformat() if due.snoozed_until else None,
    }


def contact_to_dict(contact: Contact) -> ContactOut:
    """The logged contact shared by the CLI ``--json`` and the API: the contact and its
    customer's next due date once it is logged (``contact_log`` keeps that date on the
    customer the contact was logged with)."""
    return {
        "id": contact.pk,
        "customer": contact.customer_id,
        "date": contact.date.isoformat(),
        "kind": cast(KindName, str(contact.kind)),
        "note": contact.note,
        "contact_due": contact.customer.contact_due_on.isoformat(),
    }


def revenue_to_dict(entry: RevenueEntry) -> RevenueEntryOut:
    return {
        "id": entry.pk,
        "customer": entry.customer_id,
        "date": entry.date.isoformat(),
        "amount": json_number(entry.amount),
        "description": entry.description,
        "external_id": entry.external_id,
    }
