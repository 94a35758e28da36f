"""Periodic tasks of the background worker (Huey): scan every 15 minutes, send every
minute, and create each organisation's daily digests from 07:00 its local time (checked
every 15 minutes, so a worker that was down catches up; a digest goes out once a day)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fokus.alerts.delivery import deliver_due
from fokus.alerts.runner import digests_all, scan_all


@db_periodic_task(crontab(minute="*/15"))
def scan_alerts() -> int:
    result = scan_all(now=timezone.now())
    return len(result.raised) + len(result.resolved)


@db_periodic_task(crontab(minute="*"))
def deliver_alerts() -> int:
    return deliver_due(now=timezone.now()).sent


@db_periodic_task(crontab(minute="*/15"))
def create_digests() -> int:
    return digests_all(now=timezone.now())
