"""Fixtures of the planner tests: the web tests' fixtures (a frozen today of 30 June 2027,
a logged-in client, Chromium), the API tests' token clients, a real SMTP server, and the
article's funnel stored with its stage KPIs (for 2027, and for 2026 with its numbers)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.alerts.conftest import SmtpServer, free_port
from tests.api.conftest import ApiClient, _token
from tests.kpis.conftest import *  # noqa: F403

ARTICLE_RATES = ["0.10", "0.05", "0.25"]


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def alice_api(client, alice, org, today):
    return ApiClient(client, _token(alice, org))


@pytest.fixture
def vera_api(client, vera, org, today):
    return ApiClient(client, _token(vera, org))


@pytest.fixture
def charlie_api(client, charlie, other_org, today):
    return ApiClient(client, _token(charlie, other_org))


@pytest.fixture
def article_funnel(org, alice):
    """The article's year: 10 buyers at 10 % / 5 % / 25 %, K1..K4, stage KPIs created."""
    from fokus.plans.selectors import funnel_get
    from fokus.plans.services import funnel_create

    funnel = funnel_create(
        organisation=org,
        user=alice,
        goal=10,
        rates=ARTICLE_RATES,
        stages=None,
        period="2027",
        create_kpis=True,
        now=timezone.now(),
    )
    return funnel_get(organisation=org, pk=funnel.pk)


@pytest.fixture
def stage_kpis(article_funnel):
    return [stage.kpi for stage in article_funnel.stages.all()]


@pytest.fixture
def record():
    """Check in ``value`` on ``kpi`` at ``date`` through the service."""
    from fokus.kpis.services import checkin_record

    def check_in(kpi, date: dt.date, value: int | str):
        return checkin_record(kpi=kpi, date=date, value=Decimal(value))[0]

    return check_in


@pytest.fixture
def funnel_2026_plan(org, alice):
    """The article's funnel for 2026 (K1..K4) with its stage KPIs, nothing recorded yet."""
    from fokus.plans.selectors import funnel_get
    from fokus.plans.services import funnel_create

    funnel = funnel_create(
        organisation=org,
        user=alice,
        goal=10,
        rates=["0.1", "0.05", "0.25"],
        stages=None,
        period="2026",
        create_kpis=True,
        now=timezone.now(),
    )
    return funnel_get(organisation=org, pk=funnel.pk)


@pytest.fixture
def funnel_2026(funnel_2026_plan, record, today):
    """``funnel_2026_plan`` with 9,000 / 700 / 35 reached in K1-K3 and 3 buys recorded by
    15 October, in the running K4."""
    funnel = funnel_2026_plan
    days = [dt.date(2026, 2, 1), dt.date(2026, 5, 1), dt.date(2026, 8, 1), dt.date(2026, 10, 15)]
    for stage, day, value in zip(funnel.stages.all(), days, [9000, 700, 35, 3], strict=True):
        record(stage.kpi, day, value)
    return funnel


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on loopback that Django sends to."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    server = SmtpServer(port=port)
    server.start()
    yield server
    server.stop()
