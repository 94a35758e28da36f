"""Planners link, they don't copy: where a planner would create a KPI that measures what
an existing KPI of that time measures (``fokus.kpis.matching``), it offers the existing
one on its page, links it instead of creating a second, and says so; on the page the
user can still ask for a new one. The API and the CLI answer which KPIs were linked."""

from __future__ import annotations

import datetime as dt
import html
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fokus.core.periods import parse_period
from fokus.kpis.matching import same_kpis
from fokus.kpis.models import Derived, Kpi
from fokus.kpis.services import KpiSpec
from fokus.plans.models import FunnelPlan, Plan, PlanKpi
from fokus.plans.selectors import funnel_get
from fokus.plans.services import funnel_create, funnel_kpi_offers, plan_create
from tests.plans.test_funnel_pages import ARTICLE_FORM

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def new_customers(make_kpi):
    """The owner's first KPI, from the template: 10 new customers in 2027."""
    return make_kpi(name="Nye kunder", kind="new-customers", unit_label="nye kunder")


# --- The rule ---------------------------------------------------------------------------


def spec(**fields) -> KpiSpec:
    defaults = dict(
        name="Anything", start=dt.date(2027, 10, 1), end=dt.date(2027, 12, 31), target=None
    )
    return KpiSpec(**{**defaults, **fields})


def test_the_same_kind_unit_and_overlapping_time_is_the_same_kpi(org, new_customers, make_kpi):
    other = make_kpi(name="Kunder i år", kind="new-customers", unit="currency")
    derived = make_kpi(name="Vundne kunder", start=dt.date(2027, 7, 1))
    derived.derived = Derived.NEW_CUSTOMERS
    derived.save()

    found = same_kpis(organisation=org, spec=spec(name="Køber (2027-K4)", kind="new-customers"))

    assert found == [new_customers, derived]  # other has another unit
    assert other not in found
    later = spec(kind="new-customers", start=dt.date(2028, 1, 1), end=dt.date(2028, 12, 31))
    assert same_kpis(organisation=org, spec=later) == []


def test_the_same_name_or_the_templates_name_is_the_same_kpi(org, make_kpi):
    typed = make_kpi(name="  nye KUNDER ")  # made by hand, no template
    english = make_kpi(name="Revenue from new customers", unit="currency", target=Decimal(5))

    assert same_kpis(organisation=org, spec=spec(name="Nye kunder")) == [typed]
    assert same_kpis(organisation=org, spec=spec(name="X", kind="new-customers")) == [typed]
    assert same_kpis(
        organisation=org, spec=spec(name="Y", kind="new-customer-revenue", unit="currency")
    ) == [english]


def test_an_archived_kpi_or_a_customers_monitor_is_never_the_same(org, make_kpi, make_customer):
    archived = make_kpi(name="Nye kunder")
    archived.archived_at = timezone.now()
    archived.save()
    make_kpi(name="Nye kunder", customer_id=make_customer().pk)

    assert same_kpis(organisation=org, spec=spec(name="Nye kunder")) == []


# --- The funnel -------------------------------------------------------------------------


def test_the_funnels_bottom_stage_links_the_new_customers_kpi(org, alice, new_customers):
    funnel = funnel_create(
        organisation=org,
        user=alice,
        goal=10,
        rates=["0.10", "0.05", "0.25"],
        stages=None,
        period="2027",
        create_kpis=True,
        now=timezone.now(),
    )

    stages = list(funnel.stages.select_related("kpi").order_by("position"))
    assert stages[-1].kpi == new_customers
    assert Kpi.objects.filter(name="Nye kunder").count() == 1
    assert not Kpi.objects.filter(name__startswith="Køber").exists()
    assert [s.kpi.name for s in stages[:3]] == [
        "Hører om virksomheden (2027-K1)",
        "Besøger hjemmesiden, tilmelder sig nyhedsbrevet eller tager kontakt (2027-K2)",
        "Beder om et tilbud (2027-K3)",
    ]


def test_a_second_funnel_of_the_year_links_the_first_ones_stage_kpis(org, alice, article_funnel):
    count = Kpi.objects.count()
    second = funnel_create(
        organisation=org,
        user=alice,
        goal=10,
        rates=["0.10", "0.05", "0.25"],
        stages=None,
        period="2027",
        create_kpis=True,
        now=timezone.now(),
    )

    assert Kpi.objects.count() == count
    assert [s.kpi_id for s in second.stages.order_by("position")] == [
        s.kpi_id for s in article_funnel.stages.all()
    ]


def test_the_planner_page_offers_the_existing_kpi_and_the_user_may_create_a_new_one(
    alice_client, new_customers
):
    form = {**ARTICLE_FORM, "action": "create"}
    offered = alice_client.post(reverse("plans:funnel_new"), form, **EN)

    page = text(offered)
    assert offered.status_code == 200 and not FunnelPlan.objects.exists()
    assert 'id="kpi-offers"' in page and "These KPIs exist already" in page
    assert f'href="{reverse("kpi_detail", args=[new_customers.pk])}"' in page
    assert '<input type="hidden" name="confirmed" value="1">' in page
    assert 'name="create_new" value="stage-3"' in page

    linked = alice_client.post(reverse("plans:funnel_new"), {**form, "confirmed": "1"}, **EN)
    funnel = FunnelPlan.objects.get()
    assert funnel.stages.get(position=3).kpi == new_customers
    message = text(alice_client.get(linked["Location"], **EN))
    assert "instead of creating new ones: “Nye kunder”" in message

    alice_client.post(
        reverse("plans:funnel_new"), {**form, "confirmed": "1", "create_new": "stage-3"}
    )
    again = FunnelPlan.objects.order_by("pk").last()
    assert again.stages.get(position=3).kpi.name == "Køber (2027-K4)"


def test_the_funnel_page_offers_the_existing_kpi_before_creating_the_stage_kpis(
    alice_client, org, alice, new_customers
):
    funnel = funnel_create(
        organisation=org,
        user=alice,
        goal=10,
        rates=["0.10", "0.05", "0.25"],
        stages=None,
        period="2027",
        now=timezone.now(),
    )
    [offer] = [
        o
        for o in funnel_kpi_offers(funnel=funnel_get(organisation=org, pk=funnel.pk))
        if o.existing
    ]
    assert (offer.key, offer.existing) == ("stage-3", new_customers)

    page = text(alice_client.get(reverse("plans:funnel_detail", args=[funnel.pk])))
    assert 'id="kpi-offers"' in page and 'name="create_new" value="stage-3"' in page

    alice_client.post(reverse("plans:funnel_kpis", args=[funnel.pk]))
    assert funnel.stages.get(position=3).kpi == new_customers


def test_the_api_links_and_says_so_unless_told_not_to(alice_api, new_customers):
    body = {"goal": 10, "rates": [0.1, 0.05, 0.25], "period": "2027", "create": True}

    linked = alice_api.post("/plans/funnel", body).json()
    created = alice_api.post("/plans/funnel", {**body, "link_existing": False}).json()

    assert linked["stages"][3]["kpi"] == new_customers.pk
    assert linked["linked"] == [{"key": "stage-3", "kpi": new_customers.pk, "name": "Nye kunder"}]
    assert created["linked"] == []
    assert created["stages"][3]["kpi"] not in (None, new_customers.pk)
    assert alice_api.post("/plans/funnel", {**body, "create": False}).json()["linked"] is None


def test_the_cli_links_and_says_so(org, new_customers):
    out = StringIO()
    call_command(
        "funnel",
        "plan",
        "--goal",
        "10",
        "--rates",
        "0.1,0.05,0.25",
        "--period",
        "2027",
        "--create",
        "--json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["linked"] == [{"key": "stage-3", "kpi": new_customers.pk, "name": "Nye kunder"}]

    out = StringIO()
    call_command(
        "funnel",
        "plan",
        "--goal",
        "10",
        "--rates",
        "0.1,0.05,0.25",
        "--period",
        "2027",
        "--create",
        stdout=out,
    )
    assert f"“Nye kunder” (id {new_customers.pk})" in out.getvalue()

    out = StringIO()
    call_command(
        "funnel",
        "plan",
        "--goal",
        "10",
        "--rates",
        "0.1,0.05,0.25",
        "--period",
        "2027",
        "--create",
        "--no-link",
        "--json",
        stdout=out,
    )
    assert json.loads(out.getvalue())["linked"] == []


# --- The two-period plan ----------------------------------------------------------------


def test_the_plan_links_the_kpis_of_its_templates_that_exist(org, alice, new_customers, make_kpi):
    linkedin = make_kpi(
        name="LinkedIn: 15 personer",
        kind="linkedin-15",
        measure="checklist",
        items=[f"Person {n}" for n in range(15)],
        target=None,
    )
    plan, planned = plan_create(
        organisation=org,
        user=alice,
        name="Året 2027",
        goal="10 nye kunder",
        leading=parse_period("2027-01-01..2027-06-30"),
        sales=parse_period("2027-07-01..2027-12-31"),
    )

    assert {kpi for _key, kpi in planned.linked} == {new_customers, linkedin}
    assert Kpi.objects.filter(kind="new-customers").count() == 1
    assert Kpi.objects.filter(kind="linkedin-15").count() == 1
    sales = PlanKpi.objects.get(period__plan=plan, period__position=1, kpi=new_customers)
    assert PlanKpi.objects.filter(period__plan=plan, feeds=sales.kpi).count() == 3


def test_the_plan_page_offers_the_existing_kpis_first(alice_client, new_customers):
    data = {
        "name": "Året 2027",
        "goal": "10 nye kunder",
        "leading": "2027-01-01..2027-06-30",
        "sales": "2027-07-01..2027-12-31",
        "leading_templates": ["followers"],
        "sales_templates": ["new-customers", "new-customer-revenue"],
    }
    offered = alice_client.post(reverse("plans:plan_new"), data)
    page = text(offered)

    assert offered.status_code == 200 and not Plan.objects.exists()
    assert 'name="create_new" value="sales:new-customers"' in page

    alice_client.post(reverse("plans:plan_new"), {**data, "confirmed": "1"})
    plan = Plan.objects.get()
    assert PlanKpi.objects.filter(period__plan=plan, kpi=new_customers).exists()
    assert Kpi.objects.filter(kind="new-customers").count() == 1

    alice_client.post(
        reverse("plans:plan_new"),
        {**data, "confirmed": "1", "create_new": "sales:new-customers"},
    )
    assert Kpi.objects.filter(kind="new-customers").count() == 2


# --- The revenue planner ----------------------------------------------------------------


def test_the_revenue_planner_links_the_templates_sales_kpis(
    alice_api, new_customers, make_kpi, make_customer
):
    make_customer()  # an active customer to keep longer
    revenue = make_kpi(name="Omsætning fra nye kunder", unit="currency", target=Decimal(1_000_000))
    body = {
        "new_customers": {"count": 10, "annual_spend": 100_000},
        "retention": {"months": 2},
        "period": "2027",
        "create": True,
    }
    answer = alice_api.post("/plans/revenue", body).json()

    assert [link["kpi"] for link in answer["linked"]] == [new_customers.pk, revenue.pk]
    [created] = Kpi.objects.filter(pk__in=answer["kpis"])
    assert created.kind == "retention"
    assert Kpi.objects.filter(unit="currency", name__icontains="nye kunder").count() == 1

    fresh = alice_api.post("/plans/revenue", {**body, "link_existing": False}).json()
    assert fresh["linked"] == [] and len(fresh["kpis"]) == 3


def test_the_revenue_page_offers_the_existing_kpi(alice_client, new_customers):
    query = {"new_count": "10", "new_spend": "100.000", "upsell_mode": "fixed", "period": "2027"}
    page = text(alice_client.get(reverse("plans:revenue"), query))
    assert 'name="create_new" value="new-customers"' in page

    alice_client.post(reverse("plans:revenue"), query)
    assert Kpi.objects.filter(kind="new-customers").count() == 1
    alice_client.post(reverse("plans:revenue"), {**query, "create_new": "new-customers"})
    assert Kpi.objects.filter(kind="new-customers").count() == 2


# --- The issue: one plan for the year ---------------------------------------------------


def test_a_new_owners_year_has_every_kpi_once(alice_client, org):
    """The issue's path: a KPI from a template, then the funnel planner, the two-period
    plan and the revenue planner, each confirming what it offers."""
    wizard = {
        "template": "new-customers",
        "name": "Nye kunder",
        "target": "10",
        "unit": "count",
        "baseline": "0",
        "direction": "increase",
        "measure": "sum",
        "period": "2027",
        "category": "sales",
        "split_evenly": "on",
        "action": "save",
    }
    assert alice_client.post(reverse("kpi_new"), wizard).status_code == 302
    alice_client.post(
        reverse("plans:funnel_new"), {**ARTICLE_FORM, "action": "create", "confirmed": "1"}
    )
    alice_client.post(
        reverse("plans:plan_new"),
        {
            "name": "Året 2027",
            "goal": "10 nye kunder",
            "leading": "2027-01-01..2027-06-30",
            "sales": "2027-07-01..2027-12-31",
            "leading_templates": ["followers", "linkedin-15", "named-media"],
            "sales_templates": ["new-customers", "new-customer-revenue"],
            "confirmed": "1",
        },
    )
    alice_client.post(
        reverse("plans:revenue"),
        {"new_count": "10", "new_spend": "100.000", "upsell_mode": "fixed", "period": "2027"},
    )

    names = list(Kpi.objects.filter(organisation=org).values_list("name", flat=True))
    assert names.count("Nye kunder") == 1
    assert names.count("Omsætning fra nye kunder") == 1
    assert len([n for n in names if "LinkedIn" in n]) == 1
    assert not [n for n in names if n.startswith("Køber")]
