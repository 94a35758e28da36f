from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils import timezone

from fokus.accounts.models import Membership, Organisation, User

SESSION_ORG_KEY = "fokus_org"


def membership_for_request(request: HttpRequest) -> Membership | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    memberships = Membership.objects.select_related("organisation").filter(user=user)
    chosen = request.session.get(SESSION_ORG_KEY)
    if chosen is not None:
        membership = memberships.filter(organisation_id=chosen).first()
        if membership is not None:
            return membership
    return memberships.order_by("organisation_id").first()


def organisation_for_cli(slug: str | None) -> Organisation:
    """The organisation a CLI command acts on: by slug, else the only one."""
    from fokus.accounts.errors import AccountError

    if slug:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise AccountError("unknown_organisation", slug=slug)
        return organisation
    organisations = list(Organisation.objects.order_by("id")[:2])
    if not organisations:
        raise AccountError("no_organisation")
    if len(organisations) > 1:
        raise AccountError("several_organisations")
    return organisations[0]


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def organisation_today(organisation: Organisation) -> date:
    """Today's date in the organisation's time zone (only the edges read the clock)."""
    return timezone.now().astimezone(ZoneInfo(organisation.time_zone)).date()
