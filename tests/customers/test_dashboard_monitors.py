"""Monitors on the dashboard: a KPI that follows a customer is no goal. It never gets a
goal card (pace, forecast, a goal's status, a verdict); the register's own section,
"Målepunkter hos kunderne", shows each monitor's state, reading and limits and links to
the customer (``fokus.customers.dashboard``, answering ``fokus.kpis.signals``)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fokus.customers.models import CustomerStatus
from fokus.customers.monitors import monitor_create, monitor_reading
from fokus.customers.services import customer_update
from tests.helpers import clear_kpi_cache

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
START = dt.date(2027, 1, 1)


def _delivery_time(customer, *, reading: int | None = 7, on=dt.date(2027, 6, 28), **fields):
    """Delivery time at the customer: at most 5 days, a reading every 30 days."""
    monitor = monitor_create(
        customer=customer,
        name=fields.pop("name", "Leveringstid"),
        unit="number",
        unit_label="dage",
        baseline=Decimal(10),
        target=Decimal(3),
        lower=None,
        upper=Decimal(5),
        cadence_days=30,
        start=START,
        today=START,
        **fields,
    )
    if reading is not None:
        monitor_reading(monitor=monitor, date=on, value=Decimal(reading))
    return monitor


def _section(content: str) -> str:
    match = re.search(r'<section class="card monitors-panel".*?</section>', content, re.S)
    assert match, "no monitors section"
    return match.group(0)


def test_a_breached_monitor_is_shown_breached_never_on_track(
    alice_client, today, make_customer, on_track_kpi
):
    customer = make_customer()
    monitor = _delivery_time(customer)

    response = alice_client.get("/")

    content = response.content.decode()
    assert [card.kpi.name for card in response.context["cards"]] == ["Nye kunder"]
    assert f'id="card-{monitor.kpi_id}"' not in content
    section = _section(content)
    assert '<h2 id="monitors-heading">Målepunkter hos kunderne</h2>' in section
    assert "Leveringstid" in section
    assert "7 dage er over den øvre grænse 5 dage." in section
    assert "Uden for grænserne" in section
    assert "højst 5 dage" in section
    assert f'<a href="/customers/{customer.pk}/">Bageriet Østerbro</a>' in section
    for goal_word in ("På sporet", "Prognose", "Plan indtil nu", "Tempo", "Opnået", "Ikke nået"):
        assert goal_word not in section
    # The chart is of a goal, never of a monitor.
    assert response.context["chart_kpi"] == on_track_kpi


def test_each_monitor_shows_its_own_state_with_its_reading(alice_client, today, make_customer):
    _delivery_time(make_customer("Bageriet Østerbro"), reading=4)
    _delivery_time(make_customer("Cykelsmeden"), reading=4, on=dt.date(2027, 5, 1))
    _delivery_time(make_customer("Blomsterhuset"), reading=9)

    content = alice_client.get("/", **EN).content.decode()

    section = _section(content)
    rows = re.findall(r'<tr class="monitor-row" data-state="(\w+)">(.*?)</tr>', section, re.S)
    states = {re.search(r'/">([^<]+)</a>', row).group(1): state for state, row in rows}
    assert states == {
        "Bageriet Østerbro": "ok",
        "Blomsterhuset": "breached",
        "Cykelsmeden": "stale",
    }
    assert "Measurement points at the customers" in section
    assert "Within the limits" in section
    assert "Outside the limits" in section
    assert "Reading overdue" in section
    assert "No reading for 60 days (expected every 30)." in section
    assert "28 June 2027" in section  # the latest reading's date
    assert "No KPIs in this period" in content  # the monitors are no goals


def test_a_former_customers_monitor_is_not_shown(alice_client, alice, today, make_customer):
    customer = make_customer()
    _delivery_time(customer)
    customer_update(customer=customer, user=alice, status=CustomerStatus.FORMER, today=today)

    assert "monitors-panel" not in alice_client.get("/").content.decode()


def test_without_monitors_there_is_no_section(alice_client, today, on_track_kpi):
    assert "monitors-panel" not in alice_client.get("/").content.decode()


def test_a_past_period_shows_no_state_of_today(alice_client, today, make_customer):
    _delivery_time(make_customer())

    assert "monitors-panel" in alice_client.get("/?period=2027-K3").content.decode()
    assert "monitors-panel" not in alice_client.get("/?period=2027-K1").content.decode()


def _dashboard_queries(client) -> int:
    clear_kpi_cache()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries)


def test_the_dashboard_costs_the_same_queries_with_0_1_and_10_monitors(
    alice_client, today, make_customer, on_track_kpi
):
    counts = {0: _dashboard_queries(alice_client)}
    _delivery_time(make_customer("Kunde 0"))
    counts[1] = _dashboard_queries(alice_client)
    for n in range(1, 10):
        _delivery_time(make_customer(f"Kunde {n}"), reading=n)
    counts[10] = _dashboard_queries(alice_client)

    # Session, user, membership, the default period; the goals, their sub-goals, data
    # stamps and check-ins; the monitors with their latest readings; the open alerts.
    assert counts[0] == counts[1] == counts[10] == 10, counts
    assert _section(alice_client.get("/").content.decode()).count('class="monitor-row"') == 10
