"""Sending what the scans raised: workers claim delivery rows with a conditional UPDATE
and check the row count (two workers never send the same row), retry with exponential
backoff, stop on a permanent error, and never let one failing channel hold up another."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db.models import F

from fokus.alerts.channels import CHANNELS, DeliveryError
from fokus.alerts.models import Channel, Delivery, DeliveryState

log = logging.getLogger(__name__)

# A claimed row is the claimant's for this long; a worker that died gives it back then.
LEASE = dt.timedelta(minutes=5)
FIRST_RETRY = dt.timedelta(minutes=1)
MAX_RETRY = dt.timedelta(hours=6)
MAX_ATTEMPTS = 12  # about a day and a half of retries


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4, ... minutes, at most 6 h."""
    wait: dt.timedelta = FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(wait, MAX_RETRY)


@dataclass
class DeliveryRun:
    sent: int = 0
    skipped: int = 0
    retrying: int = 0
    failed: int = 0
    deferred: int = 0
    errors: list[str] = field(default_factory=list)


def claim(pk: int, *, now: dt.datetime) -> bool:
    """Take a due row for this worker; False when another worker has it."""
    updated = Delivery.objects.filter(
        pk=pk, state=DeliveryState.PENDING, next_attempt_at__lte=now
    ).update(state=DeliveryState.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
    return updated == 1


def mark_in_app(*, now: dt.datetime) -> int:
    """The inbox shows the alerts themselves: its rows are marked delivered in one
    conditional UPDATE (each row by one worker only)."""
    return Delivery.objects.filter(
        channel=Channel.IN_APP, state=DeliveryState.PENDING, next_attempt_at__lte=now
    ).update(state=DeliveryState.SENT, attempts=F("attempts") + 1, sent_at=now)


def release_expired_claims(*, now: dt.datetime) -> int:
    """Rows whose worker died while sending go back to the queue."""
    return Delivery.objects.filter(state=DeliveryState.SENDING, next_attempt_at__lte=now).update(
        state=DeliveryState.PENDING
    )


def deliver_due(*, now: dt.datetime, limit: int = 500) -> DeliveryRun:
    """Send the due deliveries, oldest first."""
    run = DeliveryRun()
    release_expired_claims(now=now)
    run.sent += mark_in_app(now=now)
    due = list(
        Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", "channel", "endpoint_id")[:limit]
    )
    broken: set[str] = set()
    for pk, channel, endpoint_id in due:
        transport = CHANNELS[channel]
        probe = Delivery(channel=channel, endpoint_id=endpoint_id)
        if transport.breaker_key(probe) in broken:
            run.deferred += 1
            continue
        if not claim(pk, now=now):
            continue
        if not _send(pk, now=now, run=run):
            broken.add(transport.breaker_key(probe))
    return run


def _send(pk: int, *, now: dt.datetime, run: DeliveryRun) -> bool:
    """Send one claimed row and record the outcome; False when its channel failed."""
    channel = Delivery.objects.values_list("channel", flat=True).get(pk=pk)
    transport = CHANNELS[channel]
    delivery = Delivery.objects.select_related(*transport.related).get(pk=pk)
    try:
        sent = transport.send(delivery, now=now)
    except DeliveryError as error:
        return _failed(delivery, str(error), permanent=error.permanent, now=now, run=run)
    except Exception as error:  # a bug in one channel must not stop the others
        log.exception("delivery %s failed unexpectedly", delivery.key)
        return _failed(delivery, f"{error.__class__.__name__}: {error}", False, now, run)
    Delivery.objects.filter(pk=pk, state=DeliveryState.SENDING).update(
        state=DeliveryState.SENT if sent else DeliveryState.SKIPPED,
        sent_at=now,
        last_error="",
    )
    if sent:
        run.sent += 1
    else:
        run.skipped += 1
    return True


def _failed(
    delivery: Delivery, message: str, permanent: bool, now: dt.datetime, run: DeliveryRun
) -> bool:
    give_up = permanent or delivery.attempts >= MAX_ATTEMPTS
    Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(
        state=DeliveryState.FAILED if give_up else DeliveryState.PENDING,
        next_attempt_at=now if give_up else now + backoff(delivery.attempts),
        last_error=message[:2000],
    )
    run.errors.append(f"{delivery.channel} {delivery.key}: {message}")
    if give_up:
        run.failed += 1
    else:
        run.retrying += 1
    return permanent
