"""Periodic housekeeping of the data area (Huey): forget idempotency keys older than
24 hours and uploads nobody finished importing."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fokus.api.idempotency import idempotency_purge
from fokus.dataio.services import import_jobs_purge


@db_periodic_task(crontab(minute="7"))
def purge_data_leftovers() -> int:
    now = timezone.now()
    return idempotency_purge(now=now) + import_jobs_purge(now=now)
