"""State changes of alerts: raise and resolve (the scan), acknowledge, snooze, log the
customer contact an alert asks for. Raising an alert only writes rows: its deliveries are
created in the same transaction and sent later by ``fokus.alerts.delivery``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils.translation import ngettext

from fokus.accounts.models import Membership, Organisation, User
from fokus.alerts.errors import AlertError
from fokus.alerts.models import (
    ACTIVE_STATES,
    Alert,
    AlertKind,
    AlertState,
    Channel,
    Delivery,
    DeliveryState,
    Event,
    Resolution,
    ScanRun,
    WebhookEndpoint,
)
from fokus.alerts.scans import Condition, available_scanners
from fokus.customers.models import (
    OPEN_ADVISORY,
    AdvisoryMeeting,
    ContactKind,
    Customer,
    CustomerStatus,
)
from fokus.customers.selectors import due_of
from fokus.customers.services import (
    TEXT_LIMITS,
    contact_log,
    customer_snooze,
    customers_snooze,
)
from fokus.errors import ProductError, refusal
from fokus.values import check_text

REASON_LIMIT = 500
NOTE_LIMIT = 2000
MAX_SNOOZE_DAYS = 366
# Alerts raised per transaction by a scan.
RAISE_BATCH = 500


@dataclass
class SyncResult:
    raised: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    def add(self, other: SyncResult) -> None:
        self.raised += other.raised
        self.resolved += other.resolved
        self.kinds = sorted(set(self.kinds) | set(other.kinds))


# --- The scan --------------------------------------------------------------------------


def alerts_sync(*, organisation: Organisation, today: dt.date, now: dt.datetime) -> SyncResult:
    """Bring the organisation's alerts in line with the conditions that hold ``today``:
    a new alert for each new condition, the alerts whose condition is gone resolved.
    Safe to run in several processes at once: the database's unique keys decide."""
    result = SyncResult()
    for scanner in available_scanners():
        conditions = scanner.find(organisation, today)
        result.add(_sync_kinds(organisation, scanner.kinds, conditions, today, now))
        result.kinds = sorted(set(result.kinds) | set(scanner.kinds))
    # One upsert: the inbox now knows the organisation has been checked.
    ScanRun.objects.bulk_create(
        [ScanRun(organisation=organisation, scanned_at=now)],
        update_conflicts=True,
        unique_fields=["organisation"],
        update_fields=["scanned_at"],
    )
    return result


def _sync_kinds(
    organisation: Organisation,
    kinds: tuple[str, ...],
    conditions: list[Condition],
    today: dt.date,
    now: dt.datetime,
) -> SyncResult:
    result = SyncResult()
    wanted = {(c.kind, c.subject_key): c for c in conditions}
    active = {
        (kind, key): pk
        for pk, kind, key in Alert.objects.filter(
            organisation=organisation, kind__in=kinds, state__in=ACTIVE_STATES
        ).values_list("pk", "kind", "subject_key")
    }
    # A held condition (a snoozed customer) keeps its alert but raises none.
    new = [c for key, c in wanted.items() if key not in active and not c.hold]
    gone = [pk for key, pk in active.items() if key not in wanted]
    if not new and not gone:
        return result
    endpoints = _endpoints(organisation.pk)
    if new:
        episodes = _last_episodes(organisation, new)
        batch: list[tuple[Condition, int]] = []
        for condition in new:
            last = episodes.get((condition.kind, condition.subject_key), 0)
            if not (condition.once and last):
                batch.append((condition, last + 1))
        for start in range(0, len(batch), RAISE_BATCH):
            chunk = batch[start : start + RAISE_BATCH]
            result.raised += _raise_many(organisation, chunk, today, now, endpoints)
    for pk in gone:
        if _resolve(pk, organisation.pk, now, None, Resolution.CLEARED, endpoints):
            result.resolved.append(pk)
    return result


def _endpoints(organisation_id: int) -> list[int]:
    return list(
        WebhookEndpoint.objects.filter(organisation_id=organisation_id, is_active=True).values_list(
            "pk", flat=True
        )
    )


def _last_episodes(
    organisation: Organisation, conditions: list[Condition]
) -> dict[tuple[str, str], int]:
    rows = (
        Alert.objects.filter(
            organisation=organisation,
            kind__in={c.kind for c in conditions},
            subject_key__in={c.subject_key for c in conditions},
        )
        .values("kind", "subject_key")
        .annotate(last=Max("episode"))
    )
    return {(row["kind"], row["subject_key"]): row["last"] for row in rows}


def _raise_many(
    organisation: Organisation,
    batch: list[tuple[Condition, int]],
    today: dt.date,
    now: dt.datetime,
    endpoints: list[int],
) -> list[int]:
    """Raise a batch of alerts in one transaction; when another scan raised one of them
    meanwhile (a unique key says so), raise them one by one instead."""
    try:
        with transaction.atomic():
            alerts = Alert.objects.bulk_create(
                _new_alert(organisation, condition, episode, today, now)
                for condition, episode in batch
            )
            ids = [alert.pk for alert in alerts]
            _create_deliveries(ids, organisation.pk, Event.RAISED, now, endpoints, True)
            return ids
    except IntegrityError:
        raised = []
        for condition, episode in batch:
            one = _raise(organisation, condition, episode, today, now, endpoints)
            if one is not None:
                raised.append(one.pk)
        return raised


def _new_alert(
    organisation: Organisation,
    condition: Condition,
    episode: int,
    today: dt.date,
    now: dt.datetime,
) -> Alert:
    return Alert(
        organisation=organisation,
        kind=condition.kind,
        subject_key=condition.subject_key,
        episode=episode,
        customer_id=condition.customer_id,
        kpi_id=condition.kpi_id,
        data=condition.data,
        raised_on=today,
        raised_at=now,
    )


def _raise(
    organisation: Organisation,
    condition: Condition,
    episode: int,
    today: dt.date,
    now: dt.datetime,
    endpoints: list[int],
) -> Alert | None:
    """The alert and its deliveries, or None when another scan raised it first."""
    try:
        with transaction.atomic():
            alert = _new_alert(organisation, condition, episode, today, now)
            alert.save(force_insert=True)
            _create_deliveries([alert.pk], organisation.pk, Event.RAISED, now, endpoints, True)
    except IntegrityError:
        return None
    return alert


def _create_deliveries(
    alert_ids: list[int],
    organisation_id: int,
    event: str,
    now: dt.datetime,
    endpoints: list[int],
    in_app: bool,
) -> None:
    """One row per alert, channel and recipient: the inbox (when raised), each webhook."""
    recipients: list[tuple[str, int | None, str]] = [(Channel.IN_APP, None, "")] if in_app else []
    recipients += [(Channel.WEBHOOK, pk, f"endpoint:{pk}") for pk in endpoints]
    Delivery.objects.bulk_create(
        Delivery(
            organisation_id=organisation_id,
            key=f"alert:{alert_id}:{event}:{channel}:{recipient}",
            event=event,
            channel=channel,
            alert_id=alert_id,
            endpoint_id=endpoint_id,
            created_at=now,
            next_attempt_at=now,
        )
        for alert_id in alert_ids
        for channel, endpoint_id, recipient in recipients
    )


def _resolve(
    pk: int,
    organisation_id: int,
    now: dt.datetime,
    user: User | None,
    how: str,
    endpoints: list[int] | None = None,
) -> bool:
    """Resolve an active alert; False when it already was (by another process)."""
    with transaction.atomic():
        updated = Alert.objects.filter(pk=pk, state__in=ACTIVE_STATES).update(
            state=AlertState.RESOLVED, resolved_at=now, resolved_by=user, resolution=how
        )
        if updated:
            if endpoints is None:
                endpoints = _endpoints(organisation_id)
            _create_deliveries([pk], organisation_id, Event.RESOLVED, now, endpoints, False)
    return bool(updated)


def customer_alerts_refresh(*, customer: Customer, today: dt.date, now: dt.datetime) -> list[int]:
    """Resolve a customer's overdue alert right away when its condition is gone (say, a
    contact was just logged on the customer's page); the next scan would do it anyway. A
    snooze is not a contact: a snoozed customer still overdue keeps its (snoozed) alert."""
    due = due_of(customer, today)
    if str(due.state) == "overdue" and customer.status == "active":
        return []
    pks = Alert.objects.filter(
        organisation_id=customer.organisation_id,
        kind=AlertKind.CUSTOMER_OVERDUE,
        subject_key=f"customer:{customer.pk}",
        state__in=ACTIVE_STATES,
    ).values_list("pk", flat=True)
    return [
        pk for pk in pks if _resolve(pk, customer.organisation_id, now, None, Resolution.CLEARED)
    ]


def customer_alerts_snooze(*, customer: Customer, user: User | None) -> int:
    """Give the customer's active overdue alert the customer's snooze: its date and reason,
    or none once it is lifted (``fokus.alerts.receivers``: the customer's snooze changed).
    Returns how many alerts changed."""
    snoozed = customer.snoozed_until is not None
    return Alert.objects.filter(
        organisation_id=customer.organisation_id,
        kind=AlertKind.CUSTOMER_OVERDUE,
        subject_key=f"customer:{customer.pk}",
        state__in=ACTIVE_STATES,
    ).update(
        snoozed_until=customer.snoozed_until,
        snooze_reason=customer.snooze_reason if snoozed else "",
        snoozed_by=user if snoozed else None,
    )


def customers_alerts_snooze(
    *, customer_ids: list[int], until: dt.date, reason: str, user: User | None
) -> int:
    """``customer_alerts_snooze`` for many customers given the same snooze: one update."""
    return Alert.objects.filter(
        customer_id__in=customer_ids,
        kind=AlertKind.CUSTOMER_OVERDUE,
        state__in=ACTIVE_STATES,
    ).update(snoozed_until=until, snooze_reason=reason, snoozed_by=user)


def customer_alerts_described(*, customer: Customer) -> list[str]:
    """The alerts about a customer, in words, for the page that confirms the customer's
    deletion (they go with the customer): one query."""
    counts = Alert.objects.filter(customer=customer).aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(state__in=ACTIVE_STATES))
    )
    total, active = counts["total"], counts["active"]
    if not total:
        return []
    return [
        ngettext(
            "%(count)s alert about the customer (%(active)s not resolved)",
            "%(count)s alerts about the customer (%(active)s not resolved)",
            total,
        )
        % {"count": total, "active": active}
    ]


def advisory_alerts_refresh(*, customer: Customer, now: dt.datetime) -> list[int]:
    """Resolve a customer's advisory-due alert right away when the advisory service just
    removed its cause: the meeting is offered or booked, a meeting was held (the alert
    was for a due date the customer no longer has), or it was declined (the alert was
    raised before the quiet period ends); the next scan would do it anyway. Needs no
    today: it compares the alert with the customer's cycle, not with a date."""
    alerts = list(
        Alert.objects.filter(
            organisation_id=customer.organisation_id,
            kind=AlertKind.ADVISORY_DUE,
            subject_key=f"customer:{customer.pk}",
            state__in=ACTIVE_STATES,
        ).only("pk", "data", "raised_on")
    )
    if not alerts:
        return []
    due = customer.advisory_due_on.isoformat() if customer.advisory_due_on else None
    quiet = customer.advisory_snoozed_until
    gone_for_all = (
        customer.status != CustomerStatus.ACTIVE
        or AdvisoryMeeting.objects.filter(customer=customer, status__in=OPEN_ADVISORY).exists()
    )
    return [
        alert.pk
        for alert in alerts
        if (
            gone_for_all
            or (alert.data or {}).get("due") != due
            or (quiet is not None and alert.raised_on < quiet)
        )
        and _resolve(alert.pk, customer.organisation_id, now, None, Resolution.CLEARED)
    ]


# --- What people do with an alert ------------------------------------------------------


def _check_can_edit(alert: Alert, user: User) -> None:
    membership = Membership.objects.filter(organisation_id=alert.organisation_id, user=user).first()
    if membership is None or not membership.can_edit:
        raise AlertError("not_allowed")


def alert_acknowledge(*, alert: Alert, user: User, now: dt.datetime) -> Alert:
    """Mark an open alert as seen: it leaves the open count and the digests."""
    _check_can_edit(alert, user)
    Alert.objects.filter(pk=alert.pk, state=AlertState.OPEN).update(
        state=AlertState.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=user
    )
    alert.refresh_from_db()
    if alert.state == AlertState.RESOLVED:
        raise AlertError("alert_resolved")
    return alert


def alert_snooze(
    *, alert: Alert, user: User, until: dt.date | None, reason: str, today: dt.date
) -> Alert:
    """Hide an alert from the inbox, the count and the digests until ``until``. A customer's
    overdue alert is about the customer, so the customer is snoozed instead (the service
    of the customer's page), and the alert takes the customer's snooze: the due list shows
    the snooze and the scan keeps quiet until then."""
    _check_can_edit(alert, user)
    customer = alert.customer if alert.kind == AlertKind.CUSTOMER_OVERDUE else None
    if until is None:
        raise AlertError("snooze_date_required", field="until")
    if until <= today:
        raise AlertError("snooze_not_in_future", field="until", today=today.isoformat())
    if until > today + dt.timedelta(days=MAX_SNOOZE_DAYS):
        raise AlertError("snooze_too_far", field="until")
    # A customer's reason is shorter: checked here, the customer's snooze refuses nothing
    # these checks let through.
    limit = REASON_LIMIT if customer is None else TEXT_LIMITS["reason"]
    reason = check_text(reason, field="reason", limit=limit).strip()
    if not reason:
        raise AlertError("reason_required", field="reason")
    active = Alert.objects.filter(pk=alert.pk, state__in=ACTIVE_STATES)
    with transaction.atomic():
        if customer is None:
            if not active.update(snoozed_until=until, snooze_reason=reason, snoozed_by=user):
                raise AlertError("alert_resolved")
        else:
            if not active.select_for_update().exists():
                raise AlertError("alert_resolved")
            customer_snooze(customer=customer, until=until, reason=reason, user=user, today=today)
    alert.refresh_from_db()
    return alert


def alert_log_contact(
    *,
    alert: Alert,
    user: User,
    date: dt.date,
    now: dt.datetime,
    kind: str = ContactKind.CALL,
    note: str = "",
) -> Alert:
    """Log the contact an overdue-customer alert asks for, and resolve the alert — once:
    a second call (a second click on the same link) finds it resolved and logs nothing."""
    _check_can_edit(alert, user)
    if alert.kind != AlertKind.CUSTOMER_OVERDUE or alert.customer_id is None:
        raise AlertError("no_customer")
    note = check_text(note, field="note", limit=NOTE_LIMIT).strip()
    if kind not in ContactKind.values:
        raise AlertError("contact_kind", field="kind", kind=kind)
    try:
        with transaction.atomic():
            if not _resolve(alert.pk, alert.organisation_id, now, user, Resolution.CONTACT_LOGGED):
                raise AlertError("alert_resolved")
            assert alert.customer is not None
            contact_log(
                customer=alert.customer,
                date=date,
                kind=kind,
                note=note,
                user=user,
                today=date,
                now=now,
            )
    except AlertError:
        raise
    except ProductError as error:  # the register refused the contact: nothing was saved
        raise AlertError(
            "contact_refused", field=error.field, detail=refusal(error).message
        ) from None
    alert.refresh_from_db()
    return alert


# --- Many alerts at once (the inbox's bulk actions) ------------------------------------

# At most this many alerts per bulk action: the queries stay a few whatever the number.
BULK_LIMIT = 100


def _bulk_ids(ids: list[int]) -> list[int]:
    if not ids:
        raise AlertError("bulk_none")
    if len(ids) > BULK_LIMIT:
        raise AlertError("bulk_too_many", limit=BULK_LIMIT, count=len(ids))
    return ids


def _check_member_can_edit(organisation: Organisation, user: User) -> None:
    membership = Membership.objects.filter(organisation=organisation, user=user).first()
    if membership is None or not membership.can_edit:
        raise AlertError("not_allowed")


def alerts_acknowledge(
    *, organisation: Organisation, ids: list[int], user: User, now: dt.datetime
) -> int:
    """Acknowledge the organisation's open alerts among ``ids`` (at most ``BULK_LIMIT``)
    in one update; returns how many changed (acknowledged, resolved or another
    organisation's alerts are left as they are)."""
    ids = _bulk_ids(ids)
    _check_member_can_edit(organisation, user)
    return Alert.objects.filter(
        organisation=organisation, pk__in=ids, state=AlertState.OPEN
    ).update(state=AlertState.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=user)


def alerts_snooze(
    *,
    organisation: Organisation,
    ids: list[int],
    user: User,
    until: dt.date | None,
    reason: str,
    today: dt.date,
) -> int:
    """``alert_snooze`` for the organisation's unresolved alerts among ``ids`` (at most
    ``BULK_LIMIT``): a customer's overdue alert snoozes the customer (the register's
    ``customers_snooze``, which snoozes their alerts with them), every other alert is
    snoozed itself. A few queries whatever the number; returns how many were snoozed."""
    ids = _bulk_ids(ids)
    _check_member_can_edit(organisation, user)
    if until is None:
        raise AlertError("snooze_date_required", field="until")
    if until <= today:
        raise AlertError("snooze_not_in_future", field="until", today=today.isoformat())
    if until > today + dt.timedelta(days=MAX_SNOOZE_DAYS):
        raise AlertError("snooze_too_far", field="until")
    # The customer's limit: the same reason may go to customers and other alerts alike.
    reason = check_text(reason, field="reason", limit=TEXT_LIMITS["reason"]).strip()
    if not reason:
        raise AlertError("reason_required", field="reason")
    active = Alert.objects.filter(organisation=organisation, pk__in=ids, state__in=ACTIVE_STATES)
    with transaction.atomic():
        customer_ids = list(
            active.filter(kind=AlertKind.CUSTOMER_OVERDUE, customer__isnull=False).values_list(
                "customer_id", flat=True
            )
        )
        others = active.exclude(kind=AlertKind.CUSTOMER_OVERDUE).update(
            snoozed_until=until, snooze_reason=reason, snoozed_by=user
        )
        if customer_ids:
            customers_snooze(
                organisation=organisation,
                customer_ids=customer_ids,
                until=until,
                reason=reason,
                user=user,
                today=today,
            )
    return others + len(customer_ids)


# --- Settings of an organisation --------------------------------------------------------


def webhook_create(
    *, organisation: Organisation, url: str, description: str = ""
) -> WebhookEndpoint:
    from fokus.alerts.webhooks import check_url

    url = check_url(url)
    description = check_text(description, field="description", limit=200).strip()
    return WebhookEndpoint.objects.create(
        organisation=organisation, url=url, description=description
    )


def webhook_delete(*, endpoint: WebhookEndpoint) -> None:
    """Stop sending to an endpoint; deliveries already made stay on record."""
    with transaction.atomic():
        Delivery.objects.filter(endpoint=endpoint, state=DeliveryState.PENDING).update(
            state=DeliveryState.FAILED, last_error="endpoint removed"
        )
        endpoint.delete()


def email_digest_set(*, organisation: Organisation, user: User, enabled: bool) -> None:
    from fokus.alerts.models import NotificationPreference

    NotificationPreference.objects.update_or_create(
        organisation=organisation, user=user, defaults={"email_digest": enabled}
    )
