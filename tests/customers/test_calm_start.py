"""A customer added with no contact known, whose customer-since date plus the contact
interval has passed, would be overdue from day one. The form says so before saving and
offers to start the contact clock on a day (today by default) or to keep the customer
overdue; nothing typed is lost on the way. The API and the CLI do not ask."""

from __future__ import annotations

import datetime as dt

import pytest

from fokus.customers.models import Contact, Customer
from fokus.customers.selectors import starts_overdue
from tests.helpers import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

OLD = {
    "name": "Gammel Kunde ApS",
    "status": "active",
    "since": "2024-03-01",
    "interval_months": "3",
    "email": "info@gammel.dk",
    "phone": "12 34 56 78",
    "monthly_revenue": "4.500",
    "tags": "vip, håndværk",
    "notes": "Fra det gamle regneark",
}


@pytest.mark.parametrize(
    ("fields", "due"),
    [
        ({}, dt.date(2024, 6, 1)),
        ({"last_contact": dt.date(2027, 6, 1)}, None),
        ({"clock_start": dt.date(2024, 1, 1)}, None),
        ({"status": "prospect"}, None),
        ({"since": dt.date(2027, 4, 1)}, None),  # due 1 July: due soon, not overdue
        ({"since": dt.date(2027, 3, 30)}, dt.date(2027, 6, 30)),  # due today
    ],
)
def test_a_customer_starts_overdue_only_without_any_known_contact(fields, due):
    values = {
        "since": dt.date(2024, 3, 1),
        "status": "active",
        "interval_months": 3,
        "last_contact": None,
        "clock_start": None,
        "today": TODAY,
    }
    values.update(fields)

    assert starts_overdue(**values) == due


def test_the_form_says_the_customer_would_be_overdue_and_keeps_what_was_typed(alice_client):
    response = alice_client.post("/customers/new/", OLD, HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert response.status_code == 200
    assert "The customer would be overdue from day one" in content
    assert "the contact was due 1 June 2024" in content
    assert 'name="start" value="clock"' in content and 'name="start" value="overdue"' in content
    assert 'name="start_on" value="2027-06-30"' in content  # today by default
    for typed in ("Gammel Kunde ApS", "info@gammel.dk", "12 34 56 78", "4.500", "vip, håndværk"):
        assert f'value="{typed}"' in content
    assert "Fra det gamle regneark" in content
    assert not Customer.objects.exists()


def test_starting_the_clock_adds_the_customer_counting_from_the_chosen_day(alice_client):
    response = alice_client.post(
        "/customers/new/", {**OLD, "start": "clock", "start_on": "2027-06-15"}
    )

    customer = Customer.objects.get()
    assert response.status_code == 302 and response.url == f"/customers/{customer.pk}/"
    assert (customer.clock_start, customer.contact_due_on) == (
        dt.date(2027, 6, 15),
        dt.date(2027, 9, 15),
    )
    assert (customer.email, customer.phone, customer.notes) == (
        "info@gammel.dk",
        "12 34 56 78",
        "Fra det gamle regneark",
    )
    assert sorted(t.name for t in customer.tags.all()) == ["håndværk", "vip"]
    assert not Contact.objects.exists()  # a clock start is no contact


def test_keeping_it_overdue_adds_the_customer_as_typed(alice_client):
    response = alice_client.post("/customers/new/", {**OLD, "start": "overdue", "start_on": ""})

    customer = Customer.objects.get()
    assert response.status_code == 302
    assert (customer.clock_start, customer.contact_due_on) == (None, dt.date(2024, 6, 1))


def test_starting_the_clock_needs_a_day(alice_client):
    response = alice_client.post(
        "/customers/new/", {**OLD, "start": "clock", "start_on": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "Give the day to count contact from." in response.content.decode()
    assert not Customer.objects.exists()


def test_a_mistake_on_the_second_look_keeps_the_choice(alice_client):
    response = alice_client.post(
        "/customers/new/",
        {**OLD, "cvr": "12", "start": "clock", "start_on": "2027-06-15"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    content = response.content.decode()
    assert response.status_code == 422 and "8 digits" in content
    assert 'name="start_on" value="2027-06-15"' in content
    assert 'name="start" value="clock" id="id_start_0" required checked' in content
    assert not Customer.objects.exists()


def test_a_known_last_contact_or_a_clock_start_is_saved_at_once(alice_client):
    with_contact = alice_client.post("/customers/new/", {**OLD, "last_contact": "2027-05-01"})
    with_clock = alice_client.post(
        "/customers/new/", {**OLD, "name": "Anden ApS", "clock_start": "2027-06-01"}
    )

    assert with_contact.status_code == 302 and with_clock.status_code == 302
    assert Customer.objects.count() == 2


def test_a_customer_not_overdue_is_saved_at_once(alice_client):
    response = alice_client.post("/customers/new/", {**OLD, "since": "2027-06-01"})

    assert response.status_code == 302 and Customer.objects.get().clock_start is None


def test_a_duplicate_and_an_overdue_start_are_asked_about_together(alice_client, make_customer):
    there = make_customer(name="Gammel Kunde ApS", since=dt.date(2027, 6, 1))

    asked = alice_client.post("/customers/new/", OLD, HTTP_ACCEPT_LANGUAGE="en")
    content = asked.content.decode()
    assert "Add anyway" in content and "overdue from day one" in content

    added = alice_client.post(
        "/customers/new/",
        {**OLD, "allow_duplicate": str(there.pk), "start": "clock", "start_on": "2027-06-30"},
    )
    assert added.status_code == 302
    assert Customer.objects.get(clock_start=TODAY).name == "Gammel Kunde ApS"


def test_the_api_does_not_ask(alice_api):
    response = alice_api.post("/customers", {"name": "Gammel Kunde ApS", "since": "2024-03-01"})

    assert response.status_code == 201
    assert (response.json()["clock_start"], response.json()["contact_due"]) == (None, "2024-06-01")
