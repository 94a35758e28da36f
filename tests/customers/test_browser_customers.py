"""Drive the customer pages in Chromium: one click on the list logs a contact and the row
updates in place; the customer page logs a contact and shows it on the timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fokus.customers.services import customer_create
from tests.helpers import PASSWORD


@pytest.fixture
def overdue(org, alice):
    today = org.local_date(timezone.now())
    customer_create(
        organisation=org,
        name="Bageriet Østerbro",
        since=today - dt.timedelta(days=200),
        owner=alice,
        today=today,
    )
    return today


def _log_in(page, live_server):
    page.goto("/login/?next=/customers/")
    page.get_by_label("E-mail").fill("alice@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/customers/")


@pytest.mark.browser
@pytest.mark.browser_context_args(locale="en-GB")
def test_one_click_on_the_list_logs_a_contact_and_updates_the_row(live_server, page, overdue):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _log_in(page, live_server)
    row = page.locator("tr", has_text="Bageriet Østerbro")
    assert row.locator(".badge").inner_text().strip() == "Overdue"
    page.evaluate("window.__marker = 'same page'")

    row.get_by_role("button", name="Log contact today").click()

    row = page.locator("tr", has_text="Bageriet Østerbro")
    row.get_by_role("button", name="✓ Logged").wait_for()
    assert row.locator(".badge").inner_text().strip() == "Not due"
    assert page.evaluate("window.__marker") == "same page"  # swapped in place, no reload
    assert errors == []


@pytest.mark.browser
@pytest.mark.browser_context_args(locale="en-GB")
def test_the_customer_page_logs_a_contact_in_place(live_server, page, overdue):
    _log_in(page, live_server)
    page.get_by_role("link", name="Bageriet Østerbro").click()
    page.get_by_role("heading", name="Bageriet Østerbro").wait_for()
    page.evaluate("window.__marker = 'same page'")

    page.get_by_label("Kind").select_option("meeting")
    page.get_by_label("Note").fill("Frokost med ejeren")
    page.get_by_role("button", name="Log contact", exact=True).click()

    page.get_by_text("Contact with Bageriet Østerbro logged.").wait_for()
    assert page.locator(".timeline").inner_text().count("Frokost med ejeren") == 1
    assert page.evaluate("window.__marker") == "same page"
