"""Members and roles: managers change roles and remove members; an organisation always
keeps an owner; only managers reach these pages (checked on the server)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fokus.accounts.models import Membership, User
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_owner_sees_the_members_with_their_roles(alice_client, alice, bob, vera):
    content = alice_client.get("/settings/members/").content.decode()

    for email in ("alice@example.com", "bob@example.com", "vera@example.com"):
        assert email in content


def test_the_members_page_runs_the_same_number_of_queries_for_3_and_30_members(alice_client, org):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get("/settings/members/").status_code == 200
        return len(queries)

    few = count()
    for n in range(27):
        user = User.objects.create_user(f"user{n}@example.com", PASSWORD)
        Membership.objects.create(organisation=org, user=user, role="member")

    assert count() == few


def test_an_owner_makes_a_member_a_viewer(alice_client, bob):
    membership = bob.memberships.get()

    response = alice_client.post(f"/settings/members/{membership.pk}/role/", {"role": "viewer"})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "viewer"


def test_the_last_owner_cannot_step_down(alice_client, alice):
    membership = alice.memberships.get()

    response = alice_client.post(
        f"/settings/members/{membership.pk}/role/",
        {"role": "member"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    membership.refresh_from_db()
    assert membership.role == "owner"
    assert "at least one owner" in response.content.decode()


def test_an_admin_cannot_touch_an_owner(client, org, alice):
    admin = User.objects.create_user("ada@example.com", PASSWORD)
    Membership.objects.create(organisation=org, user=admin, role="admin")
    client.force_login(admin)
    owner = alice.memberships.get()

    client.post(f"/settings/members/{owner.pk}/role/", {"role": "viewer"})
    client.post(f"/settings/members/{owner.pk}/remove/")

    owner.refresh_from_db()
    assert owner.role == "owner"


def test_an_owner_removes_a_member(alice_client, bob):
    response = alice_client.post(f"/settings/members/{bob.memberships.get().pk}/remove/")

    assert response.status_code == 302
    assert not bob.memberships.exists()


@pytest.mark.parametrize("who", ["bob", "vera"])
def test_members_and_viewers_cannot_change_roles(client, request, alice, who):
    client.force_login(request.getfixturevalue(who))
    owner = alice.memberships.get()

    assert client.get("/settings/members/").status_code == 403
    assert client.post(f"/settings/members/{owner.pk}/remove/").status_code == 403
    assert owner.__class__.objects.filter(pk=owner.pk).exists()


def test_an_outsider_cannot_reach_another_organisations_member(charlie_client, alice):
    owner = alice.memberships.get()

    removed = charlie_client.post(f"/settings/members/{owner.pk}/remove/")
    changed = charlie_client.post(f"/settings/members/{owner.pk}/role/", {"role": "viewer"})

    assert (removed.status_code, changed.status_code) == (404, 404)
