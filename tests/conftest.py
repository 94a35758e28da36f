"""The fixtures every area of the tests shares.

Two organisations: alice owns Acme ApS, bob is a member and vera a viewer of it; charlie
owns Other ApS and so is the outsider every access test also checks. ``today`` freezes
the clock at the one instant the tests run at (helpers.NOW, 30 June 2027); the logged-in
clients and the API clients of the named users start there. The real servers Fokus talks
to (SMTP, webhooks) run on loopback, and the browser tests drive the system Chromium.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client

from fokus.accounts.models import Membership, User
from fokus.accounts.services import organisation_create
from fokus.customers.services import customer_create
from fokus.kpis.services import KpiSpec, checkin_record, kpi_create
from tests.helpers import (
    NOW,
    PASSWORD,
    TODAY,
    ApiClient,
    SmtpServer,
    WebhookReceiver,
    api_token,
    free_port,
)

# Playwright's sync API runs an event loop; Django's ORM must still be usable beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

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


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every test starts with cold KPI evaluations and cards, and with the rate limits
    (login and API, counted in the default cache) at zero."""
    caches["kpis"].clear()
    caches["default"].clear()
    yield
    caches["default"].clear()


# --- The clock ---------------------------------------------------------------------------


@pytest.fixture
def today(time_machine):
    """Freeze the clock at NOW (30 June 2027, 14:00 in Copenhagen); the organisation's
    today is TODAY."""
    time_machine.move_to(NOW, tick=False)
    return TODAY


# --- Organisations and the named users -----------------------------------------------------


@pytest.fixture
def org(db):
    return organisation_create(name="Acme ApS")


@pytest.fixture
def other_org(db):
    return organisation_create(name="Other ApS")


def _member(organisation, email: str, role: str):
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


# --- Logged-in web clients (the session starts at NOW, not before the time travel) --------


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice, today):
    return _logged_in(alice)


@pytest.fixture
def bob_client(bob, today):
    return _logged_in(bob)


@pytest.fixture
def vera_client(vera, today):
    return _logged_in(vera)


@pytest.fixture
def charlie_client(charlie, today):
    return _logged_in(charlie)


# --- API clients with a bearer token of the named users ------------------------------------


@pytest.fixture
def alice_api(alice, org, today):
    return ApiClient(Client(), api_token(alice, org))


@pytest.fixture
def bob_api(bob, org, today):
    return ApiClient(Client(), api_token(bob, org))


@pytest.fixture
def vera_api(vera, org, today):
    return ApiClient(Client(), api_token(vera, org))


@pytest.fixture
def charlie_api(charlie, other_org, today):
    return ApiClient(Client(), api_token(charlie, other_org))


@pytest.fixture
def anonymous_api(db, today):
    return ApiClient(Client(), None)


# --- KPIs and customers, made through the services ---------------------------------------


@pytest.fixture
def make_kpi(org):
    """Create a KPI through the service: "Nye kunder", 10 in 2027, unless told otherwise."""

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


@pytest.fixture
def check_in():
    """Record check-ins ``{date: value}`` on a KPI through the service."""

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


@pytest.fixture
def make_customer(org):
    """Register a customer through the service: active since 1 January 2027 (so due on
    1 April and overdue on TODAY) unless told otherwise."""

    def make(name="Bageriet Østerbro", since=dt.date(2027, 1, 1), organisation=None, **fields):
        fields.setdefault("today", TODAY)
        return customer_create(organisation=organisation or org, name=name, since=since, **fields)

    return make


# --- The real servers Fokus sends to --------------------------------------------------------


@pytest.fixture
def smtp_down(settings):
    """Django sends its e-mail through SMTP to a loopback port where nothing listens yet;
    ``start()`` brings the server up there."""
    server = SmtpServer(port=free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.fixture
def smtp_server(smtp_down):
    """A real SMTP server (aiosmtpd) on loopback that Django sends to; keeps what it gets."""
    smtp_down.start()
    return smtp_down


@pytest.fixture
def webhook_receiver(settings):
    """A real HTTP server on loopback that the webhooks may post to."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    receiver = WebhookReceiver()
    receiver.start()
    yield receiver
    receiver.stop()


# --- Chromium ---------------------------------------------------------------------------


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
