"""In a real Chromium, in Danish: plan the article's year from one sales goal, get the
K1–K4 stage KPIs, watch the funnel fill up, re-plan after a weak quarter, and read the
review that proposes what comes next."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fokus.kpis.models import Kpi
from fokus.kpis.services import checkin_record
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.browser_context_args(locale="da-DK")]


def cells(page, css: str) -> list[str]:
    return [t.replace("\xa0", " ").strip() for t in page.locator(css).all_inner_texts()]


def test_a_new_user_plans_the_articles_year_from_one_sales_goal(
    live_server, page, org, alice, pytestconfig
):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    year = org.local_date(timezone.now()).year
    page.set_viewport_size({"width": 1280, "height": 1000})

    page.goto(f"{live_server.url}/plans/")
    page.locator("input[name=username]").fill("alice@example.com")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/login/'] button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/plans/")
    page.locator("a[href='/plans/funnel/new/']").first.click()

    # One goal: 10 buyers in the year; the article's rates are filled in.
    page.locator("input[name=goal]").fill("10")
    page.locator("input[name=period]").fill(str(year))
    required = page.locator("#funnel-preview .required")
    rate = page.locator("input[name=rate_2]")
    rate.fill("50")  # what if half the quotes bought?
    expect(required.first).to_have_text("4.000")
    rate.fill("25")
    expect(required.first).to_have_text("8.000")
    assert cells(page, "#funnel-preview .required") == ["8.000", "800", "40", "10"]
    assert required.count() == 4

    page.locator("button[name=action][value=create]").click()
    page.wait_for_url(re.compile(r".*/plans/funnel/\d+/$"))
    assert cells(page, "#stages .planned") == ["8.000", "800", "40", "10"]
    periods = cells(page, "#stages tbody tr td:nth-child(2)")
    assert periods == [f"{year}-K{quarter}" for quarter in (1, 2, 3, 4)]
    kpis = list(Kpi.objects.filter(organisation=org).order_by("start"))
    assert [int(k.target) for k in kpis] == [8000, 800, 40, 10]
    page.locator("#funnel-chart.js-plotly-plot .main-svg").first.wait_for(state="visible")

    # The year goes by: K1-K3 are over (this test plans the year it runs in).
    today = org.local_date(timezone.now())
    reached = [8000, 640, 30]
    for kpi, value in zip(kpis[:3], reached, strict=True):
        if kpi.start <= today:
            checkin_record(kpi=kpi, date=kpi.start, value=Decimal(value))
    page.reload()
    started = [k for k in kpis[:3] if k.start <= today]
    shown = cells(page, "#stages .actual")
    assert shown[: len(started)] == [f"{v:,}".replace(",", ".") for v in reached[: len(started)]]
    if len(started) >= 2:
        assert page.locator("#stages .stage-row.bottleneck .flag").count() == 1
    if kpis[2].end < today:  # K3 ended at 30 quotes of 40: 7 buyers is what they give
        page.locator("#replan button[type=submit]").click()
        page.wait_for_url(re.compile(r".*/plans/funnel/\d+/$"))
        assert cells(page, "#stages .target")[3] == "7"

    output = Path(pytestconfig.getoption("--output"))
    output.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(output / "plans-funnel.png"), full_page=True)

    page.goto(f"{live_server.url}/review/?period={year}")
    assert page.locator("#verdicts tbody tr").count() == 4
    assert page.locator("#proposed").is_visible()

    page.screenshot(path=str(output / "plans-review.png"), full_page=True)
    assert errors == []
