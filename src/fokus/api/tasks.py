"""Periodic housekeeping of the API (Huey): forget idempotency keys older than 24 hours."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fokus.api.idempotency import idempotency_purge


@db_periodic_task(crontab(minute="7"))
def purge_idempotency_keys() -> int:
    return idempotency_purge(now=timezone.now())
