"""Shared fixtures: named users of different roles in two organisations.

alice owns Acme ApS, bob is a member, vera a viewer; charlie owns another organisation
and so is the outsider every access test also checks.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop; Django's ORM must still be usable beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery"

# The browser tests drive the system Chromium.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def clear_kpi_cache() -> None:
    """Forget cached evaluations and cards: the next read computes every KPI afresh (the
    most queries a page can cost)."""
    from django.core.cache import caches

    caches["kpis"].clear()


@pytest.fixture(autouse=True)
def _cold_kpi_cache():
    clear_kpi_cache()


@pytest.fixture
def org(db):
    from fokus.accounts.services import organisation_create

    return organisation_create(name="Acme ApS")


@pytest.fixture
def other_org(db):
    from fokus.accounts.services import organisation_create

    return organisation_create(name="Other ApS")


def _member(organisation, email: str, role: str):
    from fokus.accounts.models import Membership, User

    user = User.objects.create_user(email, PASSWORD)
    Membership.objects.create(organisation=organisation, user=user, role=role)
    return user


@pytest.fixture
def alice(org):
    return _member(org, "alice@example.com", "owner")


@pytest.fixture
def bob(org):
    return _member(org, "bob@example.com", "member")


@pytest.fixture
def vera(org):
    return _member(org, "vera@example.com", "viewer")


@pytest.fixture
def charlie(other_org):
    return _member(other_org, "charlie@example.com", "owner")


@pytest.fixture
def make_kpi(org):
    """Create a KPI through the service, with sensible defaults."""
    from fokus.kpis.services import KpiSpec, kpi_create

    def make(organisation=None, **fields):
        defaults = dict(
            name="Nye kunder",
            start=dt.date(2027, 1, 1),
            end=dt.date(2027, 12, 31),
            target=Decimal(10),
        )
        defaults.update(fields)
        return kpi_create(organisation=organisation or org, spec=KpiSpec(**defaults))

    return make


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
