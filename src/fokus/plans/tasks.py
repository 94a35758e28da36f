"""Periodic task of the background worker (Huey): the review e-mails after each quarter
(the year's review after K4), checked every hour so each organisation's own time zone
decides when its quarter has ended."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fokus.plans.mail import review_mails_all


@db_periodic_task(crontab(minute="20"))
def send_review_mails() -> int:
    return review_mails_all(now=timezone.now())
