"""State changes of the customer register: customers and their contact log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from fokus.accounts.models import Organisation, User
from fokus.core.contact import add_months
from fokus.customers.models import Contact, ContactKind, Customer, CustomerStatus
from fokus.kpis.errors import KpiError
from fokus.kpis.parsing import check_text


def _due_from(customer: Customer) -> dt.date:
    return add_months(customer.last_contact_on or customer.since, customer.contact_interval_months)


@transaction.atomic
def customer_create(
    *,
    organisation: Organisation,
    name: str,
    since: dt.date,
    status: str = CustomerStatus.ACTIVE,
    interval_months: int | None = None,
    email: str = "",
    phone: str = "",
    cvr: str = "",
    contact_person: str = "",
    monthly_revenue: Decimal | None = None,
    owner: User | None = None,
    notes: str = "",
) -> Customer:
    for field, text in (("name", name), ("notes", notes), ("contact_person", contact_person)):
        check_text(text, field=field)
    if not name.strip():
        raise KpiError("name_required", field="name")
    if status not in CustomerStatus.values:
        raise KpiError("invalid_choice", field="status", value=status, name="status")
    interval = interval_months or organisation.default_contact_interval
    if interval < 1:
        raise KpiError("invalid_choice", field="interval_months", value=interval, name="interval")
    customer = Customer(
        organisation=organisation,
        name=name.strip(),
        since=since,
        status=status,
        contact_interval_months=interval,
        email=email,
        phone=phone,
        cvr=cvr,
        contact_person=contact_person,
        monthly_revenue=monthly_revenue,
        owner=owner,
        notes=notes,
    )
    customer.contact_due_on = _due_from(customer)
    customer.save()
    return customer


@transaction.atomic
def contact_log(
    *,
    customer: Customer,
    date: dt.date,
    kind: str = ContactKind.CALL,
    note: str = "",
    user: User | None = None,
) -> Contact:
    """Log a contact and move the customer's next due date (kept on the row for the scan)."""
    check_text(note, field="note")
    if kind not in ContactKind.values:
        raise KpiError("invalid_choice", field="kind", value=kind, name="kind")
    contact = Contact.objects.create(customer=customer, date=date, kind=kind, note=note, user=user)
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.last_contact_on is None or date > customer.last_contact_on:
        customer.last_contact_on = date
    customer.contact_due_on = _due_from(customer)
    customer.save(update_fields=["last_contact_on", "contact_due_on"])
    return contact
