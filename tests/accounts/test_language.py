from __future__ import annotations

import pytest

from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def test_switching_to_english_is_remembered_on_the_user_and_in_a_cookie(alice_client, alice):
    response = alice_client.post("/language/", {"language": "en", "next": "/review/"})

    assert response.status_code == 302
    assert response.url == "/review/"
    alice.refresh_from_db()
    assert alice.language == "en"
    assert '<html lang="en">' in alice_client.get("/").content.decode()


def test_logging_in_brings_back_the_users_language(client, alice):
    alice.language = "en"
    alice.save()

    client.post("/login/", {"username": "alice@example.com", "password": PASSWORD})

    assert '<html lang="en">' in client.get("/").content.decode()


def test_an_unknown_language_falls_back_to_danish_and_a_foreign_next_is_ignored(client):
    response = client.post("/language/", {"language": "xx", "next": "https://evil.example/"})

    assert response.url == "/"
    assert response.cookies["django_language"].value == "da"
