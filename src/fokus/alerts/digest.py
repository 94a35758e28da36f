"""The daily e-mail digest: who gets one, which alerts it lists, and the message itself
in the recipient's language with signed one-click "log contact" links."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fokus.accounts.models import Membership, Organisation, Role, User
from fokus.alerts import describe
from fokus.alerts.errors import AlertError
from fokus.alerts.models import (
    Alert,
    AlertKind,
    AlertState,
    Channel,
    Delivery,
    Digest,
    Event,
    NotificationPreference,
)
from fokus.customers.models import ContactKind

LINK_SALT = "fokus.alerts.log-contact"
LINK_MAX_AGE = dt.timedelta(days=14)
# The hour of the organisation's day from which its digests go out.
DIGEST_HOUR = 7


# --- Signed one-click links --------------------------------------------------------------


@dataclass(frozen=True)
class ContactLink:
    alert_id: int
    customer_id: int
    user_id: int
    kind: str


def contact_link_token(*, alert: Alert, user: User, kind: str = ContactKind.CALL) -> str:
    """A signed, expiring token that logs a contact with the alert's customer, once."""
    payload = {"a": alert.pk, "c": alert.customer_id, "u": user.pk, "k": kind}
    return signing.dumps(payload, salt=LINK_SALT, compress=True)


def contact_link_load(token: str) -> ContactLink:
    try:
        data: Any = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
        link = ContactLink(
            alert_id=int(data["a"]),
            customer_id=int(data["c"]),
            user_id=int(data["u"]),
            kind=str(data["k"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise AlertError("link_invalid") from None
    if link.kind not in ContactKind.values:
        raise AlertError("link_invalid")
    return link


def contact_link_url(*, alert: Alert, user: User, kind: str) -> str:
    token = contact_link_token(alert=alert, user=user, kind=kind)
    return settings.BASE_URL + reverse("alerts:contact_link", args=[token])


# --- Who gets a digest, and with what ----------------------------------------------------


def digest_recipients(organisation: Organisation) -> list[tuple[User, Membership]]:
    """Active members who want the digest: by their setting, else all but viewers."""
    chosen = dict(
        NotificationPreference.objects.filter(organisation=organisation).values_list(
            "user_id", "email_digest"
        )
    )
    memberships = (
        Membership.objects.filter(organisation=organisation, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    return [
        (m.user, m)
        for m in memberships
        if chosen.get(m.user_id, m.role != Role.VIEWER) and m.user.email
    ]


def open_alerts(organisation: Organisation, today: dt.date) -> QuerySet[Alert]:
    """Open alerts nobody has acknowledged, and not snoozed past ``today``."""
    return (
        Alert.objects.filter(organisation=organisation, state=AlertState.OPEN)
        .filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=today))
        .select_related("customer", "kpi")
        .order_by("kind", "raised_at", "id")
    )


def digests_create(*, organisation: Organisation, today: dt.date, now: dt.datetime) -> list[Digest]:
    """Today's digest for each recipient, when there is anything open: one per member and
    day whoever runs this, each with its e-mail delivery row."""
    alert_ids = list(open_alerts(organisation, today).values_list("pk", flat=True))
    if not alert_ids:
        return []
    created = []
    for user, _membership in digest_recipients(organisation):
        try:
            with transaction.atomic():
                digest = Digest.objects.create(
                    organisation=organisation, user=user, date=today, created_at=now
                )
                digest.alerts.add(*alert_ids)
                Delivery.objects.create(
                    organisation=organisation,
                    key=f"digest:{digest.pk}:{Channel.EMAIL}:user:{user.pk}",
                    event=Event.DIGEST,
                    channel=Channel.EMAIL,
                    digest=digest,
                    user=user,
                    created_at=now,
                    next_attempt_at=now,
                )
        except IntegrityError:
            continue
        created.append(digest)
    return created


def digest_due(organisation: Organisation, now: dt.datetime) -> dt.date | None:
    """The organisation's date when its digest hour has come, else None."""
    from zoneinfo import ZoneInfo

    local = now.astimezone(ZoneInfo(organisation.time_zone))
    return local.date() if local.hour >= DIGEST_HOUR else None


# --- The message ----------------------------------------------------------------------------


def _language(user: User) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return user.language if user.language in codes else settings.LANGUAGE_CODE


def digest_message(
    digest: Digest, *, today: dt.date, connection: Any = None
) -> EmailMultiAlternatives | None:
    """The digest e-mail (subject, text and HTML) in the recipient's language; None when
    every alert it listed has been dealt with since."""
    user = digest.user
    alerts = sorted(
        digest.alerts.filter(state=AlertState.OPEN)
        .filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=today))
        .select_related("customer", "kpi"),
        key=lambda a: (describe.KIND_ORDER.get(a.kind, 99), a.raised_at, a.pk),
    )
    if not alerts:
        return None
    membership = Membership.objects.filter(
        organisation_id=digest.organisation_id, user=user
    ).first()
    can_edit = membership is not None and membership.can_edit
    with translation.override(_language(user)):
        items = [_item(alert, user, today, can_edit) for alert in alerts]
        context = {
            "organisation": digest.organisation,
            "user": user,
            "date": digest.date,
            "items": items,
            "count": len(items),
            "inbox_url": settings.BASE_URL + reverse("alerts:inbox"),
            "link_days": LINK_MAX_AGE.days,
        }
        subject = ngettext(
            "Fokus: %(count)s open alert for %(organisation)s",
            "Fokus: %(count)s open alerts for %(organisation)s",
            len(items),
        ) % {"count": len(items), "organisation": digest.organisation.name}
        text = render_to_string("alerts/email/digest.txt", context)
        html = render_to_string("alerts/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
    )
    message.attach_alternative(html, "text/html")
    return message


def _item(alert: Alert, user: User, today: dt.date, can_edit: bool) -> dict[str, Any]:
    links = []
    if can_edit and alert.kind == AlertKind.CUSTOMER_OVERDUE and alert.customer_id is not None:
        links = [
            (_("Log a call"), contact_link_url(alert=alert, user=user, kind=ContactKind.CALL)),
            (_("Log an e-mail"), contact_link_url(alert=alert, user=user, kind=ContactKind.EMAIL)),
        ]
    return {
        "alert": alert,
        "kind": alert.get_kind_display(),
        "title": describe.title(alert),
        "detail": describe.detail(alert, today),
        "links": links,
    }
