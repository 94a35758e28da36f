"""One class per delivery channel, registered in ``CHANNELS``.

``send(delivery, now=...)`` returns True when it sent, False when there was nothing
left to send, and raises ``DeliveryError(permanent=...)`` when it failed: a permanent
error stops the retries, any other is retried with backoff."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import smtplib
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import get_connection
from django.utils import translation

from fokus.alerts import webhooks
from fokus.alerts.models import Channel, Delivery
from fokus.alerts.shapes import alert_to_dict
from fokus.errors import ProductError

SMTP_TIMEOUT_SECONDS = 20


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Transport:
    channel: str
    # What ``send`` reads, loaded with the delivery row in one query.
    related: tuple[str, ...] = ()

    def send(self, delivery: Delivery, *, now: dt.datetime) -> bool:
        raise NotImplementedError

    def breaker_key(self, delivery: Delivery) -> str:
        """Deliveries that fail together: after a failure the rest wait for the next run."""
        return self.channel


class InApp(Transport):
    """The inbox reads the alerts themselves: delivering in-app only records it."""

    channel = Channel.IN_APP

    def send(self, delivery: Delivery, *, now: dt.datetime) -> bool:
        return True


class Email(Transport):
    """The daily digest through Django's e-mail backend (SMTP in production)."""

    channel = Channel.EMAIL
    related = ("digest__organisation", "user")

    def send(self, delivery: Delivery, *, now: dt.datetime) -> bool:
        from fokus.alerts.digest import digest_message

        digest = delivery.digest
        if digest is None or delivery.user is None:
            raise DeliveryError("the digest is gone", permanent=True)
        today = now.astimezone(ZoneInfo(digest.organisation.time_zone)).date()
        connection = get_connection(fail_silently=False, timeout=SMTP_TIMEOUT_SECONDS)
        message = digest_message(digest, today=today, connection=connection)
        if message is None:
            return False
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "fokus"
        message.extra_headers["Message-ID"] = f"<digest-{delivery.event_id}@{domain}>"
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as error:
            raise DeliveryError(f"recipient refused: {error}", permanent=True) from None
        except smtplib.SMTPResponseException as error:
            permanent = 500 <= error.smtp_code < 600 and error.smtp_code != 530
            raise DeliveryError(
                f"SMTP {error.smtp_code}: {error.smtp_error!r}", permanent=permanent
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"SMTP: {error.__class__.__name__}: {error}") from None
        return True


class Webhook(Transport):
    """A JSON POST signed with the endpoint's secret."""

    channel = Channel.WEBHOOK
    related = (
        "alert__organisation",
        "alert__customer",
        "alert__kpi",
        "alert__acknowledged_by",
        "endpoint",
    )

    def breaker_key(self, delivery: Delivery) -> str:
        return f"{self.channel}:{delivery.endpoint_id}"

    def body(self, delivery: Delivery) -> bytes:
        alert = delivery.alert
        assert alert is not None
        with translation.override(settings.LANGUAGE_CODE):
            payload: dict[str, Any] = {
                "id": str(delivery.event_id),
                "event": delivery.event,
                "created_at": delivery.created_at.isoformat(),
                "organisation": {
                    "id": alert.organisation_id,
                    "slug": alert.organisation.slug,
                    "name": alert.organisation.name,
                },
                "alert": alert_to_dict(alert),
            }
        return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()

    def send(self, delivery: Delivery, *, now: dt.datetime) -> bool:
        endpoint = delivery.endpoint
        if endpoint is None or not endpoint.is_active or delivery.alert is None:
            raise DeliveryError("the webhook endpoint was removed", permanent=True)
        try:
            target = webhooks.target_of(endpoint.url)
        except ProductError as error:
            raise DeliveryError(error.message, permanent=True) from None
        try:
            address = webhooks.resolve(target)
        except webhooks.ResolveError as error:
            raise DeliveryError(str(error)) from None
        except webhooks.PrivateAddress as error:
            raise DeliveryError(str(error), permanent=True) from None
        body = self.body(delivery)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Fokus-Webhook/1",
            webhooks.EVENT_ID_HEADER: str(delivery.event_id),
            webhooks.EVENT_HEADER: delivery.event,
            webhooks.SIGNATURE_HEADER: webhooks.sign(endpoint.secret, body),
        }
        try:
            status, text = webhooks.post(target, address, body, headers)
        except (OSError, http.client.HTTPException) as error:
            raise DeliveryError(f"{error.__class__.__name__}: {error}") from None
        if 200 <= status < 300:
            return True
        permanent = 400 <= status < 500 and status not in (408, 425, 429)
        raise DeliveryError(f"HTTP {status}: {text[:200]}", permanent=permanent)


CHANNELS: dict[str, Transport] = {
    transport.channel: transport for transport in (InApp(), Email(), Webhook())
}
