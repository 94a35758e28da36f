"""Periodic tasks of the customer register (Huey)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fokus.customers.derived import derived_refresh_all


@db_periodic_task(crontab(hour="2", minute="10"))
def refresh_derived_kpis() -> int:
    """A daily value for the derived KPIs (the contacted share moves with the calendar
    even on days when nobody touches the register)."""
    return derived_refresh_all(today=timezone.localdate())
