"""In Chromium: the header keeps to one line from 1,024 px up with every link of the
navigation (the data page too), 9,999 open alerts and an 80-character e-mail address,
which it shortens with an ellipsis; on a 390 px phone nothing scrolls sideways."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from fokus.accounts.models import Membership, User
from fokus.alerts.models import Alert, AlertKind

pytestmark = pytest.mark.browser

# 80 characters.
LONG_EMAIL = "karen-margrethe.skovgaard-christiansen@revisions-og-bogholderifirmaet-vestjyl.dk"
ALERTS = 9999

# What the page reports about its header: the top of every item that should sit on the
# header's one line, the header's height and the widths that would scroll sideways.
MEASURE = """() => {
  const inner = document.querySelector('.topbar-inner');
  const items = [...inner.children, ...document.querySelectorAll('.mainnav li')]
    .filter((el) => el.offsetParent !== null);
  const email = document.querySelector('.user-email');
  return {
    height: document.querySelector('.topbar').getBoundingClientRect().height,
    tops: items.map((el) => {
      const box = el.getBoundingClientRect();
      return Math.round(box.top + box.height / 2);
    }),
    links: [...document.querySelectorAll('.mainnav a')].map((a) => a.innerText.trim()),
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    email: email && {
      shown: email.offsetParent !== null,
      clipped: email.scrollWidth > email.clientWidth,
      title: email.title,
      text: email.textContent,
      right: email.getBoundingClientRect().right,
    },
    overflowing: [...document.querySelectorAll('.topbar *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
      .map((el) => el.className || el.tagName),
  };
}"""


@pytest.fixture
def crowded(org):
    """An owner with an 80-character address, and 9,999 open alerts in the organisation."""
    assert len(LONG_EMAIL) == 80
    user = User.objects.create_user(LONG_EMAIL, "correct horse battery")
    Membership.objects.create(organisation=org, user=user, role="owner")
    now = timezone.now()
    today = org.local_date(now)
    Alert.objects.bulk_create(
        Alert(
            organisation=org,
            kind=AlertKind.CHECKIN_OVERDUE,
            subject_key=f"kpi:{n}",
            raised_on=today,
            raised_at=now,
            data={"name": f"KPI {n}"},
        )
        for n in range(ALERTS)
    )
    return user


def _open(page, live_server, user, width: int, path: str = "/customers/") -> dict:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(path)
    return page.evaluate(MEASURE)


@pytest.mark.parametrize("locale", ["da-DK", "en-GB"])
@pytest.mark.parametrize("width", [1024, 1280])
def test_the_header_keeps_to_one_line_with_9999_alerts_and_a_long_address(
    live_server, browser, crowded, width, locale
):
    page = browser.new_page(locale=locale, base_url=live_server.url)
    measured = _open(page, live_server, crowded, width)

    inbox = "Indbakke" if locale == "da-DK" else "Inbox"
    assert f"{inbox} ({ALERTS})" in measured["links"]
    assert "Data" in measured["links"]
    assert (
        len(measured["links"]) == 8
    )  # dashboard, new KPI, review, customers, plans, inbox, data, settings
    assert max(measured["tops"]) - min(measured["tops"]) <= 2, measured  # one line
    assert measured["height"] < 70, measured
    assert measured["email"]["shown"] and measured["email"]["clipped"]
    assert measured["email"]["title"] == LONG_EMAIL == measured["email"]["text"]
    assert measured["overflowing"] == [] and measured["scrollWidth"] <= width, measured
    page.close()


@pytest.mark.parametrize("width", [360, 390, 414])
def test_on_a_phone_every_link_is_there_and_nothing_scrolls_sideways(
    live_server, browser, crowded, width
):
    page = browser.new_page(locale="da-DK", base_url=live_server.url)
    measured = _open(page, live_server, crowded, width)

    assert len(measured["links"]) == 8 and "Data" in measured["links"]
    assert measured["scrollWidth"] <= width, measured
    assert measured["overflowing"] == [], measured
    page.get_by_role("link", name="Data").click()
    page.get_by_role("heading", name="Data ind og ud").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()
