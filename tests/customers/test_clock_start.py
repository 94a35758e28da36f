"""The contact rule's clock start (docs/engine.md "Customer contact"): when a customer's
contact history is unknown, the user chooses the day the rule counts from. The rule counts
from the latest of the logged contacts and the clock start, else the customer-since date;
a clock start is no contact and appears in no contact log or count."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone, translation

from fokus.core.contact import contact_due, counted_from
from fokus.customers.models import Contact, ContactKind, Customer
from fokus.customers.selectors import CustomerFilter, customer_list, customers_due, due_of
from fokus.customers.services import contact_log, customer_update
from fokus.dataio.importing import kind_of, run_import, validate
from fokus.dataio.readers import read_table
from fokus.errors import ProductError
from tests.helpers import NOW, TODAY

pytestmark = pytest.mark.django_db

SINCE = dt.date(2024, 1, 15)


@pytest.mark.parametrize(
    ("last_contact", "clock_start", "counted"),
    [
        (None, None, SINCE),
        (dt.date(2027, 2, 1), None, dt.date(2027, 2, 1)),
        (None, dt.date(2027, 6, 30), dt.date(2027, 6, 30)),
        (dt.date(2027, 2, 1), dt.date(2027, 6, 30), dt.date(2027, 6, 30)),
        (dt.date(2027, 6, 1), dt.date(2027, 3, 1), dt.date(2027, 6, 1)),
        # The latest of the two, even when the clock start lies before customer since.
        (None, dt.date(2023, 5, 1), dt.date(2023, 5, 1)),
    ],
)
def test_the_rule_counts_from_the_latest_of_the_last_contact_and_the_clock_start(
    last_contact, clock_start, counted
):
    assert counted_from(since=SINCE, last_contact=last_contact, clock_start=clock_start) == counted
    due = contact_due(since=SINCE, last_contact=last_contact, clock_start=clock_start, as_of=TODAY)
    assert due.last_contact == counted


def test_a_clock_start_on_the_30th_of_november_is_due_on_the_last_of_february():
    due = contact_due(
        since=SINCE, last_contact=None, clock_start=dt.date(2026, 11, 30), as_of=TODAY
    )

    assert due.due == dt.date(2027, 2, 28)


def test_an_imported_register_with_a_clock_start_today_is_not_overdue(org, make_customer):
    old = make_customer(name="Gammel kunde", since=SINCE)
    calm = make_customer(name="Rolig kunde", since=SINCE, clock_start=TODAY)

    assert [c.name for c, _due in customers_due(organisation=org, as_of=TODAY)] == [old.name]
    due = due_of(Customer.objects.get(pk=calm.pk), TODAY)
    assert (str(due.state), due.last_contact, due.due) == ("ok", TODAY, dt.date(2027, 9, 30))


def test_a_clock_start_is_no_contact(make_customer):
    customer = make_customer(since=SINCE, clock_start=TODAY)

    assert not Contact.objects.exists()
    assert customer.last_contact_on is None


def test_a_known_last_contact_is_logged_as_a_contact_of_that_day(make_customer):
    customer = make_customer(since=SINCE, last_contact=dt.date(2027, 5, 20))

    [contact] = Contact.objects.all()
    assert (contact.customer, contact.date, contact.kind) == (
        customer,
        dt.date(2027, 5, 20),
        ContactKind.OTHER,
    )
    customer.refresh_from_db()
    assert customer.contact_due_on == dt.date(2027, 8, 20)


def test_a_contact_before_the_clock_start_does_not_move_the_due_date_back(make_customer):
    customer = make_customer(since=SINCE, clock_start=dt.date(2027, 6, 1))

    contact_log(
        customer=customer, date=dt.date(2027, 3, 1), today=TODAY, now=NOW, kind=ContactKind.CALL
    )

    customer.refresh_from_db()
    assert customer.contact_due_on == dt.date(2027, 9, 1)
    assert Contact.objects.count() == 1


def test_moving_the_clock_start_moves_the_due_date_and_none_stops_it(make_customer):
    customer = make_customer(since=SINCE)

    customer_update(customer=customer, clock_start=dt.date(2027, 6, 15), today=TODAY)
    assert customer.contact_due_on == dt.date(2027, 9, 15)
    customer_update(customer=customer, clock_start=None, today=TODAY)
    assert customer.contact_due_on == dt.date(2024, 4, 15)


def test_a_clock_start_too_far_ahead_is_refused(make_customer):
    with pytest.raises(ProductError) as refused:
        make_customer(since=SINCE, clock_start=dt.date(9999, 1, 1))

    assert (refused.value.code, refused.value.field) == ("date_too_late", "clock_start")
    assert not Customer.objects.exists()


def test_the_list_puts_the_longest_counted_first(org, make_customer):
    make_customer(name="Talt med i februar", since=SINCE, last_contact=dt.date(2027, 2, 1))
    make_customer(name="Ur startet i dag", since=SINCE, clock_start=TODAY)
    make_customer(name="Aldrig talt med", since=SINCE)

    rows = customer_list(organisation=org, today=TODAY, filters=CustomerFilter(sort="contact"))

    assert [c.name for c in rows] == ["Aldrig talt med", "Talt med i februar", "Ur startet i dag"]


def test_the_api_takes_a_last_contact_and_a_clock_start(alice_api):
    made = alice_api.post(
        "/customers",
        {"name": "Hansen VVS", "since": "2024-01-15", "clock_start": "2027-06-30"},
    )
    known = alice_api.post(
        "/customers", {"name": "Jensens Auto", "since": "2024-01-15", "last_contact": "2027-05-20"}
    )

    assert made.status_code == known.status_code == 201
    assert (made.json()["clock_start"], made.json()["last_contact"]) == ("2027-06-30", "2027-06-30")
    assert made.json()["contact_due"] == "2027-09-30"
    assert (known.json()["clock_start"], known.json()["last_contact"]) == (None, "2027-05-20")
    assert Contact.objects.get().customer.name == "Jensens Auto"

    moved = alice_api.patch(f"/customers/{made.json()['id']}", {"clock_start": "2027-07-01"})
    assert (moved.json()["clock_start"], moved.json()["contact_due"]) == (
        "2027-07-01",
        "2027-10-01",
    )


def test_the_due_list_says_what_the_rule_counted_from(alice_api, make_customer):
    make_customer(name="Gammel", since=SINCE, clock_start=dt.date(2027, 3, 10))

    [due] = alice_api.get("/customers/due", as_of="2027-06-30").json()

    assert (due["last_contact"], due["due"], due["state"]) == (
        "2027-03-10",
        "2027-06-10",
        "overdue",
    )


def test_the_cli_adds_a_customer_with_a_last_contact_or_a_clock_start(org, today):
    def add(*args: str) -> dict:
        out = io.StringIO()
        with override_settings(LANGUAGE_CODE="en"), translation.override("en"):
            call_command("customers", "add", *args, "--since", "2024-01-15", "--json", stdout=out)
        return json.loads(out.getvalue())

    calm = add("Hansen VVS", "--clock-start", "2027-06-30")
    known = add("Jensens Auto", "--last-contact", "2027-05-20")

    assert (calm["clock_start"], calm["contact_due"]) == ("2027-06-30", "2027-09-30")
    assert (known["last_contact"], known["contact_due"]) == ("2027-05-20", "2027-08-20")
    assert list(Contact.objects.values_list("customer__name", "date")) == [
        ("Jensens Auto", dt.date(2027, 5, 20))
    ]


def test_the_import_reads_the_last_contact_and_the_clock_start_in_danish(org):
    text = (
        "Navn;Kunde siden;Seneste kontakt;Tæl fra\n"
        "Bageriet;15-01-2024;20-05-2027;\n"
        "Cykelsmeden;15-01-2024;;30-06-2027\n"
        "Frisøren;15-01-2024;;\n"
    )
    kind = kind_of("customers")
    validation = validate(
        organisation=org, kind=kind, table=read_table(text.encode("cp1252")), today=TODAY
    )
    assert validation.valid, validation.problems

    run_import(organisation=org, kind=kind, validation=validation, today=TODAY, now=timezone.now())

    due = {c.name: c.contact_due_on for c in Customer.objects.all()}
    assert due == {
        "Bageriet": dt.date(2027, 8, 20),
        "Cykelsmeden": dt.date(2027, 9, 30),
        "Frisøren": dt.date(2024, 4, 15),
    }
    assert list(Contact.objects.values_list("customer__name", flat=True)) == ["Bageriet"]
