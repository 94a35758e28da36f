"""Members and roles: managers change roles and remove members; an organisation always
keeps an owner; only managers reach these pages (checked on the server)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fokus.accounts.models import Membership, User
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_owner_sees_the_members_with_their_roles(client, alice, bob, vera):
    client.force_login(alice)

    content = client.get("/settings/members/").content.decode()

    for email in ("alice@example.com", "bob@example.com", "vera@example.com"):
        assert email in content


def test_the_members_page_runs_the_same_number_of_queries_for_3_and_30_members(client, org, alice):
    client.force_login(alice)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/settings/members/").status_code == 200
        return len(queries)

    few = count()
    for n in range(27):
        user = User.objects.create_user(f"user{n}@example.com", PASSWORD)
        Membership.objects.create(organisation=org, user=user, role="member")

    assert count() == few


def test_an_owner_makes_a_member_a_viewer(client, alice, bob):
    client.force_login(alice)
    membership = bob.memberships.get()

    response = client.post(f"/settings/members/{membership.pk}/role/", {"role": "viewer"})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "viewer"


def test_the_last_owner_cannot_step_down(client, alice):
    client.force_login(alice)
    membership = alice.memberships.get()

    response = client.post(
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


def test_an_owner_removes_a_member(client, alice, bob):
    client.force_login(alice)

    response = client.post(f"/settings/members/{bob.memberships.get().pk}/remove/")

    assert response.status_code == 302
    assert not bob.memberships.exists()


@pytest.mark.parametrize("who", ["bob", "vera"])
def test_members_and_viewers_cannot_change_roles(client, request, alice, who):
    client.force_login(request.getfixturevalue(who))
    owner = alice.memberships.get()

    assert client.get("/settings/members/").status_code == 403
    assert client.post(f"/settings/members/{owner.pk}/remove/").status_code == 403
    assert owner.__class__.objects.filter(pk=owner.pk).exists()


def test_an_outsider_cannot_reach_another_organisations_member(client, alice, charlie):
    client.force_login(charlie)
    owner = alice.memberships.get()

    assert client.post(f"/settings/members/{owner.pk}/remove/").status_code == 404
    assert client.post(f"/settings/members/{owner.pk}/role/", {"role": "viewer"}).status_code == 404
