"""Drive the real UI in Chromium: log in, read the dashboard, see the chart drawn."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from tests.helpers import PASSWORD


@pytest.fixture
def current_kpi(org, alice, make_kpi, check_in):
    """A focus KPI running around today (so the dashboard's default period shows it, in
    any month of the year), on track as of today: a check-in every 30 days so far and
    one today, never behind the plan."""

    today = org.local_date(timezone.now())
    start, end = today - dt.timedelta(days=150), today + dt.timedelta(days=214)
    target = 120
    kpi = make_kpi(name="Nye kunder", start=start, end=end, target=Decimal(target), focus=True)
    days = (end - start).days + 1
    values, total = {}, 0
    for day in [start + dt.timedelta(days=n) for n in range(29, 150, 30)] + [today]:
        # Ahead of the plan, but short of the target (which would make it "achieved").
        cumulative = min(math.ceil(target * ((day - start).days + 1) / days), target - 1)
        values[day], total = cumulative - total, cumulative
    return check_in(kpi, {day: value for day, value in values.items() if value})


@pytest.mark.browser
@pytest.mark.browser_context_args(locale="en-GB")
def test_user_logs_in_and_sees_the_dashboard_with_a_chart(
    live_server, page, current_kpi, pytestconfig
):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto("/")
    page.get_by_label("E-mail").fill("alice@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.wait_for_url(f"{live_server.url}/")
    card = page.locator(".kpi-card", has_text="Nye kunder")
    assert card.locator(".badge").inner_text().strip() == "On track"
    page.locator("#dashboard-chart.js-plotly-plot .main-svg").first.wait_for(state="visible")
    assert page.locator("#dashboard-chart .scatterlayer .trace").count() >= 3

    output = Path(pytestconfig.getoption("--output"))
    output.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(output / "dashboard.png"), full_page=True)
    assert errors == []
