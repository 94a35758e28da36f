"""Delivery: claimed by a conditional UPDATE, retried with backoff while the SMTP server
is down (nothing lost, nothing doubled), permanent errors stop, and a failing channel
never holds up another."""

from __future__ import annotations

import datetime as dt

import pytest

from fokus.alerts.delivery import backoff, claim, deliver_due
from fokus.alerts.digest import digests_create
from fokus.alerts.models import Delivery, DeliveryState, WebhookEndpoint
from fokus.alerts.services import alerts_sync
from tests.helpers import NOW, TODAY

pytestmark = pytest.mark.django_db

MINUTE = dt.timedelta(minutes=1)


def raise_and_digest(org):
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    digests_create(organisation=org, today=TODAY, now=NOW)


def test_backoff_doubles_from_a_minute_up_to_six_hours():
    assert [backoff(n) for n in (1, 2, 3, 4)] == [MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE]
    assert backoff(30) == dt.timedelta(hours=6)


def test_a_row_is_claimed_by_one_worker_only(org, overdue_customer):
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    delivery = Delivery.objects.get()

    assert claim(delivery.pk, now=NOW) is True
    assert claim(delivery.pk, now=NOW) is False
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENDING and delivery.attempts == 1


def test_a_claim_of_a_worker_that_died_is_given_back_after_its_lease(org, overdue_customer):
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    delivery = Delivery.objects.get()
    claim(delivery.pk, now=NOW)

    assert deliver_due(now=NOW + MINUTE).sent == 0
    assert deliver_due(now=NOW + dt.timedelta(minutes=6)).sent == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 2


def test_smtp_down_keeps_the_digest_pending_and_sends_it_once_when_back(
    org, overdue_customer, alice, smtp_down
):
    raise_and_digest(org)

    first = deliver_due(now=NOW)
    email = Delivery.objects.get(channel="email")
    assert first.retrying == 1 and first.sent == 1  # the in-app row went through
    assert email.state == DeliveryState.PENDING and email.attempts == 1
    assert "refused" in email.last_error.lower()
    assert email.next_attempt_at == NOW + MINUTE

    second = deliver_due(now=NOW + 30 * dt.timedelta(seconds=1))  # still down, not yet due
    assert second.retrying == 0 and Delivery.objects.get(pk=email.pk).attempts == 1

    smtp_down.start()
    assert deliver_due(now=NOW + 30 * dt.timedelta(seconds=1)).sent == 0  # backing off
    assert deliver_due(now=NOW + MINUTE).sent == 1
    assert deliver_due(now=NOW + 10 * MINUTE).sent == 0

    assert [m["To"] for m in smtp_down.messages] == ["alice@example.com"]
    email.refresh_from_db()
    assert email.state == DeliveryState.SENT and email.attempts == 2 and email.last_error == ""


def test_a_failing_smtp_server_does_not_hold_up_the_webhooks(
    org, make_customer, alice, smtp_down, webhook_receiver
):
    WebhookEndpoint.objects.create(organisation=org, url=webhook_receiver.url)
    for n in range(3):
        make_customer(name=f"Kunde {n}")
    raise_and_digest(org)

    run = deliver_due(now=NOW)

    assert len(webhook_receiver.requests) == 3
    assert Delivery.objects.get(channel="email").state == DeliveryState.PENDING
    assert run.sent == 6 and run.retrying == 1


def test_after_one_smtp_failure_the_other_digests_wait_for_the_next_run(
    org, overdue_customer, alice, bob, smtp_down
):
    raise_and_digest(org)

    run = deliver_due(now=NOW)

    assert run.retrying == 1 and run.deferred == 1
    attempts = sorted(Delivery.objects.filter(channel="email").values_list("attempts", flat=True))
    assert attempts == [0, 1]


def test_a_permanent_error_stops_the_retries(org, overdue_customer, webhook_receiver):
    WebhookEndpoint.objects.create(organisation=org, url=webhook_receiver.url)
    webhook_receiver.statuses = [410]
    alerts_sync(organisation=org, today=TODAY, now=NOW)

    run = deliver_due(now=NOW)
    later = deliver_due(now=NOW + dt.timedelta(days=1))

    webhook = Delivery.objects.get(channel="webhook")
    assert run.failed == 1 and later.sent == 0
    assert webhook.state == DeliveryState.FAILED and webhook.last_error.startswith("HTTP 410")
    assert len(webhook_receiver.requests) == 1


def test_a_server_error_is_retried_with_the_same_event_id(org, overdue_customer, webhook_receiver):
    WebhookEndpoint.objects.create(organisation=org, url=webhook_receiver.url)
    webhook_receiver.statuses = [503]
    alerts_sync(organisation=org, today=TODAY, now=NOW)

    deliver_due(now=NOW)
    deliver_due(now=NOW + MINUTE)

    first, second = webhook_receiver.requests
    assert first.headers["X-Fokus-Event-Id"] == second.headers["X-Fokus-Event-Id"]
    assert first.body == second.body
    assert Delivery.objects.get(channel="webhook").state == DeliveryState.SENT
