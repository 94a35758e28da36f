from __future__ import annotations

from django.http import HttpRequest

from fokus.accounts.errors import AccountError
from fokus.accounts.models import Invitation, Membership, Organisation, User
from fokus.errors import NotFound

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
    if slug:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise NotFound("unknown_organisation", slug=slug)
        return organisation
    organisations = list(Organisation.objects.order_by("id")[:2])
    if not organisations:
        raise AccountError("no_organisation")
    if len(organisations) > 1:
        raise AccountError("several_organisations")
    return organisations[0]


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def members_of(organisation: Organisation) -> list[Membership]:
    """The organisation's members with their users, owners first."""
    order = {"owner": 0, "admin": 1, "member": 2, "viewer": 3}
    members = list(Membership.objects.filter(organisation=organisation).select_related("user"))
    members.sort(key=lambda m: (order.get(m.role, 9), m.user.email))
    return members


def membership_get(*, organisation: Organisation, pk: int) -> Membership | None:
    return (
        Membership.objects.select_related("user", "organisation")
        .filter(organisation=organisation, pk=pk)
        .first()
    )


def invitations_open(organisation: Organisation) -> list[Invitation]:
    """Invitations not yet accepted or revoked, newest first (expired ones included)."""
    return list(
        Invitation.objects.filter(
            organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True
        ).select_related("invited_by")
    )


def invitation_get(*, organisation: Organisation, pk: int) -> Invitation | None:
    return Invitation.objects.filter(organisation=organisation, pk=pk).first()
