"""Periodic housekeeping of the data area (Huey): forget uploads nobody finished
importing."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fokus.dataio.services import import_jobs_purge


@db_periodic_task(crontab(minute="7"))
def purge_data_leftovers() -> int:
    return import_jobs_purge(now=timezone.now())
