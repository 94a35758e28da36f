"""Drive the customer pages in Chromium: one click on the list logs a contact and the row
updates in place; the customer page logs a contact and shows it on the timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fokus.customers.models import Customer
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


@pytest.mark.browser
@pytest.mark.browser_context_args(locale="en-GB")
def test_on_a_phone_a_customer_overdue_from_day_one_is_added_calmly_and_then_deleted(
    live_server, page, overdue
):
    today = overdue
    page.set_viewport_size({"width": 390, "height": 844})
    _log_in(page, live_server)
    page.get_by_role("link", name="Add customer").first.click()
    page.get_by_label("Name").fill("bageriet  østerbro")
    page.get_by_label("Customer since").fill("2024-03-01")
    page.get_by_label("E-mail").fill("ost@example.dk")
    page.get_by_role("button", name="Add customer").click()

    page.get_by_text("The customer would be overdue from day one").wait_for()
    page.get_by_text("Another customer has the same name or CVR number:").wait_for()
    assert page.get_by_label("E-mail").input_value() == "ost@example.dk"
    assert page.get_by_label("Count contact from this day").is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Add anyway").click()

    page.get_by_text("bageriet  østerbro was added.").wait_for()
    added = Customer.objects.get(email="ost@example.dk")
    assert (added.clock_start, added.contact_due_on > today) == (today, True)

    page.get_by_role("link", name="Delete").click()
    page.get_by_role("heading", name="Delete the customer “bageriet  østerbro”?").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Delete the customer").click()

    page.get_by_text("was deleted, with everything that was theirs.").wait_for()
    assert not Customer.objects.filter(pk=added.pk).exists()
    assert Customer.objects.filter(name="Bageriet Østerbro").exists()
