"""Password reset by e-mail, through a real SMTP server on loopback."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/password-reset/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def test_a_user_resets_the_password_with_the_link_from_the_email(client, alice, smtp_server):
    response = client.post("/password-reset/", {"email": "Alice@Example.com"})

    assert response.status_code == 302
    assert response.url == "/password-reset/sent/"
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["To"] == "alice@example.com"
    form_url = client.get(_link(smtp_server.body())).url  # Django swaps the token for the session
    response = client.post(
        form_url, {"new_password1": "a new långt kodeord", "new_password2": "a new långt kodeord"}
    )
    assert response.status_code == 302
    assert client.login(username="alice@example.com", password="a new långt kodeord")


def test_the_email_is_written_in_the_users_language(client, alice, smtp_server):
    alice.language = "en"
    alice.save()

    client.post("/password-reset/", {"email": "alice@example.com"})

    assert "Someone asked to reset the password" in smtp_server.body()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, smtp_server):
    response = client.post("/password-reset/", {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert smtp_server.messages == []


def test_a_used_link_does_not_work_twice(client, alice, smtp_server):
    client.post("/password-reset/", {"email": "alice@example.com"})
    link = _link(smtp_server.body())
    form_url = client.get(link).url
    client.post(
        form_url, {"new_password1": "first new pass 1", "new_password2": "first new pass 1"}
    )

    response = client.get(link, follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert "This link is not valid any more" in response.content.decode()
