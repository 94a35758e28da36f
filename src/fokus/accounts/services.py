"""State changes of organisations, users, memberships and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import smtplib
from decimal import Decimal
from zoneinfo import available_timezones

from babel.core import Locale
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from fokus.accounts.errors import AccountError
from fokus.accounts.models import ApiToken, Invitation, Membership, Organisation, Role, User
from fokus.text import danish_slugify
from fokus.values import check_text

TOKEN_PREFIX = "fok_"


def organisation_create(*, name: str, slug: str | None = None) -> Organisation:
    base = danish_slugify(slug or name) or "org"
    candidate, n = base, 1
    while Organisation.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return Organisation.objects.create(name=name.strip(), slug=candidate)


@transaction.atomic
def user_create(
    *, email: str, password: str, organisation_name: str, role: str = Role.OWNER
) -> Membership:
    """A user with a membership of the named organisation (created when new)."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise AccountError("invalid_email", email=email) from None
    if not password:
        raise AccountError("empty_password")
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError("user_exists", email=email)
    organisation = Organisation.objects.filter(name=organisation_name.strip()).first()
    if organisation is None:
        organisation = organisation_create(name=organisation_name)
    user = User.objects.create_user(email, password)
    return Membership.objects.create(organisation=organisation, user=user, role=role)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user: User, organisation: Organisation, name: str = "") -> tuple[ApiToken, str]:
    """A new API token; the raw value is returned once and only its hash is kept."""
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise AccountError("not_member", email=user.email, organisation=organisation.name)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        organisation=organisation,
        name=name,
        prefix=raw[:12],
        token_hash=_hash(raw),
    )
    return token, raw


# "Last used" is shown to the minute: a token sending many requests a minute is written
# once a minute, not once per request (each write is a transaction of its own).
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def token_authenticate(raw: str, *, now: dt.datetime) -> ApiToken | None:
    """The live token with this raw value, with its user, organisation and the user's
    ``role`` there (one query); None when the token is unknown or revoked, or its user is
    no longer a member of its organisation."""
    # A token hash is unique: no ORDER BY (``first()`` would add one).
    found = list(
        ApiToken.objects.select_related("user", "organisation")
        .filter(
            token_hash=_hash(raw.strip()),
            revoked_at__isnull=True,
            user__memberships__organisation=F("organisation"),
        )
        .annotate(role=F("user__memberships__role"))
        .order_by()[:1]
    )
    token = found[0] if found else None
    stale = token is not None and (
        token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION
    )
    if token is not None and stale:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_revoke(*, token: ApiToken, now: dt.datetime) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)


# ---------------------------------------------------------------------------------------
# Organisation settings


def _text(value: str, field: str) -> str:
    return check_text(value, field=field).strip()


def organisation_update(
    *,
    organisation: Organisation,
    name: str,
    currency: str,
    time_zone: str,
    on_track_ratio: Decimal,
    at_risk_ratio: Decimal,
    default_contact_interval: int,
) -> Organisation:
    """Change the organisation's settings; all are checked before anything is saved."""
    name = _text(name, "name")
    if not name:
        raise AccountError("organisation_name_required", field="name")
    currency = _text(currency, "currency").upper()
    if len(currency) != 3 or currency not in Locale("en").currencies:
        raise AccountError("unknown_currency", field="currency", currency=currency)
    time_zone = _text(time_zone, "time_zone")
    if time_zone not in available_timezones():
        raise AccountError("unknown_time_zone", field="time_zone", zone=time_zone)
    if not Decimal(0) < at_risk_ratio <= on_track_ratio <= Decimal(1):
        raise AccountError("thresholds_invalid", field="at_risk_ratio")
    if not 1 <= default_contact_interval <= 36:
        raise AccountError("contact_interval_invalid", field="default_contact_interval")
    organisation.name = name
    organisation.currency = currency
    organisation.time_zone = time_zone
    organisation.on_track_ratio = on_track_ratio
    organisation.at_risk_ratio = at_risk_ratio
    organisation.default_contact_interval = default_contact_interval
    organisation.save(
        update_fields=[
            "name",
            "currency",
            "time_zone",
            "on_track_ratio",
            "at_risk_ratio",
            "default_contact_interval",
        ]
    )
    return organisation


def user_language_set(*, user: User, language: str) -> User:
    """Remember the user's UI language (also the language of e-mails to them)."""
    if language not in dict(settings.LANGUAGES):
        raise AccountError("unknown_language", field="language", language=language)
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


# ---------------------------------------------------------------------------------------
# Members and roles


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise AccountError("unknown_role", field="role", role=role)


def _owners_left(organisation: Organisation, without: Membership) -> int:
    return (
        Membership.objects.filter(organisation=organisation, role=Role.OWNER)
        .exclude(pk=without.pk)
        .count()
    )


@transaction.atomic
def member_role_change(*, membership: Membership, role: str, by: Membership) -> Membership:
    """Give a member another role. Only owners give or take the owner role, and the
    organisation always keeps an owner."""
    _check_role(role)
    if membership.role == role:
        return membership
    if Role.OWNER in (role, membership.role) and by.role != Role.OWNER:
        raise AccountError("owner_only", field="role")
    if membership.role == Role.OWNER and _owners_left(membership.organisation, membership) == 0:
        raise AccountError("last_owner", field="role")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, by: Membership) -> None:
    """Take a user out of the organisation (the user itself stays)."""
    if membership.role == Role.OWNER:
        if by.role != Role.OWNER:
            raise AccountError("owner_only", field="role")
        if _owners_left(membership.organisation, membership) == 0:
            raise AccountError("last_owner", field="role")
    membership.delete()


# ---------------------------------------------------------------------------------------
# Invitations by e-mail


def _send(*, subject: str, template: str, context: dict[str, object], to: str, lang: str) -> None:
    """Render an e-mail in the recipient's language and send it; a failure is an
    AccountError so the caller's transaction rolls back."""
    with translation.override(lang or settings.LANGUAGE_CODE):
        body = render_to_string(template, context)
        subject_text = str(subject)
    try:
        send_mail(subject_text, body, None, [to])
    except (OSError, smtplib.SMTPException) as exc:
        raise AccountError("email_failed", reason=str(exc) or type(exc).__name__) from exc


def _invitable(organisation: Organisation, email: str, role: str, invited_by: Membership) -> str:
    """The address to invite (trimmed, lower case), or an AccountError: not an e-mail
    address, not a role, the owner role given by someone who is no owner, or already a
    member."""
    email = _text(email, "email").lower()
    try:
        validate_email(email)
    except ValidationError:
        raise AccountError("invalid_email", field="email", email=email) from None
    _check_role(role)
    if role == Role.OWNER and invited_by.role != Role.OWNER:
        raise AccountError("owner_only", field="role")
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise AccountError(
            "already_member", field="email", email=email, organisation=organisation.name
        )
    return email


def _invitation_send(invitation: Invitation, raw: str, link_base: str) -> None:
    """The invitation's e-mail, in its language, with the link that accepts it."""
    organisation, language = invitation.organisation, invitation.language
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = _("Invitation to %(organisation)s on Fokus") % {"organisation": organisation.name}
        role_label = str(Role(invitation.role).label)
    _send(
        subject=subject,
        template="accounts/email/invitation.txt",
        context={
            "organisation": organisation,
            "inviter": invitation.invited_by,
            "role": role_label,
            "link": link_base.rstrip("/") + reverse("invitation_accept", args=[raw]),
            "days": settings.INVITATION_MAX_AGE // 86400,
        },
        to=invitation.email,
        lang=language,
    )


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    invited_by: Membership,
    link_base: str,
    language: str = "",
    now: dt.datetime,
) -> tuple[Invitation, str]:
    """Invite an e-mail address to the organisation with a role, and send the link.

    Returns the invitation and the raw token (only its hash is stored). An earlier open
    invitation of the same address is replaced.
    """
    email = _invitable(organisation, email, role, invited_by)
    Invitation.objects.filter(
        organisation=organisation,
        email=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    raw = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=_hash(raw),
        invited_by=invited_by.user,
        language=language,
        created_at=now,
    )
    _invitation_send(invitation, raw, link_base)
    return invitation, raw


def invitation_revoke(*, invitation: Invitation, now: dt.datetime) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(revoked_at=now)


def invitation_find(*, token: str, now: dt.datetime) -> Invitation:
    """The open invitation behind a link's token; AccountError when used, revoked,
    unknown or expired."""
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=_hash(token), accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        raise AccountError("invitation_invalid")
    if now - invitation.created_at > dt.timedelta(seconds=settings.INVITATION_MAX_AGE):
        raise AccountError("invitation_expired")
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, user: User | None, password: str | None = None, now: dt.datetime
) -> Membership:
    """Accept an invitation: as the logged-in user with the invited address, or as a new
    user with a password. Each link works once."""
    invitation = invitation_find(token=token, now=now)
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise AccountError("invitation_needs_login", email=invitation.email)
        if not password:
            raise AccountError("empty_password", field="password")
        user = User.objects.create_user(invitation.email, password, language=invitation.language)
    elif user.email.lower() != invitation.email.lower():
        raise AccountError("invitation_other_user", email=invitation.email)
    claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=now
    )
    if claimed != 1:
        raise AccountError("invitation_invalid")
    membership, _created = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    return membership
