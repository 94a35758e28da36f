"""Periods that follow the user: in December a new owner plans next year, so every page
and form starts there (``fokus.ui.periods.default_period``); the period switcher still
shows any period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fokus.customers.monitors import monitor_create
from fokus.kpis.models import Kpi
from fokus.kpis.selectors import default_period
from fokus.ui.periods import year_of

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DECEMBER = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)  # 13:00 in Copenhagen


@pytest.fixture
def december(today, time_machine):
    """4 December 2026, as in the issue: 27 days of the year left."""
    time_machine.move_to(DECEMBER, tick=False)
    return dt.date(2026, 12, 4)


def _kpi_2027(make_kpi, **fields):
    return make_kpi(name="Nye kunder 2027", **fields)


def _kpi_2026(make_kpi, **fields):
    return make_kpi(
        name="Nye kunder 2026", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), **fields
    )


def test_an_empty_organisation_in_december_sees_next_year_on_the_dashboard(alice_client, december):
    response = alice_client.get("/", **EN)

    content = response.content.decode()
    assert response.context["period"] == year_of(2027)
    assert "KPIs for 2027" in content
    assert "Showing 2027, the year you are planning." in content
    assert '<a href="?period=2026">See 2026, which runs until 31 December 2026</a>' in content


def test_after_planning_next_year_the_dashboard_shows_it(alice_client, december, make_kpi):
    _kpi_2026(make_kpi)
    _kpi_2027(make_kpi)

    response = alice_client.get("/")

    assert [card.kpi.name for card in response.context["cards"]] == ["Nye kunder 2027"]


def test_the_period_switcher_still_shows_the_current_year(alice_client, december, make_kpi):
    _kpi_2026(make_kpi)
    _kpi_2027(make_kpi)

    response = alice_client.get("/?period=2026", **EN)

    assert [card.kpi.name for card in response.context["cards"]] == ["Nye kunder 2026"]
    assert "the year you are planning" not in response.content.decode()


def test_a_bad_period_falls_back_to_the_year_being_planned(alice_client, december):
    content = alice_client.get("/?period=2026-K9", **EN).content.decode()

    assert "Showing 2027 instead." in content
    assert "KPIs for 2027" in content


def test_before_october_the_current_year_is_shown_and_no_note(alice_client, today, make_kpi):
    make_kpi()

    response = alice_client.get("/", **EN)

    assert response.context["period"] == year_of(2027)
    assert response.context["planning"] is None
    assert "the year you are planning" not in response.content.decode()


def test_next_year_is_shown_when_only_it_has_kpis(alice_client, today, make_kpi):
    make_kpi(name="Næste år", start=dt.date(2028, 1, 1), end=dt.date(2028, 12, 31))

    response = alice_client.get("/", **EN)

    assert response.context["period"] == year_of(2028)
    assert [card.kpi.name for card in response.context["cards"]] == ["Næste år"]
    assert "Showing 2028, the year you are planning." in response.content.decode()


def test_a_monitor_is_no_kpi_that_keeps_the_current_year(org, today, make_customer, make_kpi):
    """The current year's only KPI follows a customer: next year's goals are shown."""
    monitor_create(
        customer=make_customer(),
        name="Leveringstid",
        target=Decimal(3),
        baseline=Decimal(10),
        lower=None,
        upper=Decimal(5),
        cadence_days=30,
        start=dt.date(2027, 1, 1),
        today=dt.date(2027, 1, 1),
    )
    make_kpi(name="Næste år", start=dt.date(2028, 1, 1), end=dt.date(2028, 12, 31))

    assert default_period(organisation=org, today=dt.date(2027, 6, 30)) == year_of(2028)


def test_the_default_period_costs_one_query_and_ignores_archived_kpis(org, make_kpi):
    kpi = make_kpi(name="Næste år", start=dt.date(2028, 1, 1), end=dt.date(2028, 12, 31))
    Kpi.objects.filter(pk=kpi.pk).update(archived_at=DECEMBER)

    with CaptureQueriesContext(connection) as queries:
        period = default_period(organisation=org, today=dt.date(2027, 6, 30))

    assert period == year_of(2027)
    assert len(queries) == 1


def test_the_new_kpi_form_and_its_templates_start_in_next_year(alice_client, december):
    blank = alice_client.get("/kpis/new/").context["form"]
    assert (blank.initial["period"], blank.initial["start"]) == ("2027", dt.date(2027, 1, 1))

    template = alice_client.get("/kpis/new/?template=new-customers").context["form"]
    assert template.initial["period"] == "2027"
    assert template.initial["ms_date_0"] == dt.date(2027, 3, 31)
    assert template.initial["milestones_for"] == "2027"

    funnel = alice_client.get("/kpis/new/?template=funnel-hear").context["form"]
    assert funnel.initial["period"] == "2027-K1"


def test_the_new_kpi_form_offers_next_years_quarters_and_months(alice_client, december):
    content = alice_client.get("/kpis/new/", **EN).content.decode()

    assert '<option value="2027" selected>' in content
    assert '<option value="2028-K4">' in content
    assert '<option value="2027-12">' in content


def test_a_template_saved_in_december_is_next_years_kpi(alice_client, december):
    form = alice_client.get("/kpis/new/?template=new-customers").context["form"]
    data = {key: value for key, value in form.initial.items() if value not in (None, False)}
    data = {
        key: value.isoformat() if isinstance(value, dt.date) else value
        for key, value in data.items()
    }

    response = alice_client.post("/kpis/new/", {**data, "action": "save"})

    kpi = Kpi.objects.get()
    assert response.status_code == 302
    assert (kpi.start, kpi.end) == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert [m.date for m in kpi.milestones.order_by("date")] == [
        dt.date(2027, 3, 31),
        dt.date(2027, 6, 30),
        dt.date(2027, 9, 30),
    ]


def test_the_planners_propose_next_year_in_december(alice_client, december):
    funnel = alice_client.get("/plans/funnel/new/").context["form"]
    assert funnel.initial["period"] == "2027"

    plan = alice_client.get("/plans/new/", **EN).context["form"]
    assert plan.initial["name"] == "Year plan 2027"
    assert plan.initial["leading"] == "2027-01-01..2027-06-30"
    assert plan.initial["sales"] == "2027-07-01..2027-12-31"

    revenue = alice_client.get("/plans/revenue/").content.decode()
    assert 'name="period" value="2027"' in revenue


def test_in_december_the_dashboard_keeps_this_year_until_next_year_is_planned(
    alice_client, december, make_kpi
):
    _kpi_2026(make_kpi)

    response = alice_client.get("/", **EN)

    content = response.content.decode()
    assert [card.kpi.name for card in response.context["cards"]] == ["Nye kunder 2026"]
    assert response.context["planning"] is None
    assert "2027 has no KPIs yet." in content
    assert '<a href="/guide/2027/">Plan 2027 step by step</a>' in content
    # Forms still propose the year being planned.
    assert alice_client.get("/kpis/new/").context["form"].initial["period"] == "2027"
