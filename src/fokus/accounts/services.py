"""State changes of organisations, users, memberships and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from fokus.accounts.errors import AccountError
from fokus.accounts.models import ApiToken, Membership, Organisation, Role, User
from fokus.text import danish_slugify

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


def token_authenticate(raw: str) -> ApiToken | None:
    token = (
        ApiToken.objects.select_related("user", "organisation")
        .filter(token_hash=_hash(raw.strip()), revoked_at__isnull=True)
        .first()
    )
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
