"""The daily digest goes through a real SMTP server, in each member's language, with
signed one-click links that log the contact and resolve the alert — once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import signing

from fokus.alerts.delivery import deliver_due
from fokus.alerts.digest import LINK_SALT, digests_create
from fokus.alerts.models import Alert, AlertState, Delivery, DeliveryState, Digest
from fokus.alerts.services import alert_acknowledge, alerts_sync, email_digest_set
from tests.helpers import NOW, TODAY

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://127\.0\.0\.1:8000(/alerts/contact/[^/\s\"]+/)")


def run(org, now=NOW):
    alerts_sync(organisation=org, today=TODAY, now=now)
    digests_create(organisation=org, today=TODAY, now=now)
    return deliver_due(now=now)


def bodies(message):
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


@pytest.fixture
def english_bob(bob):
    bob.language = "en"
    bob.save(update_fields=["language"])
    return bob


def test_the_digest_arrives_by_smtp_in_each_members_language(
    org, overdue_customer, alice, english_bob, vera, smtp_server
):
    result = run(org)

    assert result.sent == 3  # the in-app row, and alice's and bob's digests; vera opted out
    by_recipient = {m["To"]: m for m in smtp_server.messages}
    assert sorted(by_recipient) == ["alice@example.com", "bob@example.com"]

    english = by_recipient["bob@example.com"]
    assert english["Subject"] == "Fokus: 1 open alert for Acme ApS"
    text, html = bodies(english)
    assert "No contact with Bageriet Østerbro: due 1 April 2027 (90 days overdue)" in text
    assert '<html lang="en">' in html and "Bageriet Østerbro" in html
    assert len(LINK.findall(text)) == 2 and len(LINK.findall(html)) == 2

    danish_text, danish_html = bodies(by_recipient["alice@example.com"])
    assert "1. april 2027" in danish_text
    assert '<html lang="da">' in danish_html
    assert Delivery.objects.filter(channel="email", state=DeliveryState.SENT).count() == 2


def test_one_click_in_the_email_logs_the_contact_and_resolves_the_alert_once(
    client, org, overdue_customer, english_bob, smtp_server, today
):
    run(org)
    [message] = [m for m in smtp_server.messages if m["To"] == "bob@example.com"]
    text, _html = bodies(message)
    log_call = LINK.findall(text)[0]

    page = client.get(log_call)  # not logged in: the signature is the permission
    assert page.status_code == 200
    assert b'id="contact-link-form"' in page.content and b"nonce=" in page.content
    done = client.post(log_call, HTTP_ACCEPT_LANGUAGE="en")

    assert done.status_code == 200 and b"Contact logged" in done.content
    alert = Alert.objects.get()
    assert alert.state == AlertState.RESOLVED and alert.resolved_by == english_bob
    [contact] = overdue_customer.contacts.all()
    assert (contact.kind, contact.user, contact.date) == ("call", english_bob, TODAY)

    again = client.post(log_call, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 200 and b"Already done" in again.content
    log_email = LINK.findall(text)[1]
    assert b"Already done" in client.post(log_email, HTTP_ACCEPT_LANGUAGE="en").content
    assert overdue_customer.contacts.count() == 1


def _token(alert, customer_id, user):
    payload = {"a": alert.pk, "c": customer_id, "u": user.pk, "k": "call"}
    return signing.dumps(payload, salt=LINK_SALT, compress=True)


def test_a_link_works_only_for_its_own_customer_and_signature(
    client, org, make_customer, overdue_customer, bob
):
    other = make_customer(name="Anden kunde")
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    alert = Alert.objects.get(customer=overdue_customer)

    forged = _token(alert, other.pk, bob)
    assert client.post(f"/alerts/contact/{forged}/").status_code == 404
    tampered = _token(alert, overdue_customer.pk, bob)[:-3] + "abc"
    assert client.post(f"/alerts/contact/{tampered}/").status_code == 400
    assert Alert.objects.get(pk=alert.pk).state == AlertState.OPEN
    assert overdue_customer.contacts.count() == 0 and other.contacts.count() == 0


def test_an_expired_link_logs_nothing(client, org, overdue_customer, bob, today, time_machine):
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    token = _token(Alert.objects.get(), overdue_customer.pk, bob)

    time_machine.move_to(NOW + dt.timedelta(days=15), tick=False)
    response = client.post(f"/alerts/contact/{token}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400 and b"expired" in response.content
    assert overdue_customer.contacts.count() == 0


def test_a_link_of_a_viewer_logs_nothing(client, org, overdue_customer, vera):
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    token = _token(Alert.objects.get(), overdue_customer.pk, vera)

    assert client.post(f"/alerts/contact/{token}/").status_code == 403
    assert overdue_customer.contacts.count() == 0


def test_a_viewer_who_chose_the_digest_gets_it_without_contact_links(
    org, overdue_customer, vera, smtp_server
):
    email_digest_set(organisation=org, user=vera, enabled=True)
    run(org)

    [message] = smtp_server.messages
    text, html = bodies(message)
    assert "Bageriet Østerbro" in text and LINK.findall(text + html) == []


def test_one_digest_per_member_and_day_however_often_it_runs(
    org, overdue_customer, alice, smtp_server
):
    run(org)
    run(org)
    digests_create(organisation=org, today=TODAY, now=NOW)
    deliver_due(now=NOW + dt.timedelta(hours=1))

    assert Digest.objects.count() == 1 and len(smtp_server.messages) == 1


def test_no_digest_when_nothing_is_open(org, alice, smtp_server):
    run(org)

    assert Digest.objects.count() == 0 and smtp_server.messages == []


def test_a_digest_whose_alerts_were_all_dealt_with_is_not_sent(
    org, overdue_customer, alice, smtp_server
):
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    digests_create(organisation=org, today=TODAY, now=NOW)
    alert_acknowledge(alert=Alert.objects.get(), user=alice, now=NOW)
    deliver_due(now=NOW)

    assert smtp_server.messages == []
    assert Delivery.objects.get(channel="email").state == DeliveryState.SKIPPED
