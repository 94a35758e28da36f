"""The scan raises one alert per episode of each condition and resolves it when the
condition clears."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fokus.alerts.models import (
    Alert,
    AlertKind,
    AlertState,
    Delivery,
    Event,
    Resolution,
    WebhookEndpoint,
)
from fokus.alerts.services import alerts_sync, customer_alerts_refresh
from fokus.customers.advisory import advisory_offer
from fokus.customers.monitors import monitor_create, monitor_reading
from fokus.customers.services import contact_log, customer_snooze
from fokus.customers.tasks import refresh_derived_kpis
from fokus.kpis.services import checkin_record
from tests.helpers import NOW, TODAY

pytestmark = pytest.mark.django_db


def sync(org, today=TODAY, now=NOW):
    return alerts_sync(organisation=org, today=today, now=now)


def alerts(org, kind=None):
    queryset = Alert.objects.filter(organisation=org).order_by("id")
    return list(queryset.filter(kind=kind) if kind else queryset)


def test_an_overdue_customer_raises_one_alert_however_often_the_scan_runs(org, overdue_customer):
    first = sync(org)
    second = sync(org)

    [alert] = alerts(org, AlertKind.CUSTOMER_OVERDUE)
    assert first.raised == [alert.pk] and second.raised == []
    assert alert.customer == overdue_customer and alert.episode == 1
    assert alert.state == AlertState.OPEN and alert.subject_key == f"customer:{overdue_customer.pk}"
    assert alert.data["due"] == "2027-04-01"
    assert Delivery.objects.filter(alert=alert, channel="in_app").count() == 1


def test_logging_a_contact_resolves_the_alert_at_the_next_scan(org, overdue_customer):
    sync(org)
    contact_log(customer=overdue_customer, date=TODAY, today=TODAY, now=timezone.now())
    result = sync(org)

    [alert] = alerts(org)
    assert result.resolved == [alert.pk]
    assert alert.state == AlertState.RESOLVED and alert.resolution == Resolution.CLEARED
    assert alert.resolved_at == NOW


def test_overdue_again_after_a_resolved_episode_is_a_new_alert(org, overdue_customer):
    sync(org)
    contact_log(customer=overdue_customer, date=TODAY, today=TODAY, now=timezone.now())
    sync(org)
    later = dt.date(2027, 10, 1)  # due again 30 September
    sync(org, today=later)

    first, second = alerts(org)
    assert (first.episode, first.state) == (1, AlertState.RESOLVED)
    assert (second.episode, second.state) == (2, AlertState.OPEN)
    assert second.data["due"] == "2027-09-30"


def test_due_soon_former_and_snoozed_customers_raise_no_alert(org, make_customer):
    make_customer(name="Snart", since=dt.date(2027, 4, 10))  # due 10 July: due soon
    make_customer(name="Tidligere", status="former")
    snoozed = make_customer(name="Udsat")
    customer_snooze(customer=snoozed, until=dt.date(2027, 7, 15), reason="Ferie", today=TODAY)

    sync(org)
    assert alerts(org) == []

    sync(org, today=dt.date(2027, 7, 15))
    assert {a.customer.name for a in alerts(org)} == {"Snart", "Udsat"}


def test_a_customer_snoozed_on_its_page_keeps_its_alert_quiet_until_the_snooze_ends(
    org, alice, overdue_customer
):
    """Snoozed until a date ⇒ not alerted before that date: the open alert is snoozed with
    the customer, kept (nobody contacted the customer) and back on the date itself."""
    WebhookEndpoint.objects.create(organisation=org, url="https://hooks.example.com/fokus")
    sync(org)
    customer_snooze(
        customer=overdue_customer,
        until=dt.date(2027, 7, 15),
        reason="Ferie",
        user=alice,
        today=TODAY,
    )
    [alert] = alerts(org)
    assert (alert.snoozed_until, alert.snooze_reason, alert.snoozed_by) == (
        dt.date(2027, 7, 15),
        "Ferie",
        alice,
    )

    for day in (TODAY, dt.date(2027, 7, 14), dt.date(2027, 7, 15)):
        result = sync(org, today=day)
        assert (result.raised, result.resolved) == ([], [])
    [alert] = alerts(org)
    assert alert.state == AlertState.OPEN and alert.episode == 1
    assert not Delivery.objects.filter(alert=alert, event=Event.RESOLVED).exists()

    contact_log(
        customer=overdue_customer,
        date=dt.date(2027, 7, 15),
        today=dt.date(2027, 7, 15),
        now=timezone.now(),
    )
    assert sync(org, today=dt.date(2027, 7, 15)).resolved == [alert.pk]
    assert Delivery.objects.filter(alert=alert, event=Event.RESOLVED).count() == 1


def test_alerts_stay_in_their_organisation(org, other_org, make_customer):
    make_customer(name="Acme-kunde")
    make_customer(name="Anden kunde", organisation=other_org)

    sync(org)

    assert [a.customer.name for a in alerts(org)] == ["Acme-kunde"]
    assert alerts(other_org) == []


def _checkins(kpi, values):
    for date, value in values.items():
        checkin_record(kpi=kpi, date=date, value=Decimal(value))


def test_a_kpi_that_falls_behind_is_at_risk_then_off_track_then_back_on_track(org, make_kpi):
    # Plan by 30 June: 181 of 365. 155 is a pace of 0.86 (at risk).
    kpi = make_kpi(name="Nye læsere", target=Decimal(365))
    _checkins(kpi, {dt.date(2027, 6, 1): 155})
    sync(org)
    [at_risk] = alerts(org, AlertKind.KPI_AT_RISK)
    assert at_risk.kpi == kpi and at_risk.data["status"] == "at_risk"

    # By 31 July the plan is 212: still 155 is a pace of 0.73 (off track).
    sync(org, today=dt.date(2027, 7, 31))
    at_risk.refresh_from_db()
    assert at_risk.state == AlertState.RESOLVED
    [off_track] = alerts(org, AlertKind.KPI_OFF_TRACK)
    assert off_track.state == AlertState.OPEN

    _checkins(kpi, {dt.date(2027, 7, 31): 60})
    sync(org, today=dt.date(2027, 7, 31))
    off_track.refresh_from_db()
    assert off_track.state == AlertState.RESOLVED


def test_a_weekly_kpi_without_a_check_in_for_a_week_raises_a_check_in_alert(org, make_kpi):
    kpi = make_kpi(name="Opkald", target=Decimal(100), cadence="weekly")
    _checkins(kpi, {dt.date(2027, 6, 20): 50})

    sync(org, today=dt.date(2027, 6, 27))  # due 27 June: not yet overdue
    assert alerts(org, AlertKind.CHECKIN_OVERDUE) == []

    sync(org, today=dt.date(2027, 6, 28))
    [alert] = alerts(org, AlertKind.CHECKIN_OVERDUE)
    assert alert.data["since"] == "2027-06-20" and alert.data["due"] == "2027-06-27"

    _checkins(kpi, {dt.date(2027, 6, 28): 3})
    sync(org, today=dt.date(2027, 6, 28))
    alert.refresh_from_db()
    assert alert.state == AlertState.RESOLVED


def test_a_monthly_kpi_counts_a_calendar_month_from_its_start(org, make_kpi):
    make_kpi(name="Nyhedsbrev", target=Decimal(10), cadence="monthly")

    sync(org, today=dt.date(2027, 2, 1))  # due 1 February
    assert alerts(org, AlertKind.CHECKIN_OVERDUE) == []
    sync(org, today=dt.date(2027, 2, 2))
    assert len(alerts(org, AlertKind.CHECKIN_OVERDUE)) == 1


def test_a_period_end_raises_one_notice_with_its_verdict(org, make_kpi):
    kpi = make_kpi(name="Forår", start=dt.date(2027, 1, 1), end=dt.date(2027, 6, 15))
    _checkins(kpi, {dt.date(2027, 3, 1): 4})

    sync(org)
    sync(org)
    [notice] = alerts(org, AlertKind.PERIOD_ENDED)
    assert notice.data == {"name": "Forår", "end": "2027-06-15", "verdict": "missed"}
    assert alerts(org, AlertKind.KPI_OFF_TRACK) == []

    # 30 days after the end it leaves by itself, and it is never raised again.
    sync(org, today=dt.date(2027, 7, 16))
    notice.refresh_from_db()
    assert notice.state == AlertState.RESOLVED
    sync(org, today=dt.date(2027, 7, 1))
    assert len(alerts(org, AlertKind.PERIOD_ENDED)) == 1


def test_an_advisory_meeting_coming_due_raises_an_alert_until_it_is_offered(org, make_customer):
    customer = make_customer(name="Tømreren", since=dt.date(2026, 7, 15))  # due 15 July 2027

    sync(org)
    [alert] = alerts(org, AlertKind.ADVISORY_DUE)
    assert alert.customer == customer and alert.data["due"] == "2027-07-15"

    advisory_offer(customer=customer, date=TODAY, now=timezone.now())
    sync(org)
    alert.refresh_from_db()
    assert alert.state == AlertState.RESOLVED


def test_a_monitor_below_its_limit_is_breached_and_without_readings_is_stale(org, make_customer):
    customer = make_customer(name="Webshoppen")
    monitor = monitor_create(
        customer=customer,
        name="Oppetid",
        target=Decimal(100),
        lower=Decimal(99),
        upper=None,
        cadence_days=7,
        start=dt.date(2027, 6, 1),
        end=dt.date(2027, 12, 31),
        today=dt.date(2027, 6, 1),
    )
    monitor_reading(monitor=monitor, date=dt.date(2027, 6, 28), value=Decimal("97.5"))

    sync(org)
    [breached] = alerts(org, AlertKind.MONITOR_BREACHED)
    assert breached.subject_key == f"monitor:{monitor.pk}" and breached.customer == customer
    assert breached.data["name"] == "Oppetid" and breached.data["customer"] == "Webshoppen"

    sync(org, today=dt.date(2027, 7, 10))  # no reading for 12 days
    breached.refresh_from_db()
    assert breached.state == AlertState.RESOLVED
    [stale] = alerts(org, AlertKind.MONITOR_STALE)
    assert stale.state == AlertState.OPEN


def test_a_contact_logged_on_the_customer_page_can_resolve_the_alert_at_once(org, overdue_customer):
    sync(org)
    assert customer_alerts_refresh(customer=overdue_customer, today=TODAY, now=NOW) == []
    contact_log(customer=overdue_customer, date=TODAY, today=TODAY, now=timezone.now())

    [pk] = customer_alerts_refresh(customer=overdue_customer, today=TODAY, now=NOW)
    assert Alert.objects.get(pk=pk).state == AlertState.RESOLVED


def test_logging_a_contact_resolves_the_overdue_alert_as_soon_as_it_is_stored(
    org, overdue_customer, django_capture_on_commit_callbacks
):
    sync(org)
    with django_capture_on_commit_callbacks(execute=True):
        contact_log(customer=overdue_customer, date=TODAY, today=TODAY, now=timezone.now())

    [alert] = alerts(org, AlertKind.CUSTOMER_OVERDUE)
    assert alert.state == AlertState.RESOLVED and alert.resolution == Resolution.CLEARED


def test_the_worker_refreshes_derived_kpis_daily():
    task = refresh_derived_kpis.s()
    assert task.validate_datetime(dt.datetime(2027, 6, 30, 2, 10))
    assert not task.validate_datetime(dt.datetime(2027, 6, 30, 3, 10))
