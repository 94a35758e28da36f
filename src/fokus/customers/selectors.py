"""Reads of the customer register."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fokus.accounts.models import Organisation
from fokus.core.contact import DUE_SOON_DAYS, ContactDue, contact_due
from fokus.customers.models import Customer, CustomerStatus


def customers_due(
    *, organisation: Organisation, as_of: dt.date
) -> list[tuple[Customer, ContactDue]]:
    """Active customers overdue or due soon as of ``as_of``: one indexed query."""
    horizon = as_of + dt.timedelta(days=DUE_SOON_DAYS)
    rows = Customer.objects.filter(
        organisation=organisation,
        status=CustomerStatus.ACTIVE,
        contact_due_on__lte=horizon,
    ).order_by("contact_due_on", "name")
    result = []
    for customer in rows:
        due = contact_due(
            since=customer.since,
            last_contact=customer.last_contact_on,
            interval_months=customer.contact_interval_months,
            as_of=as_of,
            snoozed_until=customer.snoozed_until,
        )
        if due.state != "ok":
            result.append((customer, due))
    return result


def due_to_dict(customer: Customer, due: ContactDue) -> dict[str, Any]:
    return {
        "customer": {"id": customer.pk, "name": customer.name},
        "last_contact": due.last_contact.isoformat(),
        "due": due.due.isoformat(),
        "state": str(due.state),
        "days_overdue": due.days_overdue,
        "snoozed_until": due.snoozed_until.isoformat() if due.snoozed_until else None,
    }
