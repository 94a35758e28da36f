"""The yearly advisory meeting (due → offered → booked → held / declined), the partners
register and referrals of a need found at a customer to a partner.

ENGINE.md: the meeting is due 12 months after the latest held one (else after the
customer started) and is offered from 30 days before. A declined meeting closes its cycle
too: the next one is due 12 months after the declined one was due, so a customer who said
no is asked again next year rather than every day. The cycle's base and due date are kept
on the customer row (``advisory_base_on``, ``advisory_due_on``) for an indexed scan.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fokus.accounts.models import Organisation, User
from fokus.customers import derived
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
    advisory_due_of,
    clean_email,
    clean_text,
    contact_log,
    today_of,
)
from fokus.kpis.models import Derived
from fokus.kpis.parsing import check_text

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


def _close_cycle(customer: Customer, base: dt.date) -> None:
    """Start the next cycle from ``base`` (never moving it backwards)."""
    if customer.advisory_base_on is None or base > customer.advisory_base_on:
        customer.advisory_base_on = base
    customer.advisory_due_on = advisory_due_of(customer)
    customer.save(update_fields=["advisory_base_on", "advisory_due_on"])


@transaction.atomic
def advisory_offer(
    *, customer: Customer, date: dt.date, user: User | None = None
) -> AdvisoryMeeting:
    """Offer this cycle's free advisory meeting to the customer."""
    customer = _locked(customer)
    open_meeting = _open_meeting(customer)
    if open_meeting is not None:
        raise CustomerError(
            "advisory_open", field="status", status=open_meeting.get_status_display().lower()
        )
    return AdvisoryMeeting.objects.create(
        customer=customer,
        due_on=customer.advisory_due_on or advisory_due_of(customer),
        status=AdvisoryStatus.OFFERED,
        offered_on=date,
        user=user,
    )


@transaction.atomic
def advisory_book(
    *, customer: Customer, date: dt.date, user: User | None = None
) -> AdvisoryMeeting:
    """Book (or move) this cycle's meeting for ``date``; an offer is not required first."""
    customer = _locked(customer)
    meeting = _open_meeting(customer)
    if meeting is None:
        meeting = AdvisoryMeeting(
            customer=customer, due_on=customer.advisory_due_on or advisory_due_of(customer)
        )
    meeting.status = AdvisoryStatus.BOOKED
    meeting.booked_for = date
    meeting.user = user
    meeting.save()
    return meeting


@transaction.atomic
def advisory_hold(
    *,
    customer: Customer,
    date: dt.date,
    outcome: str = "",
    user: User | None = None,
    today: dt.date | None = None,
) -> AdvisoryMeeting:
    """The meeting took place on ``date``: record the outcome, log it as a contact (of kind
    advisory) and start the next yearly cycle from it."""
    check_text(outcome, field="outcome")
    customer = _locked(customer)
    today = today_of(customer.organisation, today)
    meeting = _open_meeting(customer)
    if meeting is None:
        meeting = AdvisoryMeeting(
            customer=customer, due_on=customer.advisory_due_on or advisory_due_of(customer)
        )
    meeting.status = AdvisoryStatus.HELD
    meeting.held_on = date
    meeting.outcome = outcome.strip()
    meeting.user = user
    meeting.save()
    contact_log(
        customer=customer,
        date=date,
        kind=ContactKind.ADVISORY,
        note=outcome.strip(),
        user=user,
        today=today,
    )
    customer.refresh_from_db(fields=["advisory_base_on", "advisory_due_on"])
    _close_cycle(customer, date)
    derived.derived_refresh(
        organisation=customer.organisation, today=today, kinds={Derived.ADVISORY_MEETINGS}
    )
    return meeting


@transaction.atomic
def advisory_decline(
    *, customer: Customer, date: dt.date, note: str = "", user: User | None = None
) -> AdvisoryMeeting:
    """The customer said no to this cycle's meeting; the next is due a year later."""
    check_text(note, field="outcome")
    customer = _locked(customer)
    meeting = _open_meeting(customer)
    if meeting is None:
        meeting = AdvisoryMeeting(
            customer=customer, due_on=customer.advisory_due_on or advisory_due_of(customer)
        )
    meeting.status = AdvisoryStatus.DECLINED
    meeting.declined_on = date
    meeting.outcome = note.strip()
    meeting.user = user
    meeting.save()
    _close_cycle(customer, meeting.due_on)
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
        raise CustomerError("unknown_partner", field="partner", ref=partner.pk)
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
