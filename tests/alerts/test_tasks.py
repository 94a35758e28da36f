"""The worker's periodic tasks (Huey runs them in-process in the tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from fokus.alerts import tasks
from fokus.alerts.models import Alert, Delivery, Digest

pytestmark = pytest.mark.django_db


def runs_at(task, at: dt.datetime) -> bool:
    return bool(task.s().validate_datetime(at))


def test_the_worker_scans_every_15_minutes_and_delivers_every_minute():
    at = dt.datetime(2027, 6, 30, 7, 15)
    assert runs_at(tasks.scan_alerts, at) and not runs_at(tasks.scan_alerts, at.replace(minute=16))
    assert runs_at(tasks.deliver_alerts, at.replace(minute=16))
    assert runs_at(tasks.create_digests, at.replace(minute=45))


def test_scan_then_deliver_as_the_worker_does(org, overdue_customer, alice, today):
    # The tasks read the clock: at 14:00 in Copenhagen today's digest is due (after 07:00).
    tasks.scan_alerts()
    tasks.create_digests()
    tasks.deliver_alerts()

    assert Alert.objects.count() == 1 and Digest.objects.count() == 1
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}


def test_the_digest_waits_for_seven_oclock_in_the_organisations_time_zone(
    org, overdue_customer, alice, time_machine
):
    # The hour is what this test is about: the clock is set just before and at 07:00.
    time_machine.move_to(dt.datetime(2027, 6, 30, 4, 59, tzinfo=dt.UTC), tick=False)  # 06:59
    tasks.scan_alerts()
    tasks.create_digests()
    assert Digest.objects.count() == 0

    time_machine.move_to(dt.datetime(2027, 6, 30, 5, 0, tzinfo=dt.UTC), tick=False)  # 07:00
    tasks.create_digests()
    tasks.create_digests()
    assert list(Digest.objects.values_list("date", flat=True)) == [dt.date(2027, 6, 30)]
