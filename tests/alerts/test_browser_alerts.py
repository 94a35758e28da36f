"""In Chromium: the one-click link of the digest logs the contact (its page submits
itself under the Content Security Policy), and the inbox acknowledges with htmx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from fokus.alerts.digest import contact_link_url
from fokus.alerts.models import Alert, AlertState
from fokus.alerts.services import alerts_sync
from fokus.customers.services import customer_create

pytestmark = pytest.mark.browser


@pytest.fixture
def live_alert(org, alice, bob):
    """An overdue customer as of the real today (the live server reads the clock)."""
    today = org.local_date(timezone.now())
    customer = customer_create(
        organisation=org,
        name="Bageriet Østerbro",
        since=today - dt.timedelta(days=200),
        today=timezone.localdate(),
    )
    alerts_sync(organisation=org, today=today, now=timezone.now())
    return Alert.objects.get(customer=customer)


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.mark.browser_context_args(locale="en-GB")
def test_one_click_on_the_digest_link_logs_the_contact(live_server, page, live_alert, bob):
    errors = _watch(page)
    url = contact_link_url(alert=live_alert, user=bob, kind="call")

    page.goto(url.replace("http://127.0.0.1:8000", live_server.url))

    page.get_by_role("heading", name="Contact logged").wait_for()
    live_alert.refresh_from_db()
    assert live_alert.state == AlertState.RESOLVED
    assert live_alert.customer.contacts.get().user == bob
    assert errors == []


@pytest.mark.browser_context_args(locale="en-GB")
def test_acknowledging_in_the_inbox_moves_the_alert_without_a_reload(
    live_server, page, live_alert, alice, client, pytestconfig
):
    errors = _watch(page)
    client.force_login(alice)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1280, "height": 800})

    page.goto("/alerts/")
    page.get_by_text("No contact with Bageriet Østerbro").wait_for()
    assert page.locator(".mainnav a[href='/alerts/']").inner_text().strip() == "Inbox (1)"
    page.get_by_role("button", name="Acknowledge", exact=True).click()

    page.get_by_text("No open alerts").wait_for()
    assert page.get_by_role("heading", name="Acknowledged 1").is_visible()
    assert page.locator(".mainnav a[href='/alerts/']").inner_text().strip() == "Inbox"
    assert Alert.objects.get().state == AlertState.ACKNOWLEDGED
    output = Path(pytestconfig.getoption("--output"))
    output.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(output / "alerts-inbox.png"), full_page=True)
    assert errors == []


def _log_in(page, live_server, client, user) -> None:
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.browser_context_args(locale="en-GB")
def test_the_navigation_count_follows_the_alerts_every_minute_without_a_reload(
    live_server, page, live_alert, alice, client
):
    errors = _watch(page)
    _log_in(page, live_server, client, alice)
    page.clock.install()
    page.goto("/customers/")
    inbox_link = page.locator(".mainnav a[href='/alerts/']")
    assert inbox_link.inner_text().strip() == "Inbox (1)"
    page.evaluate("window.__marker = 'same page'")

    Alert.objects.filter(pk=live_alert.pk).update(state=AlertState.ACKNOWLEDGED)
    page.clock.run_for("01:01")

    page.locator("#nav-alert-count .count").wait_for(state="detached")
    assert inbox_link.inner_text().strip() == "Inbox"
    assert page.evaluate("window.__marker") == "same page"
    assert errors == []


@pytest.fixture
def three_overdue(org):
    """Three customers overdue as of the real today, and their alerts."""
    today = org.local_date(timezone.now())
    for n, days in enumerate((300, 250, 200), start=1):
        customer_create(
            organisation=org, name=f"Kunde {n}", since=today - dt.timedelta(days=days), today=today
        )
    alerts_sync(organisation=org, today=today, now=timezone.now())
    return today


@pytest.mark.browser_context_args(locale="en-GB")
def test_on_a_phone_ticked_alerts_are_acknowledged_and_snoozed_in_one_go(
    live_server, page, three_overdue, alice, client, pytestconfig
):
    errors = _watch(page)
    _log_in(page, live_server, client, alice)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/alerts/")
    page.evaluate("window.__marker = 'same page'")
    assert page.get_by_role("heading", name="Customers to contact 3").is_visible()

    page.get_by_role("checkbox", name="Select No contact with Kunde 1").check()
    page.get_by_role("checkbox", name="Select No contact with Kunde 3").check()
    page.get_by_role("button", name="Acknowledge selected").click()

    page.get_by_text("2 alerts acknowledged.").wait_for()
    inbox_link = page.locator(".mainnav a[href='/alerts/']")
    assert inbox_link.inner_text().strip() == "Inbox (1)"
    assert page.get_by_role("heading", name="Acknowledged 2").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.locator("#section-open").get_by_role("link", name="Select all in this group").click()
    page.get_by_role("link", name="Clear the selection").first.wait_for()
    assert page.get_by_role("checkbox", name="Select No contact with Kunde 2").is_checked()
    page.get_by_label("Reason").first.fill("Sommerferie")
    page.get_by_role("button", name="Snooze selected").click()

    page.get_by_text("1 alert snoozed until").wait_for()
    assert inbox_link.inner_text().strip() == "Inbox"
    assert page.evaluate("window.__marker") == "same page"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    states = dict(Alert.objects.values_list("customer__name", "state"))
    assert states == {"Kunde 1": "acknowledged", "Kunde 2": "open", "Kunde 3": "acknowledged"}
    assert Alert.objects.get(customer__name="Kunde 2").snooze_reason == "Sommerferie"
    output = Path(pytestconfig.getoption("--output"))
    output.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(output / "alerts-inbox-phone.png"), full_page=True)
    assert errors == []


@pytest.mark.browser_context_args(locale="en-GB")
def test_without_javascript_the_phone_inbox_acknowledges_ticked_alerts(
    live_server, browser, three_overdue, alice, client
):
    context = browser.new_context(
        java_script_enabled=False, locale="en-GB", base_url=live_server.url
    )
    page = context.new_page()
    _log_in(page, live_server, client, alice)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/alerts/")

    page.get_by_role("checkbox", name="Select No contact with Kunde 2").check()
    page.get_by_role("button", name="Acknowledge selected").click()

    page.get_by_text("1 alert acknowledged.").wait_for()
    assert Alert.objects.get(customer__name="Kunde 2").state == AlertState.ACKNOWLEDGED
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
