from __future__ import annotations

import pytest
from django.test import Client

from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_asks_for_email_and_password(client):
    response = client.get("/login/")

    assert response.status_code == 200
    content = response.content.decode()
    assert 'type="email"' in content
    assert 'type="password"' in content
    assert "csrfmiddlewaretoken" in content
    assert response.context["form"].fields["username"].label == "E-mail"


def test_login_by_email_lands_on_the_dashboard(client, alice):
    response = client.post("/login/", {"username": "alice@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").status_code == 200


def test_login_ignores_the_case_of_the_email(client, alice):
    response = client.post("/login/", {"username": " Alice@Example.COM", "password": PASSWORD})

    assert response.status_code == 302


def test_login_with_a_wrong_password_shows_an_error(client, alice):
    response = client.post("/login/", {"username": "alice@example.com", "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Indtast venligst korrekt e-mail og adgangskode. "
        "Bemærk at begge felter kan være versalfølsomme."
    ]
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_requires_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "alice@example.com", "password": PASSWORD})

    assert response.status_code == 403


def test_logout_is_a_post_that_ends_the_session(alice_client):
    assert alice_client.get("/logout/").status_code == 405

    response = alice_client.post("/logout/")

    assert response.status_code == 302
    assert response.url == "/login/"
    assert alice_client.get("/").status_code == 302


def test_logged_in_user_visiting_login_goes_to_the_dashboard(alice_client):
    response = alice_client.get("/login/")

    assert response.status_code == 302
    assert response.url == "/"
