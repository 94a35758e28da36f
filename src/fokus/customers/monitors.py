"""Monitors: measurement points at a customer related to the service delivered.

A monitor is a KPI scoped to one customer (``Kpi.customer``, measure "latest value") plus
a lower and/or upper limit and a cadence: a reading is expected at least every
``cadence_days`` days. Readings are ordinary check-ins of the KPI, so they arrive by the
web page, ``fokus checkin``, the API or an import. The state rule is
``fokus.core.contact.monitor_state``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from fokus.accounts.models import User
from fokus.core.contact import add_months
from fokus.customers.errors import CustomerError
from fokus.customers.models import Customer, Monitor
from fokus.kpis.models import CheckIn, Direction, Measure, Source, Unit
from fokus.kpis.services import KpiSpec, checkin_record, kpi_create

MAX_CADENCE_DAYS = 3650


def _limits(
    lower: Decimal | None, upper: Decimal | None, cadence_days: int
) -> tuple[Decimal | None, Decimal | None, int]:
    if lower is None and upper is None:
        raise CustomerError("monitor_needs_limit", field="lower")
    if lower is not None and upper is not None and lower > upper:
        raise CustomerError("monitor_limits_order", field="upper")
    if isinstance(cadence_days, bool) or not 1 <= cadence_days <= MAX_CADENCE_DAYS:
        raise CustomerError("cadence_invalid", field="cadence_days")
    return lower, upper, cadence_days


@transaction.atomic
def monitor_create(
    *,
    customer: Customer,
    name: str,
    target: Decimal,
    lower: Decimal | None,
    upper: Decimal | None,
    cadence_days: int,
    baseline: Decimal = Decimal(0),
    unit: str = Unit.NUMBER,
    unit_label: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    user: User | None = None,
    today: dt.date,
) -> Monitor:
    """A KPI at the customer (latest value; by default for the 12 months from today) and its
    monitor. The direction follows the target: below the starting value means decrease."""
    lower, upper, cadence_days = _limits(lower, upper, cadence_days)
    start = start or today
    end = end or add_months(start, 12) - dt.timedelta(days=1)
    kpi = kpi_create(
        organisation=customer.organisation,
        spec=KpiSpec(
            name=name,
            start=start,
            end=end,
            target=target,
            baseline=baseline,
            unit=unit,
            unit_label=unit_label,
            direction=Direction.DECREASE if target < baseline else Direction.INCREASE,
            measure=Measure.LAST,
            category="service",
            customer_id=customer.pk,
        ),
        user=user,
    )
    return Monitor.objects.create(
        organisation_id=customer.organisation_id,
        customer=customer,
        kpi=kpi,
        lower=lower,
        upper=upper,
        cadence_days=cadence_days,
        watching_since=max(start, today),
    )


def monitor_update(
    *, monitor: Monitor, lower: Decimal | None, upper: Decimal | None, cadence_days: int
) -> Monitor:
    monitor.lower, monitor.upper, monitor.cadence_days = _limits(lower, upper, cadence_days)
    monitor.save(update_fields=["lower", "upper", "cadence_days"])
    return monitor


def monitor_reading(
    *,
    monitor: Monitor,
    date: dt.date,
    value: Decimal,
    note: str = "",
    user: User | None = None,
    source: str = Source.MANUAL,
) -> CheckIn:
    """Record a reading: a check-in of the monitor's KPI."""
    checkin, _ = checkin_record(
        kpi=monitor.kpi, date=date, value=value, note=note, user=user, source=source
    )
    return checkin


__all__ = ["monitor_create", "monitor_reading", "monitor_update"]
