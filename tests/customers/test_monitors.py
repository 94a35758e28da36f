"""Monitors: a KPI at one customer with limits and a cadence; breached when the latest
reading is outside the limits, stale when readings stop coming."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from fokus.customers.errors import CustomerError
from fokus.customers.models import Monitor
from fokus.customers.monitors import monitor_create, monitor_reading, monitor_update
from fokus.customers.selectors import monitor_states
from fokus.customers.services import customer_update
from fokus.kpis.models import Kpi

pytestmark = pytest.mark.django_db

START = dt.date(2027, 6, 1)


@pytest.fixture
def uptime(make_customer):
    """Uptime at the customer's web shop: at least 99 %, a reading every 7 days."""
    return monitor_create(
        customer=make_customer(),
        name="Oppetid på webshoppen",
        unit="percent",
        baseline=Decimal(95),
        target=Decimal("99.9"),
        lower=Decimal(99),
        upper=None,
        cadence_days=7,
        start=START,
        today=START,
    )


def _states(monitor, day):
    with translation.override("en"):
        return [(s, d) for _, s, d in monitor_states(organisation=monitor.organisation, as_of=day)]


def test_a_monitor_is_a_latest_value_kpi_scoped_to_the_customer(uptime):
    kpi = Kpi.objects.get(pk=uptime.kpi_id)

    assert kpi.customer_id == uptime.customer_id
    assert (kpi.measure, kpi.unit, kpi.start, kpi.end) == (
        "last",
        "percent",
        START,
        dt.date(2028, 5, 31),
    )


def test_a_reading_inside_the_limits_is_ok_and_one_below_the_lower_limit_is_breached(uptime):
    monitor_reading(monitor=uptime, date=dt.date(2027, 6, 2), value=Decimal("99.5"))
    assert _states(uptime, dt.date(2027, 6, 3)) == [("ok", "99.5 % is within the limits.")]

    monitor_reading(monitor=uptime, date=dt.date(2027, 6, 4), value=Decimal("98.2"))
    assert _states(uptime, dt.date(2027, 6, 4)) == [
        ("breached", "98.2 % is below the lower limit 99 %.")
    ]
    # As of a day before the breaching reading, it was still fine.
    assert _states(uptime, dt.date(2027, 6, 3))[0][0] == "ok"


def test_a_reading_above_the_upper_limit_is_breached(make_customer):
    waiting = monitor_create(
        customer=make_customer(),
        name="Ventetid (dage)",
        baseline=Decimal(10),
        target=Decimal(3),
        lower=None,
        upper=Decimal(5),
        cadence_days=14,
        start=START,
        today=START,
    )
    monitor_reading(monitor=waiting, date=START, value=Decimal(7))

    assert waiting.kpi.direction == "decrease"
    assert _states(waiting, START) == [("breached", "7 is above the upper limit 5.")]


def test_a_monitor_without_readings_for_longer_than_its_cadence_is_stale(uptime):
    assert _states(uptime, START + dt.timedelta(days=7))[0][0] == "ok"
    assert _states(uptime, START + dt.timedelta(days=8)) == [
        ("stale", "No reading yet (expected every 7 days).")
    ]
    monitor_reading(monitor=uptime, date=dt.date(2027, 6, 10), value=Decimal(98))
    assert _states(uptime, dt.date(2027, 6, 17))[0][0] == "breached"
    assert _states(uptime, dt.date(2027, 6, 18)) == [
        ("stale", "No reading for 8 days (expected every 7).")
    ]


def test_monitor_states_of_many_monitors_take_one_query(uptime, make_customer):
    for i in range(5):
        monitor = monitor_create(
            customer=make_customer(name=f"Kunde {i}"),
            name=f"Måling {i}",
            target=Decimal(10),
            lower=Decimal(1),
            upper=Decimal(9),
            cadence_days=30,
            start=START,
            today=START,
        )
        monitor_reading(monitor=monitor, date=START, value=Decimal(i * 3))

    organisation = uptime.customer.organisation
    with CaptureQueriesContext(connection) as queries:
        states = monitor_states(organisation=organisation, as_of=START)

    assert len(queries) == 1
    assert sorted(s for _, s, _ in states) == ["breached", "breached", "ok", "ok", "ok", "ok"]


def test_former_customers_monitors_are_left_out(uptime):
    customer_update(customer=uptime.customer, status="former", today=START)

    assert _states(uptime, dt.date(2027, 7, 1)) == []


@pytest.mark.parametrize(
    ("lower", "upper", "cadence", "code"),
    [
        (None, None, 7, "monitor_needs_limit"),
        (Decimal(5), Decimal(4), 7, "monitor_limits_order"),
        (Decimal(1), None, 0, "cadence_invalid"),
    ],
)
def test_bad_limits_or_cadence_are_refused_and_no_kpi_is_left(
    make_customer, lower, upper, cadence, code
):
    with pytest.raises(CustomerError) as refused:
        monitor_create(
            customer=make_customer(),
            name="Måling",
            target=Decimal(10),
            lower=lower,
            upper=upper,
            cadence_days=cadence,
            today=START,
        )

    assert refused.value.code == code
    assert not Kpi.objects.exists() and not Monitor.objects.exists()


def test_limits_can_be_changed(uptime):
    monitor_update(monitor=uptime, lower=Decimal(98), upper=Decimal(100), cadence_days=3)
    monitor_reading(monitor=uptime, date=START, value=Decimal("98.5"))

    assert _states(uptime, START)[0][0] == "ok"
