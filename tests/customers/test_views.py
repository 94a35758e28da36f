"""The customer pages: the list with its filters in a constant number of queries, one-click
contact logging with htmx, the customer page and its forms, partners; a viewer sees but
never changes, an outsider gets 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fokus.customers.advisory import advisory_hold, partner_create, referral_create
from fokus.customers.models import AdvisoryMeeting, Contact, Customer, Monitor, Partner, Referral
from fokus.customers.monitors import monitor_create
from fokus.customers.services import revenue_record
from tests.helpers import TODAY

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _list_queries(client, url="/customers/") -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _add(make_customer, alice, prefix: str, n: int) -> None:
    for i in range(n):
        make_customer(
            name=f"{prefix} {i}",
            since=dt.date(2027, 1, 1) + dt.timedelta(days=i * 5),
            owner=alice,
            tags=["vip", f"t{i % 3}"],
            monthly_revenue=Decimal(1000 + i),
        )


def test_the_list_takes_the_same_number_of_queries_for_3_and_30_customers(
    alice_client, alice, make_customer
):
    _add(make_customer, alice, "A", 3)
    few, content = _list_queries(alice_client)
    assert content.count('<tr id="customer-') == 3
    _add(make_customer, alice, "B", 27)
    many, content = _list_queries(alice_client)
    assert content.count('<tr id="customer-') == 30
    assert many == few
    filtered, _ = _list_queries(alice_client, "/customers/?q=B&status=active&due=overdue&tag=vip")
    assert filtered == few


def test_the_list_shows_the_contact_state_in_words_longest_since_contact_first(
    alice_client, make_customer, log_contact
):
    recent = make_customer(name="Kontaktet i går", since=dt.date(2026, 1, 1))
    log_contact(recent, dt.date(2027, 6, 29))
    make_customer(name="Aldrig kontaktet", since=dt.date(2027, 1, 1))
    make_customer(name="Snart", since=dt.date(2027, 4, 10))

    _, content = _list_queries(alice_client)

    order = [content.index(n) for n in ("Aldrig kontaktet", "Snart", "Kontaktet i går")]
    assert order == sorted(order)
    assert "Overdue" in content and "Due soon" in content and "Not due" in content
    assert "90 days overdue" in content
    assert "1 day ago" in content


def test_the_list_shows_active_customers_first_and_former_ones_last(
    alice_client, make_customer, log_contact
):
    # Longest since contact first would put the customers who left years ago on top.
    make_customer(name="Ophørt 2019", since=dt.date(2019, 1, 1), status="former")
    make_customer(name="Emne", since=dt.date(2020, 1, 1), status="prospect")
    recent = make_customer(name="Aktiv, kontaktet", since=dt.date(2026, 1, 1))
    log_contact(recent, dt.date(2027, 6, 29))
    make_customer(name="Aktiv, aldrig kontaktet", since=dt.date(2027, 1, 1))

    for query in ("", "?sort=name", "?sort=due", "?sort=-contact"):
        _, content = _list_queries(alice_client, "/customers/" + query)
        at = {n: content.index(f">{n}</a>") for n in ("Emne", "Ophørt 2019")}
        active = [
            content.index(f">{n}</a>") for n in ("Aktiv, kontaktet", "Aktiv, aldrig kontaktet")
        ]
        assert max(active) < at["Emne"] < at["Ophørt 2019"], query
    _, content = _list_queries(alice_client)
    assert content.index(">Aktiv, aldrig kontaktet</a>") < content.index(">Aktiv, kontaktet</a>")


def test_the_list_is_filtered_by_due_state_tag_owner_and_search(
    alice_client, alice, bob, make_customer
):
    make_customer(name="Forfalden", since=dt.date(2027, 1, 1), tags=["vip"], owner=alice)
    make_customer(name="Frisk", since=dt.date(2027, 6, 1), owner=bob, email="frisk@firma.dk")

    def names(query: str) -> set[str]:
        _, content = _list_queries(alice_client, "/customers/?" + query)
        return {n for n in ("Forfalden", "Frisk") if f">{n}</a>" in content}

    assert names("due=overdue") == {"Forfalden"}
    assert names("due=ok") == {"Frisk"}
    assert names("tag=vip") == {"Forfalden"}
    assert names(f"owner={bob.pk}") == {"Frisk"}
    assert names("q=firma.dk") == {"Frisk"}
    assert names("due=nonsense") == {"Forfalden", "Frisk"}


def test_the_list_is_paginated(alice_client, make_customer):
    for i in range(55):
        make_customer(name=f"Kunde {i:02d}", since=dt.date(2027, 1, 1))

    _, first = _list_queries(alice_client)
    _, second = _list_queries(alice_client, "/customers/?page=2&sort=name")

    assert first.count('<tr id="customer-') == 50 and "Page 1 of 2" in first
    assert second.count('<tr id="customer-') == 5 and "Kunde 54" in second


def test_one_click_on_the_list_logs_a_call_today_and_swaps_the_row(
    alice_client, alice, today, make_customer
):
    customer = make_customer(since=dt.date(2027, 1, 1))

    response = alice_client.post(
        f"/customers/{customer.pk}/contact/",
        {"from": "list", "date": "2027-06-30", "kind": "call"},
        HTTP_ACCEPT_LANGUAGE="en",
        **HTMX,
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert content.startswith(f'<tr id="customer-{customer.pk}"')
    assert "Not due" in content and "Logged" in content
    contact = Contact.objects.get()
    assert (contact.date, contact.kind, contact.user) == (today, "call", alice)
    customer.refresh_from_db()
    assert customer.contact_due_on == dt.date(2027, 9, 30)


def test_without_javascript_the_list_button_redirects_back(alice_client, make_customer):
    customer = make_customer()

    response = alice_client.post(
        f"/customers/{customer.pk}/contact/", {"from": "list", "date": "2027-06-30", "kind": "call"}
    )

    assert response.status_code == 302 and response.url == "/customers/"
    assert Contact.objects.count() == 1


def test_the_customer_page_logs_a_contact_with_htmx_and_shows_it_on_the_timeline(
    alice_client, make_customer
):
    customer = make_customer(since=dt.date(2027, 1, 1))

    response = alice_client.post(
        f"/customers/{customer.pk}/contact/",
        {"date": "2027-06-28", "kind": "meeting", "note": "Frokost med ejeren"},
        HTTP_ACCEPT_LANGUAGE="en",
        **HTMX,
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="customer-main"' in content
    assert "Contact with Bageriet Østerbro logged." in content
    assert "Frokost med ejeren" in content
    assert Contact.objects.get().kind == "meeting"


def test_a_bad_contact_date_is_shown_on_the_form_and_nothing_is_saved(alice_client, make_customer):
    customer = make_customer()

    response = alice_client.post(
        f"/customers/{customer.pk}/contact/",
        {"date": "9995-07-05", "kind": "call"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 422
    assert "lies too far in the future" in response.content.decode()
    assert not Contact.objects.exists()


def test_the_customer_page_shows_the_timeline_of_everything(alice_client, alice, make_customer):
    customer = make_customer(since=dt.date(2026, 1, 1))
    meeting = advisory_hold(
        customer=customer,
        date=dt.date(2027, 5, 1),
        outcome="Vil åbne butik nr. 2",
        now=timezone.now(),
        today=TODAY,
    )
    partner = partner_create(organisation=customer.organisation, name="Advokat Lind")
    referral_create(
        customer=customer,
        partner=partner,
        need="Lejekontrakt",
        date=dt.date(2027, 5, 2),
        meeting=meeting,
    )
    revenue_record(
        customer=customer,
        date=dt.date(2027, 5, 31),
        amount=Decimal("12500"),
        today=TODAY,
    )
    monitor_create(
        customer=customer,
        name="Ventetid",
        target=Decimal(3),
        baseline=Decimal(10),
        lower=None,
        upper=Decimal(5),
        cadence_days=7,
        today=TODAY,
    )

    with CaptureQueriesContext(connection) as queries:
        response = alice_client.get(f"/customers/{customer.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Advisory meeting held",
        "Vil åbne butik nr. 2",
        "Referred to Advokat Lind",
        "Lejekontrakt",
        "Revenue 12,500",
        "Monitoring started: Ventetid",
        "Contact: Advisory meeting",
    ):
        assert text in content, text
    assert len(queries) < 30


@pytest.mark.parametrize(
    ("action", "status"),
    [("offer", "offered"), ("book", "booked"), ("hold", "held"), ("decline", "declined")],
)
def test_the_advisory_buttons_move_the_meeting_along(alice_client, make_customer, action, status):
    customer = make_customer(since=dt.date(2026, 6, 1))

    response = alice_client.post(
        f"/customers/{customer.pk}/advisory/{action}/",
        {"date": "2027-06-29", "outcome": "Notat"},
    )

    assert response.status_code == 302
    assert AdvisoryMeeting.objects.get().status == status


def test_revenue_snooze_referral_and_monitor_forms_save_through_the_services(
    alice_client, org, make_customer
):
    customer = make_customer()
    partner = Partner.objects.create(organisation=org, name="SikkerIT")
    base = f"/customers/{customer.pk}"

    posts = [
        (f"{base}/revenue/", {"date": "2027-06-30", "amount": "12.500,50", "description": "F"}),
        (f"{base}/snooze/", {"until": "2027-07-15", "reason": "Ferie"}),
        (f"{base}/referral/", {"partner": partner.pk, "need": "Backup", "date": "2027-06-30"}),
        (
            f"{base}/monitors/",
            {
                "name": "Oppetid",
                "unit": "percent",
                "baseline": "95",
                "target": "99,9",
                "lower": "99",
                "upper": "",
                "cadence_days": "7",
            },
        ),
    ]
    for url, data in posts:
        response = alice_client.post(url, data)
        assert response.status_code == 302, (url, response.content.decode()[:500])

    customer.refresh_from_db()
    assert customer.revenue.get().amount == Decimal("12500.50")
    assert (customer.snoozed_until, customer.snooze_reason) == (dt.date(2027, 7, 15), "Ferie")
    assert Referral.objects.get().need == "Backup"
    monitor = Monitor.objects.get()
    assert (monitor.lower, monitor.upper, monitor.kpi.target) == (99, None, Decimal("99.9"))
    reading = alice_client.post(
        f"{base}/monitors/{monitor.pk}/reading/", {"date": "2027-06-30", "value": "98,5"}
    )
    assert reading.status_code == 302
    page = alice_client.get(base + "/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Outside the limits" in page


def test_a_monitor_without_limits_is_refused_on_the_form(alice_client, make_customer):
    customer = make_customer()

    response = alice_client.post(
        f"/customers/{customer.pk}/monitors/",
        {"name": "Oppetid", "unit": "number", "baseline": "0", "target": "10", "cadence_days": "7"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 422
    assert "Give a lower limit, an upper limit or both." in response.content.decode()
    assert not Monitor.objects.exists()


def test_a_customer_is_added_and_edited_through_the_form(alice_client, alice):
    added = alice_client.post(
        "/customers/new/",
        {
            "name": "Hansen VVS",
            "status": "active",
            "since": "2027-01-31",
            "cvr": "1234 5678",
            "email": "info@hansen.dk",
            "monthly_revenue": "12.500",
            "interval_months": "1",
            "owner": alice.pk,
            "tags": "håndværk, vip",
            # Due on 28 February, so overdue from day one: kept so on the second look.
            "start": "overdue",
        },
    )
    customer = Customer.objects.get()
    assert added.status_code == 302 and added.url == f"/customers/{customer.pk}/"
    assert (customer.cvr, customer.monthly_revenue, customer.contact_due_on) == (
        "12345678",
        Decimal(12500),
        dt.date(2027, 2, 28),
    )
    assert sorted(t.name for t in customer.tags.all()) == ["håndværk", "vip"]

    edit = f"/customers/{customer.pk}/edit/"
    assert "Hansen VVS" in alice_client.get(edit).content.decode()
    refused = alice_client.post(
        edit,
        {
            "name": "Hansen VVS",
            "status": "active",
            "since": "2027-01-31",
            "cvr": "12",
            "interval_months": "3",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 422 and "8 digits" in refused.content.decode()
    saved = alice_client.post(
        edit,
        {
            "name": "Hansen VVS A/S",
            "status": "active",
            "since": "2027-01-31",
            "interval_months": "3",
        },
    )
    assert saved.status_code == 302
    customer.refresh_from_db()
    assert (customer.name, customer.contact_due_on, customer.cvr) == (
        "Hansen VVS A/S",
        dt.date(2027, 4, 30),
        "",
    )


def test_partners_are_added_and_edited(alice_client, org):
    added = alice_client.post(
        "/customers/partners/", {"name": "SikkerIT", "speciality": "IT-sikkerhed"}
    )
    partner = Partner.objects.get()
    assert added.status_code == 302 and partner.organisation == org
    twice = alice_client.post(
        "/customers/partners/", {"name": "sikkerit"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert twice.status_code == 422 and "already a partner" in twice.content.decode()
    alice_client.post(f"/customers/partners/{partner.pk}/", {"name": "SikkerIT A/S"})
    partner.refresh_from_db()
    assert partner.name == "SikkerIT A/S"
    assert "SikkerIT A/S" in alice_client.get("/customers/partners/").content.decode()


def test_a_viewer_sees_the_pages_but_every_change_is_refused(vera_client, org, make_customer):
    customer = make_customer()
    partner = Partner.objects.create(organisation=org, name="SikkerIT")
    base = f"/customers/{customer.pk}"

    for url in ("/customers/", f"{base}/", "/customers/partners/"):
        response = vera_client.get(url)
        assert response.status_code == 200
        assert "Log contact" not in response.content.decode()
    assert vera_client.get("/customers/new/").status_code == 403
    assert vera_client.get(f"{base}/edit/").status_code == 403
    for url, data in (
        ("/customers/new/", {"name": "X", "status": "active", "since": "2027-01-01"}),
        (f"{base}/edit/", {"name": "X"}),
        (f"{base}/contact/", {"date": "2027-06-30", "kind": "call"}),
        (f"{base}/snooze/", {"until": "2027-07-15", "reason": "x"}),
        (f"{base}/unsnooze/", {}),
        (f"{base}/revenue/", {"date": "2027-06-30", "amount": "1"}),
        (f"{base}/advisory/hold/", {"date": "2027-06-30"}),
        (f"{base}/referral/", {"partner": partner.pk, "need": "x", "date": "2027-06-30"}),
        (f"{base}/monitors/", {"name": "x"}),
        ("/customers/partners/", {"name": "Ny"}),
        (f"/customers/partners/{partner.pk}/", {"name": "Ny"}),
    ):
        assert vera_client.post(url, data).status_code == 403, url
    assert not Contact.objects.exists() and Partner.objects.get().name == "SikkerIT"
    assert Customer.objects.get().name == "Bageriet Østerbro"


def test_an_outsider_gets_404_for_another_organisations_customer(
    charlie_client, org, make_customer
):
    customer = make_customer()
    partner = Partner.objects.create(organisation=org, name="SikkerIT")
    base = f"/customers/{customer.pk}"

    for url in (f"{base}/", f"{base}/edit/", f"/customers/partners/{partner.pk}/"):
        assert charlie_client.get(url).status_code == 404, url
    for url in (f"{base}/contact/", f"{base}/revenue/", f"{base}/advisory/hold/"):
        assert charlie_client.post(url, {"date": "2027-06-30"}).status_code == 404, url
    content = charlie_client.get("/customers/").content.decode()
    assert "Bageriet" not in content
    assert not Contact.objects.exists()


def test_the_pages_need_a_login(client, make_customer):
    customer = make_customer()

    for url in ("/customers/", f"/customers/{customer.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/")
