"""Invitations by e-mail: an owner invites, the invitee accepts once, with the role given."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from fokus.accounts.models import Invitation, Membership, User
from fokus.accounts.services import invitation_create
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def _link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/invite/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def test_an_owner_invites_a_new_user_who_joins_with_a_password(alice_client, org, smtp_server):
    response = alice_client.post(
        "/settings/members/invite/", {"email": "nina@example.com", "role": "member"}
    )
    assert response.status_code == 302
    assert smtp_server.messages[0]["To"] == "nina@example.com"
    assert smtp_server.messages[0]["Subject"] == "Invitation til Acme ApS på Fokus"
    link = _link(smtp_server.body())
    alice_client.post("/logout/")

    response = alice_client.post(
        link, {"password1": "nina's long password", "password2": "nina's long password"}
    )

    assert response.status_code == 302
    membership = Membership.objects.get(user__email="nina@example.com")
    assert (membership.organisation, membership.role) == (org, "member")
    assert alice_client.get("/").status_code == 200  # logged in as nina
    assert alice_client.get(link).status_code == 404  # the link works once


def test_an_existing_user_accepts_while_logged_in(client, alice, charlie, other_org, smtp_server):
    client.force_login(alice)
    client.post("/settings/members/invite/", {"email": "charlie@example.com", "role": "viewer"})
    link = _link(smtp_server.body())
    client.force_login(charlie)

    response = client.post(link)

    assert response.status_code == 302
    assert Membership.objects.get(user=charlie, organisation__name="Acme ApS").role == "viewer"


def test_another_logged_in_user_cannot_take_the_invitation(client, alice, charlie, smtp_server):
    client.force_login(alice)
    client.post("/settings/members/invite/", {"email": "nina@example.com", "role": "admin"})
    link = _link(smtp_server.body())
    client.force_login(charlie)

    response = client.post(link, HTTP_ACCEPT_LANGUAGE="en")

    assert "This invitation is for nina@example.com" in response.content.decode()
    assert not charlie.memberships.filter(organisation__name="Acme ApS").exists()


def test_an_expired_invitation_is_refused(client, alice, org, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    membership = alice.memberships.get()
    _invitation, raw = invitation_create(
        organisation=org,
        email="late@example.com",
        role="member",
        invited_by=membership,
        link_base="http://testserver",
        now=timezone.now() - dt.timedelta(days=15),
    )

    response = client.get(f"/invite/{raw}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert "expired" in response.content.decode()


def test_inviting_a_member_again_is_refused_at_the_field(alice_client, bob, smtp_server):
    response = alice_client.post(
        "/settings/members/invite/",
        {"email": "bob@example.com", "role": "member"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "bob@example.com is already a member" in response.content.decode()
    assert smtp_server.messages == []


def test_an_smtp_failure_saves_no_invitation(client, alice, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    client.force_login(alice)

    response = client.post(
        "/settings/members/invite/",
        {"email": "nina@example.com", "role": "member"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "could not be sent" in response.content.decode()
    assert not Invitation.objects.exists()


def test_only_owners_invite_owners(client, org, alice, smtp_server):
    admin = User.objects.create_user("ada@example.com", PASSWORD)
    Membership.objects.create(organisation=org, user=admin, role="admin")
    client.force_login(admin)

    response = client.post("/settings/members/invite/", {"email": "x@example.com", "role": "owner"})

    assert response.status_code == 400
    assert smtp_server.messages == []


@pytest.mark.parametrize("who", ["bob", "vera"])
def test_members_and_viewers_cannot_invite(client, request, alice, who, smtp_server):
    client.force_login(request.getfixturevalue(who))

    response = client.post(
        "/settings/members/invite/", {"email": "x@example.com", "role": "member"}
    )

    assert response.status_code == 403
    assert smtp_server.messages == []


def test_an_outsiders_invitation_goes_to_their_own_organisation(charlie_client, org, smtp_server):
    charlie_client.post("/settings/members/invite/", {"email": "x@example.com", "role": "member"})

    assert Invitation.objects.get().organisation.name == "Other ApS"
    assert not Invitation.objects.filter(organisation=org).exists()
