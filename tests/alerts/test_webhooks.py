"""Webhooks: a signed JSON POST to a real HTTP server on loopback; http(s) only; private,
loopback and link-local addresses refused after DNS unless the settings allow them."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from fokus.alerts.delivery import deliver_due
from fokus.alerts.errors import AlertError
from fokus.alerts.models import Delivery, DeliveryState, WebhookEndpoint
from fokus.alerts.services import alerts_sync, webhook_create, webhook_delete
from tests.helpers import NOW, TODAY

pytestmark = pytest.mark.django_db


def test_an_alert_is_posted_as_json_with_an_hmac_sha256_signature(
    org, overdue_customer, webhook_receiver
):
    endpoint = webhook_create(organisation=org, url=webhook_receiver.url, description="Slack")
    alerts_sync(organisation=org, today=TODAY, now=NOW)

    deliver_due(now=NOW)

    [request] = webhook_receiver.requests
    expected = hmac.new(endpoint.secret.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Fokus-Signature"] == f"sha256={expected}"
    assert request.path == "/hooks/fokus"
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.headers["X-Fokus-Event"] == "alert.raised"
    delivery = Delivery.objects.get(channel="webhook")
    assert request.headers["X-Fokus-Event-Id"] == str(delivery.event_id)
    body = request.json()
    assert body["id"] == str(delivery.event_id) and body["event"] == "alert.raised"
    assert body["organisation"]["slug"] == org.slug
    alert = body["alert"]
    assert alert["kind"] == "customer_overdue" and alert["state"] == "open"
    assert alert["customer"] == {"id": overdue_customer.pk, "name": "Bageriet Østerbro"}
    assert delivery.state == DeliveryState.SENT


def test_each_endpoint_signs_with_its_own_secret_which_no_other_secret_matches(
    org, overdue_customer, webhook_receiver
):
    crm = webhook_create(organisation=org, url=webhook_receiver.url)
    chat = webhook_create(organisation=org, url=f"http://127.0.0.1:{webhook_receiver.port}/chat")
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    deliver_due(now=NOW)

    def signature(secret: str, body: bytes) -> str:
        return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()

    by_path = {r.path: r for r in webhook_receiver.requests}
    assert sorted(by_path) == ["/chat", "/hooks/fokus"]
    for request, own, other in [
        (by_path["/hooks/fokus"], crm, chat),
        (by_path["/chat"], chat, crm),
    ]:
        assert request.headers["X-Fokus-Signature"] == signature(own.secret, request.body)
        assert request.headers["X-Fokus-Signature"] != signature(other.secret, request.body)
        assert request.headers["X-Fokus-Signature"] != signature("not the secret", request.body)


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/hook", "file:///etc/passwd", "javascript:alert(1)", "example.com/hook"],
)
def test_only_http_and_https_addresses_are_accepted(org, url):
    with pytest.raises(AlertError):
        webhook_create(organisation=org, url=url)
    assert WebhookEndpoint.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://10.0.0.7/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_literal_private_addresses_are_refused_when_configured(org, url):
    with pytest.raises(AlertError) as refused:
        webhook_create(organisation=org, url=url)
    assert refused.value.code == "url_private"


def test_a_host_name_that_resolves_to_loopback_is_refused_when_sending(
    org, overdue_customer, webhook_receiver, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    url = f"http://localhost:{webhook_receiver.port}/hook"
    webhook_create(organisation=org, url=url)  # a name: checked after DNS, at every send
    alerts_sync(organisation=org, today=TODAY, now=NOW)

    deliver_due(now=NOW)

    delivery = Delivery.objects.get(channel="webhook")
    assert delivery.state == DeliveryState.FAILED and "non-public" in delivery.last_error
    assert webhook_receiver.requests == []


def test_an_address_that_does_not_resolve_is_retried(org, overdue_customer):
    WebhookEndpoint.objects.create(organisation=org, url="https://fokus-test.invalid/hook")
    alerts_sync(organisation=org, today=TODAY, now=NOW)

    deliver_due(now=NOW)

    delivery = Delivery.objects.get(channel="webhook")
    assert delivery.state == DeliveryState.PENDING and "resolve" in delivery.last_error


def test_a_removed_endpoint_gets_nothing_more(org, overdue_customer, webhook_receiver):
    endpoint = webhook_create(organisation=org, url=webhook_receiver.url)
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    webhook_delete(endpoint=endpoint)

    deliver_due(now=NOW)

    assert webhook_receiver.requests == []
    assert Delivery.objects.get(channel="webhook").state == DeliveryState.FAILED
