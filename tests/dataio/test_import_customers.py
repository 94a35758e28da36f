from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fokus.customers.models import AdvisoryMeeting, Contact, Customer, RevenueEntry
from fokus.customers.services import customer_create
from fokus.dataio.importing import guess_kind, kind_of, run_import, validate
from fokus.dataio.readers import read_table
from tests.helpers import TODAY

pytestmark = pytest.mark.django_db


def _validate(org, text: str, kind: str):
    return validate(
        organisation=org,
        kind=kind_of(kind),
        table=read_table(text.encode("cp1252")),
        today=TODAY,
    )


def _import(org, text: str, kind: str, **options):
    validation = _validate(org, text, kind)
    return run_import(
        organisation=org,
        kind=kind_of(kind),
        validation=validation,
        today=TODAY,
        now=timezone.now(),
        **options,
    )


CUSTOMERS = (
    "Navn;Kunde siden;Status;E-mail;Telefon;CVR;Månedlig omsætning;Kontaktinterval\n"
    "Bageriet Østerbro;01.05.2025;aktiv;ost@example.dk;12345678;12345678;10.000,50;3\n"
    "Cykelsmeden;2026-01-10;Emne;;;;;6\n"
)


def test_customers_from_a_danish_spreadsheet_are_registered(org, today):
    result = _import(org, CUSTOMERS, "customers")

    assert result.created == 2
    bager = Customer.objects.get(name="Bageriet Østerbro")
    assert (bager.since, bager.status, bager.monthly_revenue) == (
        dt.date(2025, 5, 1),
        "active",
        Decimal("10000.50"),
    )
    assert bager.contact_due_on == dt.date(2025, 8, 1)
    assert Customer.objects.get(name="Cykelsmeden").status == "prospect"


def test_the_same_customers_imported_again_change_nothing(org, today):
    _import(org, CUSTOMERS, "customers")

    again = _import(org, CUSTOMERS, "customers")

    assert (again.created, again.unchanged) == (0, 2)
    assert Customer.objects.count() == 2


def test_every_bad_customer_field_is_reported(org, today):
    text = (
        "name;since;status;email;cvr;monthly_revenue;interval_months\n"
        ";01-01-2027;active;;;;\n"
        "B;01-13-2027;sur;ikke-en-mail;123;-5;0\n"
        "C;;;;;;\n"
        "c;;;;;;\n"
    )

    validation = _validate(org, text, "customers")

    assert [(p.row, p.column, p.code) for p in validation.problems] == [
        (2, "name", "customer_name_required"),
        (3, "since", "not_a_date"),
        (3, "status", "invalid_choice"),
        (3, "email", "email_invalid"),
        (3, "cvr", "cvr_invalid"),
        (3, "monthly_revenue", "monthly_revenue_negative"),
        (3, "interval_months", "interval_invalid"),
        (5, "name", "duplicate_in_file"),
    ]


def test_contacts_are_logged_and_move_the_due_date_and_are_not_logged_twice(org, today):
    _import(org, CUSTOMERS, "customers")
    text = (
        "Kunde;Dato;Type;Note\n"
        "Bageriet Østerbro;01-06-2027;Opkald;Alt vel\n"
        "bageriet østerbro;02-06-2027;møde;\n"
    )

    first = _import(org, text, "contacts")
    second = _import(org, text, "contacts")

    assert (first.created, second.created, second.unchanged) == (2, 0, 2)
    bager = Customer.objects.get(name="Bageriet Østerbro")
    assert bager.last_contact_on == dt.date(2027, 6, 2)
    assert sorted(Contact.objects.values_list("kind", flat=True)) == ["call", "meeting"]


def test_bad_contacts_are_reported(org, today):
    _import(org, CUSTOMERS, "customers")
    text = (
        "customer;date;kind\n"
        "Ukendt;01-06-2027;call\n"
        "Cykelsmeden;01-08-9995;call\n"
        "Cykelsmeden;01-06-2027;brev\n"
        "Cykelsmeden;01-08-2027;call\n"
    )

    validation = _validate(org, text, "contacts")

    # A contact dated after today is fine (row 5); one too far ahead for a due date is not.
    assert [(p.row, p.code) for p in validation.problems] == [
        (2, "unknown_customer"),
        (3, "date_too_late"),
        (4, "invalid_choice"),
    ]


def test_contacts_dated_after_today_and_customers_starting_later_are_imported(org, today):
    _import(
        org, "navn;kunde_siden\nBageriet Østerbro;01-01-2028\nCykelsmeden;2027-01-10\n", "customers"
    )
    text = "kunde;dato;type\nCykelsmeden;15-11-2027;opkald\n"

    result = _import(org, text, "contacts")

    assert result.created == 1
    assert Customer.objects.get(name="Bageriet Østerbro").contact_due_on == dt.date(2028, 4, 1)
    smed = Customer.objects.get(name="Cykelsmeden")
    assert (smed.last_contact_on, smed.contact_due_on) == (
        dt.date(2027, 11, 15),
        dt.date(2028, 2, 15),
    )


def test_an_imported_advisory_contact_is_a_held_advisory_meeting(org, today):
    _import(org, "navn;kunde_siden\nCykelsmeden;30-11-2025\n", "customers")
    text = (
        "kunde;dato;type;note\n"
        "Cykelsmeden;27-02-2026;rådgivningsmøde;Budget 2026\n"
        "Cykelsmeden;01-10-2025;rådgivningsmøde;\n"
    )

    first = _import(org, text, "contacts")
    again = _import(org, text, "contacts")

    assert (first.created, again.created) == (2, 0)
    smed = Customer.objects.get(name="Cykelsmeden")
    # The latest held meeting is the base; the older one moves nothing back.
    assert (smed.advisory_base_on, smed.advisory_due_on) == (
        dt.date(2026, 2, 27),
        dt.date(2027, 2, 27),
    )
    held = AdvisoryMeeting.objects.filter(customer=smed, status="held")
    assert sorted(held.values_list("held_on", flat=True)) == [
        dt.date(2025, 10, 1),
        dt.date(2026, 2, 27),
    ]


def test_revenue_entries_are_recorded_once(org, today):
    _import(org, CUSTOMERS, "customers")
    text = (
        "kunde;dato;beløb;beskrivelse;ekstern_id\n"
        "Bageriet Østerbro;31-01-2027;12.500,00;Januar;F-1\n"
        "Bageriet Østerbro;28-02-2027;12.500,00;Februar;\n"
        "Cykelsmeden;28-02-2027;1.000;;\n"
    )

    first = _import(org, text, "revenue")
    again = _import(org, text, "revenue")

    assert (first.created, again.created, again.unchanged) == (3, 0, 3)
    assert sorted(RevenueEntry.objects.values_list("amount", flat=True)) == [
        Decimal(1000),
        Decimal(12500),
        Decimal(12500),
    ]


def test_bad_revenue_entries_are_reported(org, today):
    _import(org, CUSTOMERS, "customers")
    text = (
        "customer;date;amount\n"
        "Cykelsmeden;01-02-2027;0\n"
        "Cykelsmeden;01-02-2027;1,234\n"
        "Cykelsmeden;x;5\n"
    )

    validation = _validate(org, text, "revenue")

    assert [(p.row, p.code) for p in validation.problems] == [
        (2, "amount_zero"),
        (3, "too_many_decimals"),
        (4, "not_a_date"),
    ]


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        (["kpi", "dato", "værdi"], "checkins"),
        (["Navn", "CVR"], "customers"),
        (["Kunde", "Dato", "Type"], "contacts"),
        (["kunde", "dato", "beløb"], "revenue"),
    ],
)
def test_the_kind_of_a_file_is_told_by_its_columns(headers, kind):
    assert guess_kind(headers) == kind


def test_another_organisations_customers_cannot_be_imported_into(org, other_org, today):
    theirs = customer_create(
        organisation=other_org, name="Fremmed", since=dt.date(2026, 1, 1), today=today
    )

    validation = _validate(
        org, f"customer;date\n{theirs.pk};01-02-2027\nFremmed;01-02-2027\n", "contacts"
    )

    assert [p.code for p in validation.problems] == ["unknown_customer", "unknown_customer"]
