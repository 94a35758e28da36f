"""KPIs derived from the customer register (README "Customer care"): nobody enters them twice.

A KPI with ``derived`` set gets its check-ins from the register, written through
``checkin_record`` with ``source="derived"`` and an ``external_id`` naming the register
row it comes from, so a refresh never doubles a value:

- ``new_customers``: 1 on the "customer since" date of every customer (not a prospect)
  who started in the KPI's period (``customer:<id>``);
- ``new_customer_revenue`` / ``existing_customer_revenue``: every revenue entry in the
  period, from customers who started in the period / before it (``revenue:<id>``);
- ``contacted_share``: a daily snapshot, the percentage of active customers not overdue
  for contact today (``share:<date>``; earlier days' snapshots stay as they were);
- ``advisory_meetings``: 1 on the date of every advisory meeting held (``advisory:<id>``).

A refresh makes the KPI's derived check-ins equal to what the register says now: new
rows are recorded, changed ones replaced, vanished ones deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from fokus.accounts.models import Organisation
from fokus.customers.models import AdvisoryMeeting, AdvisoryStatus, Customer, CustomerStatus
from fokus.customers.models import RevenueEntry as Revenue
from fokus.kpis.models import CheckIn, Derived, Kpi, Measure, Source
from fokus.kpis.services import checkin_delete, checkin_record
from fokus.values import check_choice

Points = dict[str, tuple[dt.date, Decimal]]
SHARE_PLACES = Decimal("0.01")


def _new_customers(kpi: Kpi) -> Points:
    rows = (
        Customer.objects.filter(
            organisation_id=kpi.organisation_id, since__gte=kpi.start, since__lte=kpi.end
        )
        .exclude(status=CustomerStatus.PROSPECT)
        .values_list("pk", "since")
    )
    return {f"customer:{pk}": (since, Decimal(1)) for pk, since in rows}


def _revenue(kpi: Kpi, *, new: bool) -> Points:
    rows = Revenue.objects.filter(
        customer__organisation_id=kpi.organisation_id, date__gte=kpi.start, date__lte=kpi.end
    )
    rows = (
        rows.filter(customer__since__gte=kpi.start)
        if new
        else rows.exclude(customer__since__gte=kpi.start)
    )
    return {
        f"revenue:{pk}": (date, amount)
        for pk, date, amount in rows.values_list("pk", "date", "amount")
    }


def _advisory_meetings(kpi: Kpi) -> Points:
    rows = AdvisoryMeeting.objects.filter(
        customer__organisation_id=kpi.organisation_id,
        status=AdvisoryStatus.HELD,
        held_on__gte=kpi.start,
        held_on__lte=kpi.end,
    ).values_list("pk", "held_on")
    return {f"advisory:{pk}": (held_on, Decimal(1)) for pk, held_on in rows if held_on}


def contacted_share(*, organisation: Organisation, today: dt.date) -> Decimal | None:
    """Percentage of active customers not overdue for contact today (None: no customers)."""
    active = Customer.objects.filter(organisation=organisation, status=CustomerStatus.ACTIVE)
    total = active.count()
    if not total:
        return None
    in_time = active.filter(contact_due_on__gt=today).count()
    return (Decimal(100) * in_time / total).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def _share(kpi: Kpi, today: dt.date) -> Points | None:
    """Only today's snapshot (None: nothing to write today)."""
    if not kpi.start <= today <= kpi.end:
        return None
    value = contacted_share(organisation=kpi.organisation, today=today)
    return None if value is None else {f"share:{today.isoformat()}": (today, value)}


def _sync(kpi: Kpi, desired: Points, *, only: Iterable[str] | None = None) -> int:
    """Make the KPI's derived check-ins equal ``desired``; ``only`` limits the keys touched.
    Returns the number of check-ins written or deleted."""
    existing = CheckIn.objects.filter(kpi=kpi, source=Source.DERIVED)
    if only is not None:
        existing = existing.filter(external_id__in=list(only))
    changes = 0
    seen: set[str] = set()
    for checkin in existing:
        key = checkin.external_id or ""
        want = desired.get(key)
        if want is not None and key not in seen and (checkin.date, checkin.value) == want:
            seen.add(key)
            continue
        checkin_delete(checkin=checkin)
        changes += 1
    for key, (date, value) in desired.items():
        if key not in seen:
            checkin_record(kpi=kpi, date=date, value=value, source=Source.DERIVED, external_id=key)
            changes += 1
    return changes


@transaction.atomic
def derived_refresh(
    *, organisation: Organisation, today: dt.date, kinds: Iterable[str] | None = None
) -> int:
    """Bring the organisation's derived KPIs (of ``kinds``, default all) up to date with
    the register. Returns the number of check-ins written or deleted."""
    kpis = Kpi.objects.filter(organisation=organisation, archived_at__isnull=True).exclude(
        derived=""
    )
    if kinds is not None:
        kpis = kpis.filter(derived__in=list(kinds))
    changes = 0
    for kpi in kpis.exclude(measure=Measure.CHECKLIST).select_related("organisation"):
        if kpi.derived == Derived.CONTACTED_SHARE:
            snapshot = _share(kpi, today)
            if snapshot is not None:
                changes += _sync(kpi, snapshot, only=snapshot)
            continue
        if kpi.derived == Derived.NEW_CUSTOMERS:
            desired = _new_customers(kpi)
        elif kpi.derived == Derived.NEW_CUSTOMER_REVENUE:
            desired = _revenue(kpi, new=True)
        elif kpi.derived == Derived.EXISTING_CUSTOMER_REVENUE:
            desired = _revenue(kpi, new=False)
        elif kpi.derived == Derived.ADVISORY_MEETINGS:
            desired = _advisory_meetings(kpi)
        else:
            continue
        changes += _sync(kpi, desired)
    return changes


@transaction.atomic
def derived_kpi_set(*, kpi: Kpi, kind: str, today: dt.date) -> Kpi:
    """Let the register feed ``kpi`` (``kind`` one of ``Derived``, "" to stop) and fill it
    now. Stopping keeps the check-ins already derived."""
    if kind:
        check_choice(kind, Derived.values, field="derived")
    kpi.derived = kind
    kpi.save(update_fields=["derived"])
    if kind:
        derived_refresh(organisation=kpi.organisation, today=today, kinds={kind})
    return kpi


def derived_refresh_all(*, today: dt.date) -> int:
    """Refresh the derived KPIs of every organisation that has any (the daily job)."""
    ids = (
        Kpi.objects.filter(archived_at__isnull=True)
        .exclude(derived="")
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    return sum(
        derived_refresh(organisation=organisation, today=today)
        for organisation in Organisation.objects.filter(pk__in=list(ids))
    )


__all__ = ["contacted_share", "derived_kpi_set", "derived_refresh", "derived_refresh_all"]
