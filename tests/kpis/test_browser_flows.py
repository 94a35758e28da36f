"""The weekly work in a real Chromium, as a user does it: create a KPI from a template,
check in from the dashboard, read the chart, switch language; a viewer is refused."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from fokus.kpis.models import Kpi
from fokus.kpis.selectors import default_period
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.browser_context_args(locale="en-GB")]


@pytest.fixture
def errors(page):
    """Console errors and page errors of the test (there must be none)."""
    found: list[str] = []
    page.on("console", lambda msg: found.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: found.append(str(exc)))
    return found


@pytest.fixture
def shots(pytestconfig) -> Path:
    output = Path(pytestconfig.getoption("--output"))
    output.mkdir(parents=True, exist_ok=True)
    return output


def _log_in(page, live_server, email="alice@example.com"):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")


def _wait_for_htmx(page, form) -> None:
    """Until htmx has taken over a form it just swapped in (a robot that presses Enter
    sooner sends the form without it, as if JavaScript were off)."""
    form.wait_for()
    page.wait_for_function(
        "(form) => Boolean(form['htmx-internal-data'] && form['htmx-internal-data'].initHash)",
        arg=form.element_handle(),
    )


@pytest.fixture
def behind_kpi(org, make_kpi, check_in):
    """A KPI far behind its plan, running around today (so the dashboard's default period
    shows it in any month of the year): off track whatever today is."""

    today = org.local_date(timezone.now())
    start = today - dt.timedelta(days=150)
    kpi = make_kpi(
        name="Nye kunder",
        unit_label="new customers",
        start=start,
        end=start + dt.timedelta(days=364),
        target=Decimal(1000),
        focus=True,
    )
    return check_in(kpi, {start: 1})


def test_a_user_checks_in_from_the_dashboard_and_sees_the_status_change(
    live_server, page, alice, behind_kpi, errors, shots
):

    _log_in(page, live_server)
    card = page.locator(f"#card-{behind_kpi.pk}")
    assert card.locator(".badge").inner_text().strip() == "Off track"
    today = behind_kpi.organisation.local_date(timezone.now())
    days = (behind_kpi.end - behind_kpi.start).days + 1
    needed = math.ceil(1000 * ((today - behind_kpi.start).days + 1) / days)

    card.get_by_text("Check in").click()
    _wait_for_htmx(page, card.locator("form.quick-form"))
    question = card.get_by_label("How many new customers since last time?")
    question.fill(str(needed))
    card.get_by_label("Note (optional)").fill("Fire nye aftaler")
    question.press("Enter")  # the keyboard is enough

    saved = page.locator(f"#card-{behind_kpi.pk} .saved")
    saved.wait_for()
    assert "Checked in" in saved.inner_text()
    status = page.locator(f"#card-{behind_kpi.pk} .badge").inner_text().strip()
    # The plan to date plus the first check-in: ahead of the plan, the target only on
    # the period's last day.
    assert status == ("Achieved" if needed + 1 >= 1000 else "On track")
    assert page.url == f"{live_server.url}/"  # no page reload: htmx swapped the card
    page.screenshot(path=str(shots / "dashboard.png"), full_page=True)
    assert errors == []


def test_the_dashboard_works_on_a_375_px_wide_phone(
    live_server, page, alice, behind_kpi, errors, shots
):
    page.set_viewport_size({"width": 375, "height": 800})
    _log_in(page, live_server)

    card = page.locator(f"#card-{behind_kpi.pk}")
    card.get_by_text("Check in").click()
    field = card.get_by_label("How many new customers since last time?")
    box = field.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    wide = page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter((el) => el.getBoundingClientRect().right > 376)
            .map((el) => el.tagName + "." + el.className).slice(0, 5)"""
    )
    assert wide == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(shots / "dashboard-phone.png"), full_page=True)
    assert errors == []


def test_a_user_creates_a_kpi_from_a_template_with_the_wizard(live_server, page, alice, errors):
    _log_in(page, live_server)
    page.get_by_role("link", name="New KPI").first.click()
    page.locator('a[href="?template=new-customers"]').click()

    assert page.get_by_label("Name").input_value() == "New customers"
    assert page.get_by_label("Target", exact=True).input_value() == "10"
    page.get_by_label("Target", exact=True).fill("12")
    page.locator("#kpi-sentence .sentence").filter(has_text="Get 12 new customers").wait_for()
    page.get_by_role("button", name="Save KPI").click()

    page.wait_for_url(re.compile(r"/kpis/\d+/$"))
    assert page.locator("h1").inner_text() == "New customers"
    assert page.locator("p.sentence").inner_text().startswith("Get 12 new customers in the period")
    assert page.get_by_role("heading", name="Sub-goals").is_visible()
    assert errors == []


def test_a_templates_sub_goals_follow_the_year_chosen_in_the_wizard(
    live_server, page, org, alice, errors, shots
):
    """Choose a template, then the year after the one proposed: the sub-goals move to that
    year in the form (the live preview), and the KPI saves with them."""
    planned = default_period(organisation=org, today=org.local_date(timezone.now()))
    later = planned.start.year + 1
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/kpis/new/?template=new-customers")
    assert page.get_by_label("Sub-goal 1: date").input_value() == f"{later - 1}-03-31"

    page.get_by_label("Period", exact=True).select_option(str(later))

    page.locator("#milestone-table .alert").filter(
        has_text=f"The sub-goals follow the new period {later}"
    ).wait_for()
    assert page.get_by_label("Sub-goal 1: date").input_value() == f"{later}-03-31"
    assert page.get_by_label("Sub-goal 3: value").input_value() == "7.5"
    page.screenshot(path=str(shots / "wizard-moved.png"), full_page=True)
    page.get_by_role("button", name="Save KPI").click()

    page.wait_for_url(re.compile(r"/kpis/\d+/$"))
    kpi = Kpi.objects.get()
    assert (kpi.start, kpi.end) == (dt.date(later, 1, 1), dt.date(later, 12, 31))
    assert [m.date for m in kpi.milestones.order_by("date")] == [
        dt.date(later, 3, 31),
        dt.date(later, 6, 30),
        dt.date(later, 9, 30),
    ]
    assert errors == []


def test_a_check_in_before_the_period_asks_for_its_date(
    live_server, page, org, alice, make_kpi, errors
):
    """A KPI of next year on the dashboard of next year: no date is proposed, the form says
    why, and the date the user chooses is the one saved."""
    today = org.local_date(timezone.now())
    year = today.year + 1
    kpi = make_kpi(
        name="Nye kunder",
        unit_label="new customers",
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
    )
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/?period={year}")
    card = page.locator(f"#card-{kpi.pk}")

    card.get_by_text("Check in").click()
    _wait_for_htmx(page, card.locator("form.quick-form"))
    date = card.get_by_label("Date")
    assert date.input_value() == ""
    assert f"The period starts 1 January {year}" in card.locator(".help").inner_text()
    card.get_by_label("How many new customers since last time?").fill("2")
    date.fill(f"{year}-01-15")
    card.get_by_role("button", name="Save check-in").click()

    page.locator(f"#card-{kpi.pk} .saved").wait_for()
    assert kpi.checkins.get().date == dt.date(year, 1, 15)
    assert errors == []


def test_the_kpi_page_draws_its_chart_without_console_errors(
    live_server, page, alice, behind_kpi, errors, shots
):
    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page, live_server)

    page.goto(f"{live_server.url}/kpis/{behind_kpi.pk}/")

    page.locator("#kpi-chart.js-plotly-plot .main-svg").first.wait_for(state="visible")
    assert page.locator("#kpi-chart .scatterlayer .trace").count() >= 3
    page.screenshot(path=str(shots / "kpi.png"), full_page=True)
    assert errors == []


def test_a_user_switches_the_language_to_danish_and_back(live_server, page, alice, errors):
    _log_in(page, live_server)
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("button", name="Dansk").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "da"

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert errors == []


def test_a_viewer_sees_the_kpis_but_is_refused_when_changing_them(
    live_server, page, vera, behind_kpi, errors
):
    _log_in(page, live_server, email="vera@example.com")

    card = page.locator(f"#card-{behind_kpi.pk}")
    assert card.locator(".badge").is_visible()
    assert card.get_by_text("Check in").count() == 0
    status = page.evaluate(
        """async ([url, token]) => (await fetch(url, {method: "POST",
              headers: {"X-CSRFToken": token, "HX-Request": "true"},
              body: new URLSearchParams({value: "5", date: "2027-01-01"})})).status""",
        [
            f"/kpis/{behind_kpi.pk}/checkin/",
            page.evaluate("JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken']"),
        ],
    )
    assert status == 403
    page.goto(f"{live_server.url}/kpis/new/")
    assert page.get_by_role("heading", name="Not allowed").is_visible()
    assert behind_kpi.checkins.count() == 1
    assert [e for e in errors if "403" not in e] == []
