"""Fixtures of the web tests: a logged-in client, KPIs with check-ins, and Chromium."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# "Today" of the server-side tests: the middle of the KPIs' default year.
TODAY = dt.datetime(2027, 6, 30, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the system Chromium; without one skip, or fail when FOKUS_REQUIRE_BROWSER=1."""
    if not Path(CHROMIUM).is_file():
        reason = f"no Chromium at {CHROMIUM} (set CHROMIUM_PATH)"
        if os.environ.get("FOKUS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}, and FOKUS_REQUIRE_BROWSER=1 requires one")
        pytest.skip(reason)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative ``page.goto("/")`` goes to the live server. Also replaces pytest-playwright's
    fallback ``base_url``, an instance-method session fixture that pytest 9 deprecates
    (a PytestRemovedIn10Warning, so an error under ``filterwarnings = error``)."""
    return live_server.url


@pytest.fixture
def today(time_machine):
    """Freeze the clock on 30 June 2027 (the organisation's today)."""
    time_machine.move_to(TODAY, tick=False)
    return TODAY.date()


@pytest.fixture
def alice_client(client, alice, today):
    """alice logged in on ``today`` (the session must not start before the time travel)."""
    client.force_login(alice)
    return client


@pytest.fixture
def check_in():
    """Record check-ins ``{date: value}`` on a KPI through the service."""
    from fokus.kpis.services import checkin_record

    def record(kpi, values: dict[dt.date, int | str]):
        for date, value in values.items():
            checkin_record(kpi=kpi, date=date, value=Decimal(value))
        return kpi

    return record


@pytest.fixture
def on_track_kpi(make_kpi, check_in):
    """10 new customers in 2027, 6 of them won by the end of June: on track."""
    kpi = make_kpi(
        name="Nye kunder",
        focus=True,
        milestones=[(dt.date(2027, 3, 31), Decimal(2)), (dt.date(2027, 6, 30), Decimal(5))],
    )
    return check_in(kpi, {dt.date(2027, 2, 10): 1, dt.date(2027, 4, 2): 2, dt.date(2027, 6, 20): 3})
