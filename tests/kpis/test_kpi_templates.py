"""Every KPI example of the article is a template that makes a valid KPI."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from fokus.kpis.kpi_templates import TEMPLATES, template_get, templates_by_category
from fokus.kpis.services import kpi_check, kpi_create


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.slug)
def test_every_template_passes_the_definition_checks(template):
    spec = template.spec(2027)

    kpi_check(spec)

    assert spec.name
    assert spec.target is not None


def test_the_article_numbers_are_the_defaults():
    assert template_get("new-customers").spec(2027).target == Decimal(10)
    assert template_get("new-customer-revenue").spec(2027).target == Decimal(1_000_000)
    assert template_get("newsletter-readers").spec(2027).interval_target == Decimal(100)
    assert template_get("followers").spec(2027).target == Decimal(5000)
    assert len(template_get("linkedin-15").spec(2027).items) == 15
    google = template_get("google-top-3").spec(2027)
    assert (google.target, google.direction, google.unit) == (Decimal(3), "decrease", "rank")


def test_a_yearly_template_gets_quarterly_sub_goals_split_linearly():
    spec = template_get("new-customers").spec(2027)

    assert spec.milestones == [
        (dt.date(2027, 3, 31), Decimal("2.5")),
        (dt.date(2027, 6, 30), Decimal(5)),
        (dt.date(2027, 9, 30), Decimal("7.5")),
    ]


def test_the_funnel_stages_sit_in_k1_to_k4():
    starts = [
        template_get(f"funnel-{s}").spec(2027).start for s in ("hear", "visit", "quote", "buy")
    ]

    assert starts == [dt.date(2027, m, 1) for m in (1, 4, 7, 10)]


def test_templates_are_grouped_as_in_the_article_sales_marketing_service():
    with translation.override("en"):
        groups = templates_by_category()

    assert [label for label, _ in groups] == ["Sales", "Marketing", "Service"]
    assert sum(len(items) for _, items in groups) == len(TEMPLATES)


@pytest.mark.django_db
def test_a_template_saves_as_a_kpi(org):
    kpi = kpi_create(organisation=org, spec=template_get("linkedin-15").spec(2027))

    assert kpi.items.count() == 15
    assert kpi.target == Decimal(15)
