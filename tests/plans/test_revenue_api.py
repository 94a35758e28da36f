"""POST /api/v1/plans/revenue: the three levers from the customer register, the realism
check and "why stop at 2 months?", as docs/interfaces.md "Revenue plan JSON"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fokus.customers.services import customer_create, revenue_record
from fokus.kpis.models import Derived, Kpi
from tests.helpers import TODAY


@pytest.fixture
def customer(org):
    def make(name, since, monthly=None, status="active", revenue=()):
        made = customer_create(
            organisation=org,
            name=name,
            since=since,
            monthly_revenue=monthly,
            status=status,
            today=TODAY,
        )
        for day, amount in revenue:
            revenue_record(customer=made, date=day, amount=Decimal(amount), today=TODAY)
        return made

    return make


def test_ten_new_customers_at_100000_a_year_bring_1000000(alice_api):
    response = alice_api.post(
        "/plans/revenue", {"new_customers": {"count": 10, "annual_spend": 100_000}}
    )

    assert response.status_code == 200
    data = response.json()
    assert data["new_customers_revenue"] == 1_000_000
    assert data["upsell_revenue"] == 0 and data["retention_revenue"] == 0
    assert data["total"] == 1_000_000
    assert data["realism"] == {
        "median_first_year_revenue": None,
        "planned_annual_spend": 100_000,
        "warning": None,  # no history to compare with
    }


def test_keeping_15_customers_2_months_longer_at_10000_brings_300000(alice_api, customer):
    for n in range(15):
        customer(f"Kunde {n}", dt.date(2020, 1, 1))  # no monthly revenue in the register
    customer("Tidligere kunde", dt.date(2020, 1, 1), monthly=Decimal(50_000), status="former")

    data = alice_api.post(
        "/plans/revenue", {"retention": {"months": 2, "default_monthly_revenue": 10_000}}
    ).json()

    assert data["retention_revenue"] == 300_000
    assert data["total"] == 300_000
    assert data["retention_table"] == [
        {"months": 2, "revenue": 300_000},
        {"months": 3, "revenue": 450_000},
        {"months": 6, "revenue": 900_000},
        {"months": 12, "revenue": 1_800_000},
    ]
    assert data["realism"]["planned_annual_spend"] is None


def test_retention_uses_each_customers_own_monthly_revenue(alice_api, customer):
    customer("Bageriet", dt.date(2020, 1, 1), monthly=Decimal("12500.50"))
    customer("Smedjen", dt.date(2020, 1, 1))
    data = alice_api.post("/plans/revenue", {"retention": {"months": 2}}).json()
    assert data["retention_revenue"] == 45_001  # 2 x 12,500.50 + 2 x the default 10,000


def test_upsell_is_a_share_of_each_active_customers_last_12_months(alice_api, customer):
    customer(
        "Bageriet",
        dt.date(2020, 1, 1),
        revenue=[(dt.date(2026, 6, 30), 999_999), (dt.date(2026, 7, 1), 50_000)],
    )
    customer("Smedjen", dt.date(2020, 1, 1), revenue=[(dt.date(2027, 6, 30), 30_000)])
    customer("Væk", dt.date(2020, 1, 1), status="former", revenue=[(dt.date(2027, 1, 1), 10**6)])

    tenth = alice_api.post("/plans/revenue", {"upsell": {"mode": "percent", "value": 0.10}})
    ten = alice_api.post("/plans/revenue", {"upsell": {"mode": "percent", "value": 10}})
    fixed = alice_api.post("/plans/revenue", {"upsell": {"mode": "fixed", "value": 100_000}})

    assert tenth.json()["upsell_revenue"] == 8_000  # 10 % of 50,000 + 30,000
    assert ten.json()["upsell_revenue"] == 8_000
    assert fixed.json()["upsell_revenue"] == 200_000  # 100,000 for each active customer


def test_a_negative_fixed_upsell_is_worth_0_not_refused(alice_api, customer):
    customer("Bageriet", dt.date(2020, 1, 1), revenue=[(dt.date(2027, 1, 10), 50_000)])
    customer("Smedjen", dt.date(2020, 1, 1))
    body = {
        "new_customers": {"count": 2, "annual_spend": 100_000},
        "upsell": {"mode": "fixed", "value": -5000},
    }

    response = alice_api.post("/plans/revenue", body)

    assert response.status_code == 200
    data = response.json()
    assert data["upsell_revenue"] == 0  # each active customer adds max(0, -5,000)
    assert data["total"] == 200_000
    assert alice_api.post("/plans/revenue", {"upsell": body["upsell"]}).json()["total"] == 0
    assert (
        alice_api.post("/plans/revenue", {"upsell": {"mode": "fixed", "value": "-2500.50"}}).json()[
            "upsell_revenue"
        ]
        == 0
    )
    created = alice_api.post("/plans/revenue", {**body, "create": True})
    assert created.status_code == 201
    # A lever worth nothing gets no KPI: the new customers and their revenue only.
    assert sorted(int(k.target) for k in Kpi.objects.filter(pk__in=created.json()["kpis"])) == [
        2,
        200_000,
    ]


def test_realism_warns_when_new_customers_are_planned_above_their_usual_first_year(
    alice_api, customer
):
    for name, since, first_year in [
        ("A", dt.date(2025, 9, 1), 40_000),
        ("B", dt.date(2026, 1, 1), 60_000),
        ("C", dt.date(2026, 3, 1), 90_000),
    ]:
        customer(name, since, revenue=[(since + dt.timedelta(days=30), first_year)])
    customer("Gammel", dt.date(2020, 1, 1), revenue=[(dt.date(2020, 2, 1), 10**6)])

    data = alice_api.post(
        "/plans/revenue", {"new_customers": {"count": 10, "annual_spend": 100_000}}
    ).json()

    realism = data["realism"]
    assert realism["median_first_year_revenue"] == 60_000
    assert realism["planned_annual_spend"] == 100_000
    assert realism["warning"] == (
        "Hver ny kunde er planlagt til at købe for 100.000 kr. om året, mere end nye kunder "
        "normalt køber for i deres første år (median 60.000 kr. for de 3 kunder, der startede "
        "inden for de seneste 24 måneder). Beslut, om du vil hæve dine priser, eller hvilke "
        "andre produkter eller ydelser du vil tilbyde nye kunder."
    )
    within = alice_api.post(
        "/plans/revenue", {"new_customers": {"count": 10, "annual_spend": 60_000}}
    ).json()
    assert within["realism"]["warning"] is None


def test_create_makes_the_matching_kpis_fed_by_the_register(alice_api, org, customer):
    customer("Ny kunde", dt.date(2027, 3, 1))
    response = alice_api.post(
        "/plans/revenue",
        {
            "new_customers": {"count": 10, "annual_spend": 100_000},
            "retention": {"months": 2},
            "period": "2027",
            "create": True,
        },
    )

    assert response.status_code == 201
    kpis = Kpi.objects.filter(pk__in=response.json()["kpis"]).order_by("pk")
    assert [(k.derived, int(k.target)) for k in kpis] == [
        (Derived.NEW_CUSTOMERS, 10),
        (Derived.NEW_CUSTOMER_REVENUE, 1_000_000),
        ("", 20_000),
    ]
    assert kpis[0].checkins.count() == 1  # the customer won in March counts already


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"new_customers": {"count": -1, "annual_spend": 1}}, "new_customers.count"),
        ({"new_customers": {"count": 10, "annual_spend": -5}}, "new_customers.annual_spend"),
        ({"upsell": {"mode": "fixed", "value": "fem tusind"}}, "upsell.value"),
        ({"upsell": {"mode": "fixed", "value": None}}, "upsell.value"),
        ({"upsell": {"mode": "fixed", "value": 10**12}}, "upsell.value"),
        ({"upsell": {"mode": "percent", "value": 5000}}, "upsell.value"),
        ({"retention": {"months": 500}}, "retention.months"),
        ({}, "levers"),
    ],
)
def test_bad_lever_values_are_a_problem_naming_the_field(alice_api, body, field):
    response = alice_api.post("/plans/revenue", {**body, "create": True})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field
    assert Kpi.objects.count() == 0


def test_a_viewer_may_plan_revenue_but_not_create_kpis(vera_api):
    body = {"new_customers": {"count": 1, "annual_spend": 1}}
    assert vera_api.post("/plans/revenue", body).status_code == 200
    assert vera_api.post("/plans/revenue", {**body, "create": True}).status_code == 403
    assert Kpi.objects.count() == 0
