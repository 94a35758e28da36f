"""Deleting a customer: the customer's page asks first and says what goes with them
(contacts, advisory meetings, monitors, the KPIs scoped to them with their check-ins,
revenue, referrals, the alerts about them); owners and members delete, viewers get 403.
``DELETE /api/v1/customers/{id}`` and ``fokus customers delete CUSTOMER --yes`` do the
same."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import translation

from fokus.alerts.models import Alert, Delivery
from fokus.alerts.services import alerts_sync
from fokus.customers.advisory import advisory_hold, partner_create, referral_create
from fokus.customers.derived import derived_kpi_set
from fokus.customers.models import (
    AdvisoryMeeting,
    Contact,
    Customer,
    Monitor,
    Partner,
    Referral,
    RevenueEntry,
)
from fokus.customers.monitors import monitor_create, monitor_reading
from fokus.customers.services import revenue_record
from fokus.kpis.models import CheckIn, Kpi
from tests.helpers import NOW, TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


@pytest.fixture
def busy(org, make_customer, make_kpi, log_contact):
    """A customer with some of everything, and another customer who must stay whole."""
    customer = make_customer(name="Bageriet Østerbro", since=dt.date(2025, 1, 1))
    log_contact(customer, dt.date(2026, 1, 5))
    log_contact(customer, dt.date(2026, 2, 5), kind="email")
    advisory_hold(customer=customer, date=dt.date(2026, 1, 5), today=TODAY, now=NOW)
    revenue_record(customer=customer, date=dt.date(2027, 3, 1), amount=Decimal(500), today=TODAY)
    partner = partner_create(organisation=org, name="Revisor Ras")
    referral_create(customer=customer, partner=partner, need="Moms", date=dt.date(2027, 3, 1))
    monitor = monitor_create(
        customer=customer,
        name="Ovntemperatur",
        target=Decimal(220),
        lower=Decimal(200),
        upper=None,
        cadence_days=7,
        today=dt.date(2027, 1, 1),
    )
    monitor_reading(monitor=monitor, date=dt.date(2027, 6, 1), value=Decimal(180))
    monitor_reading(monitor=monitor, date=dt.date(2027, 6, 20), value=Decimal(190))
    make_kpi(name="Bagerens nye kunder", customer_id=customer.pk)
    other = make_customer(name="Blomster & Co", since=dt.date(2025, 1, 1))
    log_contact(other, dt.date(2027, 6, 1))
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    return customer, other


def test_the_page_links_to_the_delete_page_for_editors_only(alice_client, vera_client, busy):
    customer, _other = busy
    delete = f'href="/customers/{customer.pk}/delete/"'

    assert delete in alice_client.get(f"/customers/{customer.pk}/").content.decode()
    assert delete not in vera_client.get(f"/customers/{customer.pk}/").content.decode()


def test_the_confirmation_says_what_goes_with_the_customer(alice_client, busy):
    customer, _other = busy
    alerts = Alert.objects.filter(customer=customer)
    assert sorted(alerts.values_list("kind", flat=True)) == [
        "advisory_due",
        "customer_overdue",
        "monitor_stale",
    ]

    response = alice_client.get(f"/customers/{customer.pk}/delete/", HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Delete the customer “Bageriet Østerbro”?" in content
    deleted = content.split('<ul aria-labelledby="deleted-heading" id="deleted">', 1)[1]
    items = [li.split("</li>")[0] for li in deleted.split("</ul>", 1)[0].split("<li>")[1:]]
    assert items == [
        "3 logged contacts",  # two logged, and the advisory meeting held
        "1 advisory meeting",
        "1 monitor (measurement point)",
        "2 KPIs of the customer (the monitors&#x27; included)",
        "2 check-ins of those KPIs",
        "1 revenue entry",
        "1 referral to a partner",
        "3 alerts about the customer (3 not resolved)",
    ]
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_the_confirmation_is_in_danish_by_default(alice_client, busy):
    customer, _other = busy

    content = alice_client.get(f"/customers/{customer.pk}/delete/").content.decode()

    assert "Slet kunden “Bageriet Østerbro”?" in content
    assert "<li>3 loggede kontakter</li>" in content
    assert "<li>3 advarsler om kunden (3 ikke løst)</li>" in content


def test_deleting_removes_the_customer_with_everything_that_was_theirs(alice_client, busy):
    customer, other = busy
    kpis = list(Kpi.objects.filter(customer=customer).values_list("pk", flat=True))
    alert_ids = list(Alert.objects.filter(customer=customer).values_list("pk", flat=True))

    response = alice_client.post(f"/customers/{customer.pk}/delete/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302 and response.url == "/customers/"
    assert not Customer.objects.filter(pk=customer.pk).exists()
    for model in (Contact, AdvisoryMeeting, RevenueEntry, Referral, Monitor):
        assert not model.objects.filter(customer_id=customer.pk).exists(), model
    assert not Kpi.objects.filter(pk__in=kpis).exists()
    assert not CheckIn.objects.filter(kpi_id__in=kpis).exists()
    assert not Alert.objects.filter(pk__in=alert_ids).exists()
    assert not Delivery.objects.filter(alert_id__in=alert_ids).exists()
    # What is not the customer's stays.
    assert Partner.objects.filter(name="Revisor Ras").exists()
    assert other.contacts.count() == 1 and Customer.objects.filter(pk=other.pk).exists()
    page = alice_client.get("/customers/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Bageriet Østerbro was deleted, with everything that was theirs." in page


def test_the_derived_kpis_count_again_without_the_customer(org, alice_client, busy, make_kpi):
    customer, _other = busy
    won = derived_kpi_set(
        kpi=make_kpi(name="Nye kunder", start=dt.date(2025, 1, 1)),
        kind="new_customers",
        today=TODAY,
    )
    assert won.checkins.count() == 2

    alice_client.post(f"/customers/{customer.pk}/delete/")

    assert won.checkins.count() == 1


def test_a_viewer_may_not_delete(vera_client, busy):
    customer, _other = busy

    assert vera_client.get(f"/customers/{customer.pk}/delete/").status_code == 403
    assert vera_client.post(f"/customers/{customer.pk}/delete/").status_code == 403
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_a_member_may_delete(bob_client, busy):
    customer, _other = busy

    assert bob_client.post(f"/customers/{customer.pk}/delete/").status_code == 302
    assert not Customer.objects.filter(pk=customer.pk).exists()


def test_an_outsider_gets_404(charlie_client, busy):
    customer, _other = busy

    assert charlie_client.get(f"/customers/{customer.pk}/delete/").status_code == 404
    assert charlie_client.post(f"/customers/{customer.pk}/delete/").status_code == 404
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_the_api_deletes_a_customer(alice_api, busy):
    customer, other = busy

    response = alice_api.delete(f"/customers/{customer.pk}")

    assert response.status_code == 204 and response.content == b""
    assert not Customer.objects.filter(pk=customer.pk).exists()
    assert alice_api.get(f"/customers/{customer.pk}").status_code == 404
    assert alice_api.delete(f"/customers/{customer.pk}").status_code == 404
    assert Customer.objects.filter(pk=other.pk).exists()


def test_the_api_lets_no_viewer_or_outsider_delete(vera_api, charlie_api, busy):
    customer, _other = busy

    assert vera_api.delete(f"/customers/{customer.pk}").status_code == 403
    assert charlie_api.delete(f"/customers/{customer.pk}").status_code == 404
    assert Customer.objects.filter(pk=customer.pk).exists()


def fokus(*args: str) -> str:
    out = io.StringIO()
    with override_settings(LANGUAGE_CODE="en"), translation.override("en"):
        call_command(*args, stdout=out)
    return out.getvalue()


def test_the_cli_says_what_would_go_and_deletes_only_with_yes(busy):
    customer, _other = busy

    with pytest.raises(CommandError) as refused:
        fokus("customers", "delete", str(customer.pk))
    assert str(refused.value) == (
        "Nothing was deleted: add --yes to delete Bageriet Østerbro with all of it."
    )
    assert Customer.objects.filter(pk=customer.pk).exists()

    said = fokus("customers", "delete", "Bageriet Østerbro", "--yes")

    assert said.startswith(
        f"Deleted customer Bageriet Østerbro (id {customer.pk}) with: 3 logged contacts; "
        "1 advisory meeting; "
    )
    assert said.strip().endswith("3 alerts about the customer (3 not resolved).")
    assert not Customer.objects.filter(pk=customer.pk).exists()
    assert not Alert.objects.filter(customer_id=customer.pk).exists()
