"""The yearly advisory meeting: due → offered → booked → held / declined, the outcome, and a
referral of the need found to a partner."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import RestrictedError
from django.utils import timezone

from fokus.customers.advisory import (
    advisory_book,
    advisory_decline,
    advisory_hold,
    advisory_offer,
    partner_create,
    partner_update,
    referral_create,
)
from fokus.customers.errors import CustomerError
from fokus.customers.models import AdvisoryMeeting, Contact, Partner, Referral
from fokus.customers.selectors import advisory_due_customers
from fokus.errors import NotFound

pytestmark = pytest.mark.django_db

SINCE = dt.date(2026, 6, 15)  # first meeting due 15 June 2027


def _due(customer, day):
    return [
        (c.name, str(d.state))
        for c, d in advisory_due_customers(organisation=customer.organisation, as_of=day)
    ]


def test_a_due_meeting_leaves_the_list_once_offered_and_stays_off_while_booked(make_customer):
    customer = make_customer(since=SINCE)
    assert _due(customer, dt.date(2027, 6, 30)) == [(customer.name, "due")]

    offered = advisory_offer(customer=customer, date=dt.date(2027, 6, 1), now=timezone.now())
    assert (offered.status, offered.due_on) == ("offered", dt.date(2027, 6, 15))
    assert _due(customer, dt.date(2027, 6, 30)) == []

    booked = advisory_book(customer=customer, date=dt.date(2027, 7, 10), now=timezone.now())
    assert booked.pk == offered.pk and booked.status == "booked"
    assert _due(customer, dt.date(2027, 7, 5)) == []


def test_holding_the_meeting_records_the_outcome_logs_a_contact_and_starts_the_next_cycle(
    make_customer,
):
    customer = make_customer(since=SINCE)
    advisory_book(customer=customer, date=dt.date(2027, 6, 20), now=timezone.now())

    meeting = advisory_hold(
        customer=customer,
        date=dt.date(2027, 6, 20),
        outcome="Vil gerne have hjælp til løn.",
        today=dt.date(2027, 6, 30),
        now=timezone.now(),
    )

    customer.refresh_from_db()
    assert (meeting.status, meeting.held_on) == ("held", dt.date(2027, 6, 20))
    assert AdvisoryMeeting.objects.get() == meeting  # the booked one, not a second row
    contact = Contact.objects.get(customer=customer)
    assert (contact.kind, contact.note) == ("advisory", "Vil gerne have hjælp til løn.")
    assert customer.last_contact_on == dt.date(2027, 6, 20)
    assert customer.contact_due_on == dt.date(2027, 9, 20)
    assert customer.advisory_due_on == dt.date(2028, 6, 20)
    assert _due(customer, dt.date(2028, 5, 20)) == []
    assert _due(customer, dt.date(2028, 5, 21)) == [(customer.name, "offer")]


def test_a_meeting_can_be_held_without_an_offer_or_a_booking_first(make_customer):
    customer = make_customer(since=SINCE)

    advisory_hold(
        customer=customer, date=dt.date(2027, 6, 1), today=dt.date(2027, 6, 30), now=timezone.now()
    )

    assert AdvisoryMeeting.objects.get().status == "held"


def test_a_declined_meeting_keeps_the_cycle_but_is_not_asked_again_until_next_year(
    make_customer,
):
    customer = make_customer(since=SINCE)
    advisory_offer(customer=customer, date=dt.date(2027, 6, 1), now=timezone.now())

    declined = advisory_decline(
        customer=customer, date=dt.date(2027, 6, 5), note="Travlt", now=timezone.now()
    )

    customer.refresh_from_db()
    assert (declined.status, declined.outcome) == ("declined", "Travlt")
    # docs/engine.md: only a held meeting is a base, so base and due stay where they were.
    assert (customer.advisory_base_on, customer.advisory_due_on) == (None, dt.date(2027, 6, 15))
    assert customer.advisory_snoozed_until == dt.date(2028, 6, 15)
    assert _due(customer, dt.date(2027, 12, 1)) == []
    assert _due(customer, dt.date(2028, 6, 14)) == []
    assert _due(customer, dt.date(2028, 6, 15)) == [(customer.name, "due")]


def test_a_second_offer_while_one_is_open_is_refused(make_customer):
    customer = make_customer(since=SINCE)
    advisory_offer(customer=customer, date=dt.date(2027, 6, 1), now=timezone.now())

    with pytest.raises(CustomerError) as refused:
        advisory_offer(customer=customer, date=dt.date(2027, 6, 2), now=timezone.now())

    assert refused.value.code == "advisory_open"
    assert AdvisoryMeeting.objects.count() == 1


def test_former_customers_get_no_advisory_meeting(make_customer):
    customer = make_customer(since=SINCE, status="former")

    assert _due(customer, dt.date(2027, 6, 30)) == []


def test_a_need_found_is_referred_to_a_partner(org, other_org, make_customer):
    customer = make_customer(since=SINCE)
    meeting = advisory_hold(
        customer=customer, date=dt.date(2027, 6, 1), today=dt.date(2027, 6, 30), now=timezone.now()
    )
    partner = partner_create(organisation=org, name="Advokatfirmaet Lind", speciality="Kontrakter")
    foreign = partner_create(organisation=other_org, name="Fremmed partner")

    referral = referral_create(
        customer=customer,
        partner=partner,
        need="Ny lejekontrakt",
        date=dt.date(2027, 6, 1),
        meeting=meeting,
    )

    assert (referral.partner, referral.meeting, referral.need) == (
        partner,
        meeting,
        "Ny lejekontrakt",
    )
    with pytest.raises(CustomerError) as blank:
        referral_create(customer=customer, partner=partner, need=" ", date=dt.date(2027, 6, 1))
    assert blank.value.code == "need_required"
    with pytest.raises(NotFound) as other:
        referral_create(customer=customer, partner=foreign, need="x", date=dt.date(2027, 6, 1))
    assert other.value.code == "unknown_partner"


def test_partner_names_are_unique_per_organisation_and_validated(org, other_org):
    partner = partner_create(organisation=org, name="SikkerIT ApS", email="mads@sikkerit.dk")
    partner_create(organisation=other_org, name="SikkerIT ApS")

    with pytest.raises(CustomerError) as twice:
        partner_create(organisation=org, name="sikkerit aps")
    assert twice.value.code == "partner_exists"
    with pytest.raises(CustomerError) as bad_mail:
        partner_update(partner=partner, name="SikkerIT ApS", email="nope")
    assert bad_mail.value.code == "email_invalid"
    assert partner_update(partner=partner, name="SikkerIT A/S").name == "SikkerIT A/S"


def test_a_partner_with_referrals_is_kept_but_the_whole_organisation_can_go(org, make_customer):
    customer = make_customer(since=SINCE)
    partner = partner_create(organisation=org, name="Advokat Lind")
    referral_create(customer=customer, partner=partner, need="Kontrakt", date=dt.date(2027, 6, 1))

    with pytest.raises(RestrictedError):
        partner.delete()
    org.delete()

    assert not Partner.objects.exists() and not Referral.objects.exists()
