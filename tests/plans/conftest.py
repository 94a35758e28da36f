"""Fixtures of the planner tests: the article's funnel stored with its stage KPIs (for
2027, and for 2026 with its numbers), and single check-ins on them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fokus.kpis.services import checkin_record
from fokus.plans.selectors import funnel_get
from fokus.plans.services import funnel_create

ARTICLE_RATES = ["0.10", "0.05", "0.25"]


@pytest.fixture
def article_funnel(org, alice):
    """The article's year: 10 buyers at 10 % / 5 % / 25 %, K1..K4, stage KPIs created."""
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

    def record_one(kpi, date: dt.date, value: int | str):
        return checkin_record(kpi=kpi, date=date, value=Decimal(value))[0]

    return record_one


@pytest.fixture
def funnel_2026_plan(org, alice):
    """The article's funnel for 2026 (K1..K4) with its stage KPIs, nothing recorded yet."""
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
