"""No page sends a user to another site: every form that reads a ``next`` address leads
back to it only when it is an address of Fokus itself (an open redirect would let a
phishing page borrow Fokus' name)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fokus.customers.services import customer_create
from fokus.kpis.models import Measure

OFF_SITE = ["https://evil.example/", "//evil.example/x", "https:/evil.example", "\\\\evil.example"]


def _same_site(response) -> bool:
    location = response["Location"]
    return location.startswith("/") and not location.startswith(("//", "/\\"))


@pytest.mark.parametrize("target", OFF_SITE)
def test_logging_a_contact_from_the_list_never_leads_off_site(alice_client, org, target):
    customer = customer_create(
        organisation=org, name="Bageriet", since=dt.date(2027, 1, 1), today=dt.date(2027, 6, 30)
    )

    response = alice_client.post(
        f"/customers/{customer.pk}/contact/",
        {"from": "list", "date": "2027-06-30", "kind": "call", "next": target},
    )

    assert response.status_code == 302
    assert response["Location"] == "/customers/"


def test_logging_a_contact_from_the_list_leads_back_to_the_page_it_was_on(alice_client, org):
    customer = customer_create(
        organisation=org, name="Bageriet", since=dt.date(2027, 1, 1), today=dt.date(2027, 6, 30)
    )

    response = alice_client.post(
        f"/customers/{customer.pk}/contact/",
        {"from": "list", "date": "2027-06-30", "kind": "call", "next": "/customers/?page=2"},
    )

    assert response["Location"] == "/customers/?page=2"


@pytest.mark.parametrize("target", OFF_SITE)
def test_a_check_in_never_leads_off_site(alice_client, make_kpi, target):
    kpi = make_kpi()

    response = alice_client.post(
        f"/kpis/{kpi.pk}/checkin/", {"date": "2027-06-30", "value": "1", "next": target}
    )

    assert response.status_code == 302 and _same_site(response)
    assert response["Location"] == f"/kpis/{kpi.pk}/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_ticking_an_item_never_leads_off_site(alice_client, make_kpi, target):
    kpi = make_kpi(
        name="Medier", measure=Measure.CHECKLIST, target=None, items=["Børsen"], baseline=Decimal(0)
    )
    item = kpi.items.get()

    response = alice_client.post(
        f"/kpis/{kpi.pk}/tick/", {"item": item.pk, "date": "2027-06-30", "next": target}
    )

    assert response.status_code == 302 and _same_site(response)
    assert response["Location"] == f"/kpis/{kpi.pk}/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_switching_the_language_never_leads_off_site(alice_client, target):
    response = alice_client.post("/language/", {"language": "en", "next": target})

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_logging_in_never_leads_off_site(client, alice, target):
    response = client.post(
        f"/login/?next={target}",
        {"username": "alice@example.com", "password": "correct horse battery"},
    )

    assert response.status_code == 302 and _same_site(response)
