"""The year guide in Chromium, in Danish, on a phone and on a desktop: every step fits the
screen and works with the keyboard and the mouse as a user meets it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from fokus.guide.models import YearPlan
from fokus.guide.services import guide_year
from fokus.kpis.models import Kpi

pytestmark = [pytest.mark.browser, pytest.mark.browser_context_args(locale="da-DK")]

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture
def errors(page):
    found: list[str] = []
    page.on("console", lambda msg: found.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: found.append(str(exc)))
    return found


def _log_in(page, live_server, client, user):
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _fits(page, width: int) -> None:
    """Nothing sticks out to the right: the page never scrolls sideways."""
    wide = page.evaluate(
        """(width) => [...document.querySelectorAll("main *")]
            .filter((el) => el.getBoundingClientRect().right > width + 1
                && !el.closest(".guide-steps ol"))
            .map((el) => el.tagName + "." + el.className).slice(0, 5)""",
        width,
    )
    everywhere = page.evaluate(
        """(width) => [...document.querySelectorAll("body *")]
            .filter((el) => el.getBoundingClientRect().right > width + 1)
            .map((el) => `${el.tagName}.${el.className} ${el.getBoundingClientRect().right}`)
            .slice(0, 12)""",
        width,
    )
    assert wide == [], everywhere
    assert page.evaluate("document.documentElement.scrollWidth") <= width, everywhere


@pytest.mark.parametrize("screen", SCREENS)
def test_the_guide_takes_a_skip_and_a_return_and_fits_every_screen(
    live_server, page, client, alice, org, errors, screen, pytestconfig
):
    size = SCREENS[screen]
    page.set_viewport_size(size)
    _log_in(page, live_server, client, alice)
    year = guide_year(organisation=org, today=org.local_date(timezone.now()))

    page.goto(f"{live_server.url}/guide/")
    page.get_by_role("heading", name=f"Årsplan {year}").wait_for()
    _fits(page, size["width"])
    page.get_by_role("link", name="Begynd at planlægge").click()

    page.get_by_role("heading", name="Salgsmål").wait_for()
    assert page.locator(".guide-count").inner_text() == "Trin 1 af 6"
    _fits(page, size["width"])
    page.get_by_label("Nye kunder i år").fill("0")
    page.get_by_role("button", name="Gem og fortsæt").click()
    error = page.locator(".field-invalid .field-error")
    error.wait_for()
    assert page.get_by_label("Nye kunder i år").input_value() == "0"
    page.get_by_role("button", name="Spring trinnet over").click()

    page.get_by_role("heading", name="Løftestænger").wait_for()
    page.locator(".guide-steps").get_by_role("link", name="Salgsmål").click()
    page.get_by_text("I sprang dette trin over").wait_for()
    page.get_by_label("Nye kunder i år").fill("10")
    page.get_by_label("Hvad en ny kunde køber for om året (kr.)").fill("100.000")
    page.get_by_label("Nye kunder i år").press("Enter")
    page.get_by_role("heading", name="Løftestænger").wait_for()
    _fits(page, size["width"])
    # An empty register: the levers over existing customers are worth nothing yet.
    assert page.locator("#no-register").is_visible()

    plan = YearPlan.objects.get(organisation=org, year=year)
    assert plan.steps == {"goal": "done"}
    assert sorted(Kpi.objects.filter(organisation=org).values_list("target", flat=True)) == [
        10,
        1_000_000,
    ]
    output = Path(pytestconfig.getoption("--output"))
    output.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(output / f"guide-{screen}.png"), full_page=True)
    assert errors == []
