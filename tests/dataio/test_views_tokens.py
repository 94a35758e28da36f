from __future__ import annotations

import hashlib
import re

import pytest

from fokus.accounts.models import ApiToken
from fokus.accounts.services import token_create
from tests.helpers import NOW

pytestmark = pytest.mark.django_db


def _token_row(client) -> list[str]:
    """The plain cells of the token list's one row, in English."""
    page = client.get("/data/tokens/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    [row] = re.findall(r"<tbody>.*?<tr>(.*?)</tr>", page, re.S)
    return re.findall(r"<td>([^<]*)</td>", row)


def test_a_new_token_is_shown_once_and_stored_hashed(alice_client, alice):
    response = alice_client.post("/data/tokens/", {"name": "Zapier"}, HTTP_ACCEPT_LANGUAGE="en")

    raw = re.search(r'value="(fok_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert (token.user, token.name) == (alice, "Zapier")
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert response["Cache-Control"] == "no-store"
    assert raw not in alice_client.get("/data/tokens/").content.decode()


def test_the_new_token_works_and_its_last_use_is_shown(alice_client, client):
    raw = re.search(
        r'value="(fok_[^"]+)"', alice_client.post("/data/tokens/", {"name": "x"}).content.decode()
    ).group(1)

    never_used = _token_row(alice_client)
    assert client.get("/api/v1/kpis", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    used = _token_row(alice_client)

    # Name, created, last used (the token cell is a <code>): used at the frozen 14:00.
    assert never_used == ["x", "06/30/2027 2 p.m.", "never"]
    assert used == ["x", "06/30/2027 2 p.m.", "06/30/2027 2 p.m."]


def test_revoking_a_token_stops_it(alice_client, client):
    raw = re.search(
        r'value="(fok_[^"]+)"', alice_client.post("/data/tokens/", {"name": "x"}).content.decode()
    ).group(1)
    token = ApiToken.objects.get()

    alice_client.post(f"/data/tokens/{token.pk}/revoke/")

    token.refresh_from_db()
    assert token.revoked_at == NOW
    assert client.get("/api/v1/kpis", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_nobody_sees_or_revokes_another_users_tokens(alice_client, client, bob, org):
    theirs, _raw = token_create(user=bob, organisation=org, name="Bobs")

    assert "Bobs" not in alice_client.get("/data/tokens/").content.decode()
    assert alice_client.post(f"/data/tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_token_list_takes_a_constant_number_of_queries(
    alice_client, alice, org, django_assert_max_num_queries
):
    token_create(user=alice, organisation=org)
    with django_assert_max_num_queries(20) as few:
        alice_client.get("/data/tokens/")
    for _ in range(30):
        token_create(user=alice, organisation=org)

    with django_assert_max_num_queries(len(few.captured_queries)):
        alice_client.get("/data/tokens/")


def test_the_token_page_needs_a_login(client):
    assert client.get("/data/tokens/").status_code == 302
