"""The review e-mail at the end of each quarter (the year's review after K4): verdicts,
what moved, the bottleneck and the proposed KPIs, to every member in their language,
once per member and period."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from fokus.accounts.models import Membership, Organisation, User
from fokus.core.periods import Period
from fokus.plans.models import ReviewMail
from fokus.plans.review import PlanReview, plan_review, review_period

log = logging.getLogger(__name__)

# A review goes out on the first run after its period ends; a worker that was down
# catches up for this many days, then that review is skipped.
CATCH_UP_DAYS = 7


def language_of(user: User) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return user.language if user.language in codes else settings.LANGUAGE_CODE


def review_url(period: Period) -> str:
    return f"{settings.BASE_URL}{reverse('review')}?{urlencode({'period': period.label})}"


def review_message(
    *, review: PlanReview, user: User, connection: Any = None
) -> EmailMultiAlternatives:
    """The review e-mail (text and HTML) in the active language."""
    context = {
        "review": review,
        "user": user,
        "url": review_url(review.period),
        "pdf_url": f"{settings.BASE_URL}{reverse('review_pdf')}?"
        + urlencode({"period": review.period.label}),
    }
    subject = _("Fokus: review of %(period)s for %(organisation)s") % {
        "period": review.label,
        "organisation": review.organisation.name,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("plans/email/review.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
    )
    message.attach_alternative(render_to_string("plans/email/review.html", context), "text/html")
    return message


def _recipients(organisation: Organisation) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(organisation=organisation, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    ]


def review_mails_send(
    *, organisation: Organisation, period: Period, today: dt.date, now: dt.datetime
) -> int:
    """Send the review of ``period`` to every member who has not had it; returns how many
    were sent. A member's row is written before the send and removed when the send fails,
    so a later run tries again and nobody gets it twice."""
    pending = [
        user
        for user in _recipients(organisation)
        if not ReviewMail.objects.filter(
            organisation=organisation, user=user, period_start=period.start, period_end=period.end
        ).exists()
    ]
    by_language: dict[str, list[User]] = defaultdict(list)
    for user in pending:
        by_language[language_of(user)].append(user)
    sent = 0
    connection = get_connection()
    for language, users in sorted(by_language.items()):
        with translation.override(language):
            review = plan_review(organisation=organisation, period=period, today=today)
            for user in users:
                sent += _send_one(review, user, now, connection)
    return sent


def _send_one(review: PlanReview, user: User, now: dt.datetime, connection: Any) -> int:
    try:
        with transaction.atomic():
            claim = ReviewMail.objects.create(
                organisation=review.organisation,
                user=user,
                period_start=review.period.start,
                period_end=review.period.end,
                sent_at=now,
            )
    except IntegrityError:
        return 0  # another worker claimed it
    try:
        review_message(review=review, user=user, connection=connection).send()
    except Exception:  # SMTP down, refused recipient: try again on a later run
        log.warning("The review e-mail to %s could not be sent", user.email, exc_info=True)
        claim.delete()
        return 0
    return 1


def local_today(organisation: Organisation, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(organisation.time_zone)).date()


def review_due(today: dt.date) -> Period | None:
    """The period whose review is due on ``today``: the last ended quarter (the year after
    K4), within the catch-up days after its end."""
    period = review_period(today)
    if period.end < today and (today - period.end).days <= CATCH_UP_DAYS:
        return period
    return None


def review_mails_all(*, now: dt.datetime) -> int:
    """The worker's run: every organisation whose review is due gets it sent."""
    sent = 0
    for organisation in Organisation.objects.order_by("pk"):
        today = local_today(organisation, now)
        period = review_due(today)
        if period is not None:
            sent += review_mails_send(
                organisation=organisation, period=period, today=today, now=now
            )
    return sent
