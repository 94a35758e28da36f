"""The register's services: bad input is refused with a specific message and nothing is
saved; tags, owners, snoozes and revenue entries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from fokus.customers.errors import CustomerError
from fokus.customers.models import Contact, Customer, RevenueEntry, Tag
from fokus.customers.selectors import customer_get
from fokus.customers.services import (
    contact_log,
    customer_create,
    customer_snooze,
    customer_unsnooze,
    customer_update,
    revenue_record,
)
from fokus.errors import InputError, NotFound, ProductError, refusal
from tests.helpers import TODAY

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fields", "code", "message"),
    [
        ({"name": "  "}, "customer_name_required", "The customer needs a name."),
        ({"name": "Navn\x00"}, "nul_byte", "NUL"),
        ({"cvr": "1234567"}, "cvr_invalid", "8 digits"),
        ({"cvr": "12a45678"}, "cvr_invalid", "not a CVR number"),
        ({"email": "ikke-en-adresse"}, "email_invalid", "not a valid e-mail"),
        ({"interval_months": 0}, "interval_invalid", "from 1 to 120"),
        ({"interval_months": 121}, "interval_invalid", "from 1 to 120"),
        ({"status": "lead"}, "invalid_choice", "“lead” is not a valid status"),
        ({"monthly_revenue": Decimal(-1)}, "monthly_revenue_negative", "cannot be negative"),
        ({"notes": "a\x00b"}, "nul_byte", "NUL"),
        ({"tags": ["x" * 51]}, "text_too_long", "at most 50"),
    ],
)
def test_bad_customer_fields_are_refused_with_a_specific_message_and_nothing_saved(
    org, fields, code, message
):
    values = {"name": "Hansen VVS", "since": dt.date(2027, 1, 1), "today": TODAY, **fields}

    with pytest.raises(ProductError) as refused, translation.override("en"):
        customer_create(organisation=org, **values)

    assert refused.value.code == code
    with translation.override("en"):
        assert message in refusal(refused.value).message
    assert not Customer.objects.exists()


def test_a_cvr_number_may_be_typed_with_spaces(org):
    customer = customer_create(
        organisation=org, name="Hansen VVS", since=TODAY, cvr="1234 5678", today=TODAY
    )

    assert customer.cvr == "12345678"


def test_the_owner_must_be_a_member_of_the_organisation(org, alice, charlie):
    with pytest.raises(CustomerError) as refused:
        customer_create(organisation=org, name="X", since=TODAY, owner=charlie, today=TODAY)

    assert refused.value.code == "owner_not_member"
    assert (
        customer_create(organisation=org, name="X", since=TODAY, owner=alice, today=TODAY).owner
        == alice
    )


def test_tags_are_shared_per_organisation_and_matched_without_case(org, other_org):
    first = customer_create(
        organisation=org,
        name="A",
        since=TODAY,
        tags=["Håndværk", "håndværk", " VIP "],
        today=TODAY,
    )
    second = customer_create(
        organisation=org, name="B", since=TODAY, tags=["HÅNDVÆRK"], today=TODAY
    )
    customer_create(organisation=other_org, name="C", since=TODAY, tags=["Håndværk"], today=TODAY)

    assert sorted(t.name for t in first.tags.all()) == ["Håndværk", "VIP"]
    assert [t.name for t in second.tags.all()] == ["Håndværk"]
    assert Tag.objects.filter(organisation=org).count() == 2
    customer_update(customer=first, tags=[], today=TODAY)
    assert not first.tags.exists()


def test_an_update_that_fails_changes_nothing(org):
    customer = customer_create(organisation=org, name="Hansen VVS", since=TODAY, today=TODAY)

    with pytest.raises(CustomerError):
        customer_update(customer=customer, name="Nyt navn", email="forkert", today=TODAY)

    assert Customer.objects.get().name == "Hansen VVS"


def test_an_update_refuses_fields_it_does_not_know(org):
    customer = customer_create(organisation=org, name="Hansen VVS", since=TODAY, today=TODAY)

    with pytest.raises(TypeError):
        customer_update(customer=customer, contact_due_on=TODAY, today=TODAY)


def test_a_contact_can_be_dated_after_today_and_the_due_date_follows_it(make_customer):
    customer = make_customer()

    contact_log(customer=customer, date=dt.date(2027, 11, 30), today=TODAY, now=timezone.now())
    contact_log(customer=customer, date=dt.date(2027, 8, 1), today=TODAY, now=timezone.now())

    customer.refresh_from_db()
    assert customer.last_contact_on == dt.date(2027, 11, 30)
    assert customer.contact_due_on == dt.date(2028, 2, 29)  # clamped to the month's end
    assert Contact.objects.count() == 2


def test_a_contact_too_far_in_the_future_for_a_due_date_is_refused(make_customer):
    customer = make_customer()

    with pytest.raises(CustomerError) as refused:
        contact_log(customer=customer, date=dt.date(9995, 1, 1), today=TODAY, now=timezone.now())

    assert refused.value.code == "date_too_late"
    assert not Contact.objects.exists()


def test_a_contact_of_an_unknown_kind_is_refused(make_customer):
    with pytest.raises(InputError) as refused:
        contact_log(
            customer=make_customer(), date=TODAY, kind="fax", today=TODAY, now=timezone.now()
        )

    assert refused.value.code == "invalid_choice"


def test_a_snooze_needs_a_future_date_and_a_reason_and_can_be_lifted(make_customer):
    customer = make_customer()

    with pytest.raises(CustomerError) as no_reason:
        customer_snooze(
            customer=customer, until=TODAY + dt.timedelta(days=5), reason=" ", today=TODAY
        )
    assert no_reason.value.code == "snooze_reason_required"
    with pytest.raises(CustomerError) as past:
        customer_snooze(customer=customer, until=TODAY, reason="Ferie", today=TODAY)
    assert past.value.code == "snooze_not_future"

    customer_snooze(customer=customer, until=dt.date(2027, 8, 1), reason="Ferie", today=TODAY)
    assert (customer.snoozed_until, customer.snooze_reason) == (dt.date(2027, 8, 1), "Ferie")
    customer_unsnooze(customer=customer)
    customer.refresh_from_db()
    assert (customer.snoozed_until, customer.snooze_reason) == (None, "")


def test_revenue_with_the_same_external_id_is_stored_once(make_customer):
    customer = make_customer()

    first = revenue_record(
        customer=customer,
        date=TODAY,
        amount=Decimal("12500.50"),
        description="Faktura 1001",
        external_id="inv-1001",
        today=TODAY,
    )
    again = revenue_record(
        customer=customer, date=TODAY, amount=Decimal(1), external_id="inv-1001", today=TODAY
    )

    assert again.pk == first.pk
    assert RevenueEntry.objects.get().amount == Decimal("12500.50")


def test_the_same_external_id_may_be_used_by_two_customers(make_customer):
    a, b = make_customer(name="A"), make_customer(name="B")

    revenue_record(customer=a, date=TODAY, amount=Decimal(1), external_id="1", today=TODAY)
    revenue_record(customer=b, date=TODAY, amount=Decimal(1), external_id="1", today=TODAY)

    assert RevenueEntry.objects.count() == 2


def test_revenue_of_zero_is_refused(make_customer):
    with pytest.raises(CustomerError) as refused:
        revenue_record(customer=make_customer(), date=TODAY, amount=Decimal(0), today=TODAY)

    assert refused.value.code == "amount_zero"


def test_a_customer_is_found_by_id_or_exact_name_within_its_organisation(org, other_org):
    mine = customer_create(organisation=org, name="Hansen VVS", since=TODAY, today=TODAY)
    theirs = customer_create(organisation=other_org, name="Hansen VVS", since=TODAY, today=TODAY)

    assert customer_get(organisation=org, ref=str(mine.pk)) == mine
    assert customer_get(organisation=org, ref="Hansen VVS") == mine
    with pytest.raises(NotFound) as other:
        customer_get(organisation=org, ref=theirs.pk)
    assert other.value.code == "unknown_customer"
    customer_create(organisation=org, name="Hansen VVS", since=TODAY, today=TODAY)
    with pytest.raises(CustomerError) as twice:
        customer_get(organisation=org, ref="Hansen VVS")
    assert twice.value.code == "ambiguous_customer"
