"""Owners and administrators set up webhooks and who gets the daily e-mail."""

from __future__ import annotations

import pytest

from fokus.alerts.digest import digest_recipients
from fokus.alerts.models import WebhookEndpoint

pytestmark = pytest.mark.django_db


def test_an_owner_adds_a_webhook_and_sees_its_secret(alice_client, org):
    response = alice_client.post(
        "/alerts/settings/",
        {"action": "add_webhook", "url": "https://hooks.example.com/fokus", "description": "CRM"},
        follow=True,
    )

    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.organisation, endpoint.url, endpoint.description) == (
        org,
        "https://hooks.example.com/fokus",
        "CRM",
    )
    assert len(endpoint.secret) == 64 and endpoint.secret in response.content.decode()


def test_a_webhook_address_that_is_not_http_is_refused_with_a_message(alice_client):
    response = alice_client.post(
        "/alerts/settings/",
        {"action": "add_webhook", "url": "ftp://example.com/x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "Only http:// and https:// addresses are allowed." in response.content.decode()
    assert WebhookEndpoint.objects.count() == 0


def test_an_owner_removes_a_webhook(alice_client, org):
    endpoint = WebhookEndpoint.objects.create(organisation=org, url="https://example.com/h")

    alice_client.post("/alerts/settings/", {"action": "delete_webhook", "endpoint": endpoint.pk})

    assert WebhookEndpoint.objects.count() == 0


def test_an_owner_chooses_who_gets_the_daily_email(alice_client, org, alice, bob, vera):
    assert [u.email for u, _m in digest_recipients(org)] == [alice.email, bob.email]

    alice_client.post("/alerts/settings/", {"action": "digests", "digest": [str(vera.pk)]})

    assert [u.email for u, _m in digest_recipients(org)] == [vera.email]


def test_members_and_viewers_may_not_change_the_settings(client, bob, vera):
    for user in (bob, vera):
        client.force_login(user)
        assert client.get("/alerts/settings/").status_code == 403
        response = client.post(
            "/alerts/settings/", {"action": "add_webhook", "url": "https://example.com/h"}
        )
        assert response.status_code == 403
    assert WebhookEndpoint.objects.count() == 0


def test_an_owner_cannot_remove_another_organisations_webhook(alice_client, other_org):
    endpoint = WebhookEndpoint.objects.create(organisation=other_org, url="https://example.com/h")

    response = alice_client.post(
        "/alerts/settings/", {"action": "delete_webhook", "endpoint": endpoint.pk}
    )

    assert response.status_code == 404 and WebhookEndpoint.objects.count() == 1
