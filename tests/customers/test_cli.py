"""`fokus customers add`, `fokus contact` and `fokus customers due` as docs/interfaces.md names
them; the CLI and the API give the same due list."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import translation

from fokus.customers.models import Contact, Customer
from fokus.customers.services import customer_snooze

pytestmark = pytest.mark.django_db


def fokus(*args: str) -> str:
    """Run a command as the CLI does (in English: the commands speak LANGUAGE_CODE)."""
    out = io.StringIO()
    with override_settings(LANGUAGE_CODE="en"), translation.override("en"):
        call_command(*args, stdout=out)
    return out.getvalue()


def test_customers_add_prints_the_customer_with_its_id(org, today):
    added = json.loads(
        fokus(
            "customers",
            "add",
            "Hansen VVS",
            "--since",
            "2027-01-31",
            "--interval-months",
            "1",
            "--email",
            "info@hansen-vvs.dk",
            "--monthly-revenue",
            "12500,50",
            "--json",
        )
    )

    customer = Customer.objects.get()
    assert added["id"] == customer.pk
    assert added | {"id": 0} == {
        "id": 0,
        "name": "Hansen VVS",
        "cvr": "",
        "contact_person": "",
        "email": "info@hansen-vvs.dk",
        "phone": "",
        "status": "active",
        "since": "2027-01-31",
        "monthly_revenue": 12500.5,
        "interval_months": 1,
        "owner": None,
        "tags": [],
        "notes": "",
        "last_contact": "2027-01-31",
        "clock_start": None,
        "contact_due": "2027-02-28",
        "snoozed_until": None,
        "snooze_reason": "",
        "advisory_due": "2028-01-31",
    }


def test_customers_add_defaults_to_active_since_today(org, today):
    text = fokus("customers", "add", "Frisør Lotte")

    customer = Customer.objects.get()
    assert (customer.status, customer.since, customer.contact_interval_months) == (
        "active",
        today,
        3,
    )
    assert f"(id {customer.pk})" in text and "2027-09-30" in text


def test_contact_by_exact_name_or_id_moves_the_due_date(org, today, make_customer):
    customer = make_customer(name="Jensens Auto", since=dt.date(2027, 1, 1))

    text = fokus("contact", "Jensens Auto", "--kind", "email", "--note", "Hørte hvordan det går")
    fokus("contact", str(customer.pk), "--date", "2027-06-01")

    contacts = list(Contact.objects.order_by("date").values_list("date", "kind", "note"))
    assert contacts == [
        (dt.date(2027, 6, 1), "call", ""),
        (today, "email", "Hørte hvordan det går"),
    ]
    customer.refresh_from_db()
    assert customer.contact_due_on == dt.date(2027, 9, 30)
    assert "Jensens Auto" in text and "2027-09-30" in text


def test_contact_json_is_what_the_api_answers_for_the_same_contact(org, alice_api, make_customer):
    """docs/interfaces.md: --json uses the same field names as the API; `fokus contact --json`
    prints the logged contact as POST /customers/{id}/contacts answers it."""
    by_cli = make_customer(name="Jensens Auto", since=dt.date(2027, 1, 1))
    by_api = make_customer(name="Hansens Auto", since=dt.date(2027, 1, 1))
    sent = {"date": "2027-06-01", "kind": "meeting", "note": "Kaffe og kage"}

    printed = json.loads(
        fokus("contact", "Jensens Auto", *(f"--{k}={v}" for k, v in sent.items()), "--json")
    )
    answered = alice_api.post(f"/customers/{by_api.pk}/contacts", sent).json()

    contact = Contact.objects.get(customer=by_cli)
    assert printed == {
        "id": contact.pk,
        "customer": by_cli.pk,
        "date": "2027-06-01",
        "kind": "meeting",
        "note": "Kaffe og kage",
        "contact_due": "2027-09-01",
    }
    assert list(printed) == list(answered)
    assert printed | {"id": 0, "customer": 0} == answered | {"id": 0, "customer": 0}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("contact", "Ukendt ApS"), "There is no customer “Ukendt ApS”."),
        (("contact", "Jensens Auto", "--date", "9995-01-01"), "lies too far in the future"),
        (("contact", "Jensens Auto", "--date", "2027-02-30"), "is not a date"),
        (("customers", "add", "X", "--since", "9995-01-01"), "lies too far in the future"),
        (("customers", "add", "X", "--email", "nej"), "“nej” is not a valid e-mail address."),
        (("customers", "add", " "), "The customer needs a name."),
    ],
)
def test_user_errors_are_one_line(org, today, make_customer, args, message):
    make_customer(name="Jensens Auto")

    with pytest.raises(CommandError) as failed:
        fokus(*args)

    assert message in str(failed.value)
    assert "\n" not in str(failed.value)


def test_customers_due_lists_overdue_and_due_soon_customers_as_a_table(org, today, make_customer):
    overdue = make_customer(name="Bageriet Østerbro", since=dt.date(2027, 1, 1))
    make_customer(name="Ny kunde", since=dt.date(2027, 6, 30))

    text = fokus("customers", "due")

    rows = [
        [cell.strip() for cell in line.strip("│").split("│")]
        for line in text.splitlines()
        if line.startswith("│")
    ]
    assert text.splitlines()[0].strip() == "Acme ApS · 2027-06-30"
    assert rows == [
        [str(overdue.pk), "Bageriet Østerbro", "2027-01-01", "2027-04-01", "overdue", "90"]
    ]


def test_the_cli_and_the_api_give_the_same_due_list(org, alice_api, make_customer, log_contact):
    make_customer(name="Overdue", since=dt.date(2027, 1, 1))
    make_customer(name="Due soon", since=dt.date(2027, 4, 10))
    snoozed = make_customer(name="Snoozed", since=dt.date(2026, 1, 1))

    customer_snooze(
        customer=snoozed, until=dt.date(2027, 8, 1), reason="Ferie", today=dt.date(2027, 6, 30)
    )
    make_customer(name="Fine", since=dt.date(2027, 6, 1))

    for as_of in ("2027-06-30", "2027-07-20"):
        cli = json.loads(fokus("customers", "due", "--as-of", as_of, "--json"))
        api = alice_api.get("/customers/due", as_of=as_of)
        assert api.status_code == 200
        assert api.json() == cli
    assert [row["customer"]["name"] for row in cli] == ["Snoozed", "Overdue", "Due soon"]
    assert cli[0]["snoozed_until"] == "2027-08-01"
    default = alice_api.get("/customers/due").json()
    assert default == json.loads(fokus("customers", "due", "--json"))


def test_customers_list_shows_the_register(org, today, make_customer):
    make_customer(name="Bageriet Østerbro")

    listed = json.loads(fokus("customers", "list", "--json"))

    assert [c["name"] for c in listed] == ["Bageriet Østerbro"]
    assert "Bageriet Østerbro" in fokus("customers", "list")


def test_contacts_and_customers_dated_after_today_are_accepted(org, today):
    """Scripts log contacts with fixed dates ahead of the machine's date, then ask for the
    due list as of a later date."""
    added = json.loads(fokus("customers", "add", "Ny kunde", "--since", "2027-09-01", "--json"))
    assert (added["contact_due"], added["advisory_due"]) == ("2027-12-01", "2028-09-01")
    fokus("customers", "add", "Jensens Auto", "--since", "2027-01-01")

    text = fokus("contact", "Jensens Auto", "--date", "2027-08-31")

    assert "2027-11-30" in text
    due = json.loads(fokus("customers", "due", "--as-of", "2027-11-20", "--json"))
    assert [(row["customer"]["name"], row["due"], row["state"]) for row in due] == [
        ("Jensens Auto", "2027-11-30", "due_soon"),
        ("Ny kunde", "2027-12-01", "due_soon"),
    ]
