"""What people do with an alert: acknowledge it, snooze it with a reason, log the contact
it asks for. Viewers may not; bad input saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from fokus.alerts.errors import AlertError
from fokus.alerts.models import Alert, AlertState, Delivery, Resolution, WebhookEndpoint
from fokus.alerts.services import (
    alert_acknowledge,
    alert_log_contact,
    alert_snooze,
    alerts_sync,
)
from fokus.errors import ProductError
from tests.helpers import NOW, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(org, overdue_customer):
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    return Alert.objects.get()


def test_acknowledging_keeps_the_alert_until_its_condition_clears(org, alert, bob):
    alert_acknowledge(alert=alert, user=bob, now=NOW)

    alert.refresh_from_db()
    assert alert.state == AlertState.ACKNOWLEDGED
    assert alert.acknowledged_by == bob and alert.acknowledged_at == NOW
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    assert Alert.objects.get().state == AlertState.ACKNOWLEDGED


def test_a_viewer_cannot_acknowledge_snooze_or_log_a_contact(alert, vera):
    with pytest.raises(AlertError) as refused:
        alert_acknowledge(alert=alert, user=vera, now=NOW)
    assert refused.value.code == "not_allowed"
    with pytest.raises(AlertError):
        alert_snooze(alert=alert, user=vera, until=dt.date(2027, 7, 7), reason="x", today=TODAY)
    with pytest.raises(AlertError):
        alert_log_contact(alert=alert, user=vera, date=TODAY, now=NOW)
    alert.refresh_from_db()
    assert alert.state == AlertState.OPEN and alert.snoozed_until is None


def test_an_outsider_cannot_touch_another_organisations_alert(alert, charlie):
    with pytest.raises(AlertError):
        alert_acknowledge(alert=alert, user=charlie, now=NOW)


def test_snoozing_needs_a_future_date_and_a_reason(alert, alice):
    for until, reason in [
        (None, "Ferie"),
        (TODAY, "Ferie"),
        (dt.date(2027, 6, 1), "Ferie"),
        (dt.date(2029, 1, 1), "Ferie"),
        (dt.date(2027, 7, 7), "   "),
        (dt.date(2027, 7, 7), "Fe\x00rie"),
        (dt.date(2027, 7, 7), "x" * 501),
    ]:
        with pytest.raises(ProductError):
            alert_snooze(alert=alert, user=alice, until=until, reason=reason, today=TODAY)
    alert.refresh_from_db()
    assert alert.snoozed_until is None and alert.snooze_reason == ""


def test_snoozing_records_until_and_why(alert, alice):
    alert_snooze(alert=alert, user=alice, until=dt.date(2027, 7, 7), reason="Ferie", today=TODAY)

    alert.refresh_from_db()
    assert alert.snoozed_until == dt.date(2027, 7, 7)
    assert (alert.snooze_reason, alert.snoozed_by) == ("Ferie", alice)
    assert alert.state == AlertState.OPEN


def test_logging_the_contact_from_the_alert_resolves_it_once(alert, overdue_customer, bob):
    alert_log_contact(alert=alert, user=bob, date=TODAY, now=NOW, kind="email", note="Godt")

    alert.refresh_from_db()
    assert alert.state == AlertState.RESOLVED and alert.resolution == Resolution.CONTACT_LOGGED
    assert alert.resolved_by == bob
    [contact] = overdue_customer.contacts.all()
    assert (contact.date, contact.kind, contact.note, contact.user) == (TODAY, "email", "Godt", bob)
    overdue_customer.refresh_from_db()
    assert overdue_customer.contact_due_on == dt.date(2027, 9, 30)

    with pytest.raises(AlertError) as again:
        alert_log_contact(alert=alert, user=bob, date=TODAY, now=NOW)
    assert again.value.code == "alert_resolved"
    assert overdue_customer.contacts.count() == 1


def test_a_refused_contact_leaves_the_alert_open(alert, overdue_customer, bob):
    with pytest.raises(ProductError):
        alert_log_contact(alert=alert, user=bob, date=TODAY, now=NOW, note="a\x00b")
    with pytest.raises(AlertError):
        alert_log_contact(alert=alert, user=bob, date=TODAY, now=NOW, kind="fax")

    alert.refresh_from_db()
    assert alert.state == AlertState.OPEN
    assert overdue_customer.contacts.count() == 0


def test_resolving_tells_the_webhooks_but_not_the_inbox_again(org, alert, bob):
    WebhookEndpoint.objects.create(organisation=org, url="https://hooks.example.com/fokus")
    alert_log_contact(alert=alert, user=bob, date=TODAY, now=NOW)

    keys = sorted(Delivery.objects.filter(alert=alert).values_list("event", "channel"))
    assert keys == [("alert.raised", "in_app"), ("alert.resolved", "webhook")]
