"""KPIs derived from the register follow it by themselves: nobody enters them twice, and a
refresh never doubles a value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fokus.customers.advisory import advisory_hold
from fokus.customers.derived import derived_kpi_set, derived_refresh, derived_refresh_all
from fokus.customers.services import contact_log, customer_update, revenue_record
from fokus.errors import InputError
from fokus.kpis.models import CheckIn
from fokus.kpis.selectors import kpi_evaluate
from tests.helpers import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def derived_kpi(org, make_kpi):
    def make(kind, **fields):
        kpi = make_kpi(name=kind, **fields)
        return derived_kpi_set(kpi=kpi, kind=kind, today=TODAY)

    return make


def _points(kpi):
    return sorted(
        (c.external_id, c.date, c.value, c.source) for c in CheckIn.objects.filter(kpi=kpi)
    )


def test_new_customers_won_in_the_period_are_counted_on_their_start_date(
    derived_kpi, make_customer
):
    kpi = derived_kpi("new_customers")
    old = make_customer(name="Gammel", since=dt.date(2026, 5, 1))
    new = make_customer(name="Ny", since=dt.date(2027, 3, 15))
    make_customer(name="Prospekt", since=dt.date(2027, 4, 1), status="prospect")

    assert _points(kpi) == [(f"customer:{new.pk}", dt.date(2027, 3, 15), 1, "derived")]
    assert kpi_evaluate(kpi=kpi, as_of=TODAY).actual == 1
    customer_update(customer=old, since=dt.date(2027, 2, 1), today=TODAY)
    customer_update(customer=new, since=dt.date(2026, 12, 31), today=TODAY)
    assert _points(kpi) == [(f"customer:{old.pk}", dt.date(2027, 2, 1), 1, "derived")]


def test_revenue_is_split_between_new_and_existing_customers(derived_kpi, make_customer):
    new_kpi = derived_kpi("new_customer_revenue", unit="currency", target=Decimal(100_000))
    old_kpi = derived_kpi("existing_customer_revenue", unit="currency", target=Decimal(100_000))
    old = make_customer(name="Gammel", since=dt.date(2025, 1, 1))
    new = make_customer(name="Ny", since=dt.date(2027, 2, 1))

    a = revenue_record(customer=old, date=dt.date(2027, 3, 31), amount=Decimal(5000), today=TODAY)
    b = revenue_record(customer=new, date=dt.date(2027, 4, 30), amount=Decimal(7500), today=TODAY)
    revenue_record(customer=new, date=dt.date(2026, 12, 31), amount=Decimal(1), today=TODAY)

    assert _points(new_kpi) == [(f"revenue:{b.pk}", dt.date(2027, 4, 30), 7500, "derived")]
    assert _points(old_kpi) == [(f"revenue:{a.pk}", dt.date(2027, 3, 31), 5000, "derived")]
    # The new customer turns out to have started before the period: its revenue moves.
    customer_update(customer=new, since=dt.date(2026, 6, 1), today=TODAY)
    assert _points(new_kpi) == []
    assert [p[0] for p in _points(old_kpi)] == [f"revenue:{a.pk}", f"revenue:{b.pk}"]


def test_the_contacted_share_is_a_daily_snapshot_of_active_customers_not_overdue(
    derived_kpi, make_customer
):
    kpi = derived_kpi("contacted_share", measure="last", unit="percent", target=Decimal(100))
    late = make_customer(name="Sen", since=dt.date(2027, 1, 1))  # overdue since 1 April
    make_customer(name="Frisk", since=dt.date(2027, 6, 1))
    make_customer(name="Tidligere", since=dt.date(2020, 1, 1), status="former")
    assert _points(kpi) == [("share:2027-06-30", TODAY, 50, "derived")]

    contact_log(customer=late, date=TODAY, today=TODAY, now=timezone.now())
    assert _points(kpi) == [("share:2027-06-30", TODAY, 100, "derived")]

    derived_refresh(organisation=late.organisation, today=dt.date(2027, 7, 1))
    assert [p[0] for p in _points(kpi)] == ["share:2027-06-30", "share:2027-07-01"]


def test_held_advisory_meetings_are_counted(derived_kpi, make_customer):
    kpi = derived_kpi("advisory_meetings")
    customer = make_customer(since=dt.date(2026, 1, 1))

    meeting = advisory_hold(
        customer=customer, date=dt.date(2027, 5, 3), today=TODAY, now=timezone.now()
    )

    assert _points(kpi) == [(f"advisory:{meeting.pk}", dt.date(2027, 5, 3), 1, "derived")]


def test_refreshing_again_changes_nothing(derived_kpi, make_customer):
    kpi = derived_kpi("new_customers")
    make_customer(since=dt.date(2027, 2, 1))
    before = list(CheckIn.objects.filter(kpi=kpi).values_list("pk", flat=True))

    assert derived_refresh(organisation=kpi.organisation, today=TODAY) == 0
    assert derived_refresh_all(today=TODAY) == 0

    assert list(CheckIn.objects.filter(kpi=kpi).values_list("pk", flat=True)) == before


def test_an_unknown_kind_is_refused(org, make_kpi):
    with pytest.raises(InputError) as refused:
        derived_kpi_set(kpi=make_kpi(), kind="magic", today=TODAY)

    assert refused.value.code == "invalid_choice"


def test_only_the_organisations_own_register_feeds_its_kpis(derived_kpi, make_customer, other_org):
    kpi = derived_kpi("new_customers")
    make_customer(organisation=other_org, since=dt.date(2027, 2, 1))

    assert _points(kpi) == []
