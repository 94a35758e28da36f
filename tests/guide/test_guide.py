"""The year guide: an owner goes through the article's steps and ends with one plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from fokus.alerts.models import Alert
from fokus.alerts.runner import scan_all
from fokus.customers.models import Customer
from fokus.guide.models import YearPlan
from fokus.guide.services import guide_year, kpis_add, year_period, year_plan_for
from fokus.kpis.models import Kpi
from fokus.kpis.services import kpi_create
from fokus.plans.models import FunnelPlan
from fokus.plans.services import template_spec
from tests.helpers import NOW, TODAY

YEAR = 2027


def step_url(step: str, year: int = YEAR) -> str:
    return reverse("guide:step", args=[year, step])


def post_goal(client, **data):
    return client.post(step_url("goal"), {"new_customers": "10", "annual_spend": "100.000", **data})


FUNNEL = {
    "goal": "10",
    "name_0": "Hører om firmaet",
    "name_1": "Besøger hjemmesiden",
    "name_2": "Beder om tilbud",
    "name_3": "Køber",
    "rate_0": "10",
    "rate_1": "5",
    "rate_2": "25",
    "placement": "sequential",
}


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2026, 12, 4), 2027),
        (dt.date(2026, 10, 1), 2027),
        (dt.date(2026, 9, 30), 2026),
        (dt.date(2027, 1, 2), 2027),
    ],
)
def test_the_guide_plans_next_year_in_the_last_quarter(org, day, year):
    assert guide_year(organisation=org, today=day) == year


def test_the_guide_plans_next_year_when_only_it_has_kpis(org, make_kpi):
    make_kpi(name="Nye kunder", start=dt.date(2028, 1, 1), end=dt.date(2028, 12, 31))
    assert guide_year(organisation=org, today=dt.date(2027, 6, 30)) == 2028


def test_the_guide_opens_on_the_year_being_planned(alice_client):
    response = alice_client.get(reverse("guide:start"))
    assert response.status_code == 302
    assert response["Location"] == reverse("guide:year", args=[2027])
    page = alice_client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["current"].step.slug == "goal"


def test_the_whole_year_through_the_guide_makes_one_plan(alice_client, org):
    response = post_goal(alice_client)
    assert response["Location"] == step_url("levers")
    response = alice_client.post(
        step_url("levers"),
        {
            "upsell_mode": "percent",
            "upsell_value": "10",
            "retention_months": "2",
            "retention_default": "10.000",
        },
    )
    assert response["Location"] == step_url("funnel")
    response = alice_client.post(step_url("funnel"), FUNNEL)
    assert response["Location"] == step_url("marketing")
    response = alice_client.post(
        step_url("marketing"),
        {
            "pick_newsletter-readers": "on",
            "pick_google-top-3": "on",
            "pick_linkedin-15": "on",
        },
    )
    assert response["Location"] == step_url("care")
    response = alice_client.post(step_url("care"), {"interval": "3"})
    assert response["Location"] == step_url("checkins")
    kpis = list(Kpi.objects.filter(organisation=org))
    cadences = {f"cadence_{kpi.pk}": "monthly" for kpi in kpis}
    response = alice_client.post(step_url("checkins"), cadences)
    assert response["Location"] == reverse("guide:year", args=[YEAR])

    plan = YearPlan.objects.get(organisation=org, year=YEAR)
    assert set(plan.steps.values()) == {"done"}
    assert plan.new_customers == 10
    assert plan.annual_spend == Decimal(100_000)
    assert plan.funnel == FunnelPlan.objects.get(organisation=org)
    assert list(plan.funnel.stages.values_list("required", flat=True)) == [8000, 800, 40, 10]
    # The funnel's buyers are the goal's new customers: linked, not a second KPI.
    buyers = plan.funnel.stages.get(position=3).kpi
    assert buyers == plan.links.get(step="goal", kpi__unit="count").kpi
    assert Kpi.objects.filter(organisation=org).count() == 2 + 3 + 3
    names = [kpi.name for kpi in Kpi.objects.filter(organisation=org)]
    assert len(names) == len(set(names)), names
    assert set(plan.kpis.all()) == set(Kpi.objects.filter(organisation=org))
    assert all(kpi.start.year == kpi.end.year == YEAR for kpi in plan.kpis.all())
    page = alice_client.get(reverse("guide:year", args=[YEAR]))
    assert page.context["finished"]
    assert reverse("dashboard") + f"?period={YEAR}" in page.content.decode()


def test_the_goal_step_makes_the_sales_kpis_over_the_year(alice_client, org):
    post_goal(alice_client)
    kpis = {kpi.unit: kpi for kpi in Kpi.objects.filter(organisation=org)}
    assert kpis["count"].target == Decimal(10)
    assert kpis["currency"].target == Decimal(1_000_000)
    assert (kpis["count"].start, kpis["count"].end) == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    # Fed by the customer register: no number is typed twice.
    assert kpis["count"].derived and kpis["currency"].derived


def test_a_done_step_shows_what_it_made_and_does_not_make_it_again(alice_client, org):
    post_goal(alice_client)
    page = alice_client.get(step_url("goal"))
    assert page.context["state"] == "done"
    assert not page.context["show_form"]
    assert {kpi.pk for kpi in page.context["kpis"]} == set(
        Kpi.objects.filter(organisation=org).values_list("pk", flat=True)
    )
    assert b'name="new_customers"' not in page.content


def test_a_skipped_step_can_be_done_later(alice_client, org):
    response = alice_client.post(step_url("goal"), {"skip": ""})
    assert response["Location"] == step_url("levers")
    plan = YearPlan.objects.get(organisation=org, year=YEAR)
    assert plan.steps == {"goal": "skipped"}
    assert not Kpi.objects.filter(organisation=org).exists()
    overview = alice_client.get(reverse("guide:year", args=[YEAR]))
    assert overview.context["current"].step.slug == "levers"
    page = alice_client.get(step_url("goal"))
    assert page.context["show_form"]
    post_goal(alice_client)
    plan.refresh_from_db()
    assert plan.steps == {"goal": "done"}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"new_customers": "0"}, "new_customers"),
        ({"new_customers": "ti"}, "new_customers"),
        ({"annual_spend": "mange"}, "annual_spend"),
        ({"annual_spend": "0"}, "annual_spend"),
        ({"annual_spend": "-5"}, "annual_spend"),
    ],
)
def test_a_bad_goal_is_refused_next_to_its_field_and_nothing_is_made(
    alice_client, org, data, field
):
    response = post_goal(alice_client, **data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field]
    assert set(form.errors) == {field}
    # What was typed stays in the form.
    assert form[field].value() == data[field]
    assert not Kpi.objects.filter(organisation=org).exists()
    assert not YearPlan.objects.filter(organisation=org, steps__has_key="goal").exists()


def test_a_bad_funnel_rate_is_refused_at_its_field(alice_client, org):
    response = alice_client.post(step_url("funnel"), {**FUNNEL, "rate_1": "0"})
    assert response.status_code == 200
    assert "rate_1" in response.context["form"].errors
    assert not FunnelPlan.objects.filter(organisation=org).exists()


def test_a_viewer_reads_the_guide_but_changes_nothing(vera_client, org):
    assert vera_client.get(reverse("guide:year", args=[YEAR])).status_code == 200
    page = vera_client.get(step_url("goal"))
    assert page.status_code == 200
    assert b'name="new_customers"' not in page.content
    assert post_goal(vera_client).status_code == 403
    assert vera_client.post(step_url("goal"), {"skip": ""}).status_code == 403
    assert not Kpi.objects.filter(organisation=org).exists()
    assert not YearPlan.objects.exists()


def test_another_organisation_sees_its_own_plan(alice_client, charlie_client, org):
    post_goal(alice_client)
    page = charlie_client.get(reverse("guide:year", args=[YEAR]))
    assert page.context["plan"] is None
    assert page.context["current"].step.slug == "goal"


@pytest.mark.parametrize("path", ["/guide/1999/", "/guide/2101/", "/guide/2027/nothing/"])
def test_no_such_year_or_step(alice_client, path):
    assert alice_client.get(path).status_code == 404


def test_the_marketing_step_links_a_kpi_the_year_has_already(alice_client, org):
    spec = template_spec("google-top-3", year_period(YEAR))
    spec.name = "Top 3 på Google: revisor københavn"
    existing = kpi_create(organisation=org, spec=spec)
    page = alice_client.get(step_url("marketing"))
    rows = {template.slug: known for template, _, _, known in page.context["form"].rows()}
    assert rows["google-top-3"] == existing
    assert page.context["form"]["pick_google-top-3"].initial is True
    response = alice_client.post(
        step_url("marketing"), {"pick_google-top-3": "on", "pick_linkedin-15": "on"}, follow=True
    )
    assert Kpi.objects.filter(organisation=org, kind="google-top-3").get() == existing
    plan = YearPlan.objects.get(organisation=org, year=YEAR)
    assert set(plan.kpis.all()) == {existing, Kpi.objects.get(kind="linkedin-15")}
    assert "Top 3 på Google: revisor københavn" in response.content.decode()


def test_the_marketing_step_keeps_a_target_typed_and_offers_no_kpi_twice(alice_client, org):
    response = alice_client.post(
        step_url("marketing"),
        {"pick_newsletter-readers": "on", "target_newsletter-readers": "150"},
    )
    assert response.status_code == 302
    readers = Kpi.objects.get(organisation=org)
    assert readers.interval_target == Decimal(150)
    page = alice_client.get(step_url("marketing"))
    rows = {template.slug: existing for template, _, _, existing in page.context["form"].rows()}
    assert rows["newsletter-readers"] == readers
    alice_client.post(step_url("marketing"), {"pick_newsletter-readers": "on"})
    assert Kpi.objects.filter(organisation=org).count() == 1


def test_the_care_step_starts_the_clock_of_customers_with_no_known_contact(
    alice_client, org, make_customer
):
    for name in ("Bageriet", "Cykelsmeden", "Tømreren"):
        make_customer(name=name, since=dt.date(2024, 3, 1))
    known = make_customer(name="Frisøren", since=dt.date(2024, 3, 1), last_contact=TODAY)
    scan_all(now=NOW, organisation=org)
    assert Alert.objects.filter(organisation=org, state="open").count() >= 3
    page = alice_client.get(step_url("care"))
    assert page.context["unknown_overdue"] == 3
    assert "3 kunder" in page.content.decode()
    response = alice_client.post(
        step_url("care"), {"interval": "3", "start_clock": "on", "clock_start": "2027-06-30"}
    )
    assert response.status_code == 302
    started = Customer.objects.exclude(pk=known.pk)
    assert set(started.values_list("clock_start", flat=True)) == {TODAY}
    assert Customer.objects.get(pk=known.pk).clock_start is None
    # No customer is overdue on day one, and the inbox says so at once.
    assert not Alert.objects.filter(
        organisation=org, kind="customer_overdue", state__in=["open", "acknowledged"]
    ).exists()


def test_the_care_step_sets_the_contact_interval_for_an_owner_only(alice_client, bob_client, org):
    bob_client.post(step_url("care"), {"interval": "6"})
    org.refresh_from_db()
    assert org.default_contact_interval == 3
    alice_client.post(step_url("care"), {"interval": "6"})
    org.refresh_from_db()
    assert org.default_contact_interval == 6


def test_the_checkins_step_sets_each_kpis_reminder(alice_client, org, make_kpi):
    weekly = make_kpi(name="Opkald", cadence="")
    monthly = make_kpi(name="Møder", cadence="weekly")
    response = alice_client.post(
        step_url("checkins"),
        {f"cadence_{weekly.pk}": "weekly", f"cadence_{monthly.pk}": "monthly"},
    )
    assert response.status_code == 302
    weekly.refresh_from_db()
    monthly.refresh_from_db()
    assert (weekly.cadence, monthly.cadence) == ("weekly", "monthly")


def test_the_overview_costs_the_same_queries_however_many_kpis(
    alice_client, org, make_kpi, django_assert_max_num_queries
):
    plan = year_plan_for(organisation=org, year=YEAR)
    kpis_add(plan=plan, step="marketing", kpis=[make_kpi(name=f"KPI {i}") for i in range(3)])
    url = reverse("guide:year", args=[YEAR])
    alice_client.get(url)
    with django_assert_max_num_queries(12) as few:
        alice_client.get(url)
    kpis_add(plan=plan, step="marketing", kpis=[make_kpi(name=f"KPI {i}") for i in range(3, 40)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        alice_client.get(url)


def test_an_empty_dashboard_points_to_the_guide(alice_client):
    page = alice_client.get(reverse("dashboard") + "?period=2027").content.decode()
    assert 'id="get-started"' in page
    assert f'href="{reverse("guide:year", args=[2027])}"' in page
    assert "Planlæg 2027 trin for trin" in page


def test_the_dashboard_leads_to_the_guide_of_its_year_at_any_time(alice_client, make_kpi):
    make_kpi(name="Nye kunder")
    page = alice_client.get(reverse("dashboard") + "?period=2028").content.decode()
    assert f'href="{reverse("guide:year", args=[2028])}"' in page
    page = alice_client.get(reverse("dashboard") + "?period=2027").content.decode()
    assert 'id="get-started"' not in page
    assert f'href="{reverse("guide:year", args=[2027])}"' in page
