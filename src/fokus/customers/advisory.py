"""The yearly advisory meeting (due → offered → booked → held / declined), the partners
register and referrals of a need found at a customer to a partner.

docs/engine.md: the meeting is due 12 months after the latest held one (else after the
customer started) and is offered from 30 days before. Only a held meeting is a base:
holding it here, or logging a contact of kind advisory however it is logged (page, API,
CLI, import), is the same thing (``services.contact_log_with_meeting``) and starts the
next cycle from its date. A declined meeting moves neither the base nor the due date;
so that a customer who said no is not asked every day, it keeps the customer's advisory
alert quiet, like a snooze, until the day the next cycle would have started (the
declined cycle's due date + 12 months, ``advisory_snoozed_until``). The base, the due
date and that day are kept on the customer row for an indexed scan.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fokus.accounts.models import Organisation, User
from fokus.core.contact import add_months
from fokus.customers.errors import CustomerError
from fokus.customers.models import (
    OPEN_ADVISORY,
    AdvisoryMeeting,
    AdvisoryStatus,
    ContactKind,
    Customer,
    Partner,
    Referral,
)
from fokus.customers.services import (
    advisory_cycle_due,
    clean_email,
    clean_text,
    contact_log_with_meeting,
)
from fokus.customers.signals import advisory_changed
from fokus.errors import NotFound
from fokus.values import check_text

# Partners.


def _partner_fields(
    organisation: Organisation,
    *,
    name: str,
    speciality: str,
    contact_person: str,
    email: str,
    phone: str,
    exclude: int | None = None,
) -> dict[str, str]:
    name = clean_text(name, "name", required="partner_name_required")
    taken = Partner.objects.filter(organisation=organisation, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise CustomerError("partner_exists", field="name", name=name)
    return {
        "name": name,
        "speciality": clean_text(speciality, "speciality"),
        "contact_person": clean_text(contact_person, "contact_person"),
        "email": clean_email(email),
        "phone": clean_text(phone, "phone"),
    }


def partner_create(
    *,
    organisation: Organisation,
    name: str,
    speciality: str = "",
    contact_person: str = "",
    email: str = "",
    phone: str = "",
) -> Partner:
    fields = _partner_fields(
        organisation,
        name=name,
        speciality=speciality,
        contact_person=contact_person,
        email=email,
        phone=phone,
    )
    return Partner.objects.create(organisation=organisation, **fields)


def partner_update(
    *,
    partner: Partner,
    name: str,
    speciality: str = "",
    contact_person: str = "",
    email: str = "",
    phone: str = "",
) -> Partner:
    fields = _partner_fields(
        partner.organisation,
        name=name,
        speciality=speciality,
        contact_person=contact_person,
        email=email,
        phone=phone,
        exclude=partner.pk,
    )
    for key, value in fields.items():
        setattr(partner, key, value)
    partner.save()
    return partner


# Advisory meetings.


def _open_meeting(customer: Customer) -> AdvisoryMeeting | None:
    return (
        AdvisoryMeeting.objects.select_for_update()
        .filter(customer=customer, status__in=OPEN_ADVISORY)
        .first()
    )


def _locked(customer: Customer) -> Customer:
    return Customer.objects.select_for_update().select_related("organisation").get(pk=customer.pk)


def _changed_on_commit(customer: Customer, now: dt.datetime) -> None:
    """Once stored, say so (``advisory_changed``: an alert whose cause is gone resolves)."""
    transaction.on_commit(
        lambda: advisory_changed.send(sender=Customer, customer=customer, now=now)
    )


def _new_meeting(customer: Customer) -> AdvisoryMeeting:
    return AdvisoryMeeting(customer=customer, due_on=advisory_cycle_due(customer))


@transaction.atomic
def advisory_offer(
    *, customer: Customer, date: dt.date, now: dt.datetime, user: User | None = None
) -> AdvisoryMeeting:
    """Offer this cycle's free advisory meeting to the customer."""
    customer = _locked(customer)
    open_meeting = _open_meeting(customer)
    if open_meeting is not None:
        raise CustomerError(
            "advisory_open", field="status", status=open_meeting.get_status_display().lower()
        )
    meeting = _new_meeting(customer)
    meeting.status = AdvisoryStatus.OFFERED
    meeting.offered_on = date
    meeting.user = user
    meeting.save()
    _changed_on_commit(customer, now)
    return meeting


@transaction.atomic
def advisory_book(
    *, customer: Customer, date: dt.date, now: dt.datetime, user: User | None = None
) -> AdvisoryMeeting:
    """Book (or move) this cycle's meeting for ``date``; an offer is not required first."""
    customer = _locked(customer)
    meeting = _open_meeting(customer) or _new_meeting(customer)
    meeting.status = AdvisoryStatus.BOOKED
    meeting.booked_for = date
    meeting.user = user
    meeting.save()
    _changed_on_commit(customer, now)
    return meeting


@transaction.atomic
def advisory_hold(
    *,
    customer: Customer,
    date: dt.date,
    outcome: str = "",
    user: User | None = None,
    today: dt.date,
    now: dt.datetime,
) -> AdvisoryMeeting:
    """The meeting took place on ``date``: log it as a contact of kind advisory with the
    outcome as its note, which records the meeting as held (the open one of this cycle,
    if any) and starts the next yearly cycle from it."""
    check_text(outcome, field="outcome")
    _contact, meeting = contact_log_with_meeting(
        customer=customer,
        date=date,
        kind=ContactKind.ADVISORY,
        note=outcome.strip(),
        user=user,
        today=today,
        now=now,
    )
    assert meeting is not None
    return meeting


@transaction.atomic
def advisory_decline(
    *,
    customer: Customer,
    date: dt.date,
    now: dt.datetime,
    note: str = "",
    user: User | None = None,
) -> AdvisoryMeeting:
    """The customer said no to this cycle's meeting. The base and due date stay as
    docs/engine.md computes them (only a held meeting is a base); the advisory alert keeps
    quiet until the day the next cycle would start (the cycle's due date + 12 months)."""
    check_text(note, field="note")
    customer = _locked(customer)
    meeting = _open_meeting(customer) or _new_meeting(customer)
    meeting.status = AdvisoryStatus.DECLINED
    meeting.declined_on = date
    meeting.outcome = note.strip()
    meeting.user = user
    meeting.save()
    quiet = add_months(meeting.due_on, 12)
    if customer.advisory_snoozed_until is None or quiet > customer.advisory_snoozed_until:
        customer.advisory_snoozed_until = quiet
        customer.save(update_fields=["advisory_snoozed_until"])
    _changed_on_commit(customer, now)
    return meeting


# Referrals.


def referral_create(
    *,
    customer: Customer,
    partner: Partner,
    need: str,
    date: dt.date,
    meeting: AdvisoryMeeting | None = None,
    user: User | None = None,
) -> Referral:
    """Refer a need found at the customer to a partner who specialises in it."""
    need = check_text(need, field="need").strip()
    if not need:
        raise CustomerError("need_required", field="need")
    if partner.organisation_id != customer.organisation_id:
        raise NotFound("unknown_partner", field="partner", ref=partner.pk)
    if meeting is not None and meeting.customer_id != customer.pk:
        meeting = None
    return Referral.objects.create(
        customer=customer, partner=partner, need=need, date=date, meeting=meeting, user=user
    )


__all__ = [
    "advisory_book",
    "advisory_decline",
    "advisory_hold",
    "advisory_offer",
    "partner_create",
    "partner_update",
    "referral_create",
]
