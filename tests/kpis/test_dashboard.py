from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fokus.kpis.models import Kpi
from fokus.kpis.services import checklist_tick
from tests.helpers import clear_kpi_cache

pytestmark = pytest.mark.django_db


def test_dashboard_requires_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url == "/login/?next=/"


def test_dashboard_shows_the_current_years_kpis_with_status_text(alice_client, today, on_track_kpi):
    response = alice_client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Nye kunder" in content
    assert "badge-on_track" in content
    assert "On track" in content  # the status in words, not by colour alone
    assert f'href="/kpis/{on_track_kpi.pk}/"' in content
    assert "184 days left" in content


def test_dashboard_lists_only_the_own_organisations_kpis(
    alice_client, today, make_kpi, other_org, charlie
):
    make_kpi(name="Acme KPI")
    make_kpi(organisation=other_org, name="Charlies hemmelige KPI")

    content = alice_client.get("/").content.decode()

    assert "Acme KPI" in content
    assert "Charlies hemmelige KPI" not in content


def test_a_viewer_sees_the_dashboard(vera_client, today, on_track_kpi):
    assert "Nye kunder" in vera_client.get("/").content.decode()


def test_dashboard_shows_another_period_and_only_its_kpis(alice_client, today, make_kpi):
    make_kpi(name="Hele året")
    make_kpi(name="Kun K3", start=dt.date(2027, 7, 1), end=dt.date(2027, 9, 30))

    content = alice_client.get("/?period=2027-K2").content.decode()

    assert "Hele året" in content
    assert "Kun K3" not in content


def test_a_bad_period_shows_a_message_and_falls_back_to_the_year(alice_client, today, on_track_kpi):
    response = alice_client.get("/?period=2027-K9", HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert response.status_code == 200
    assert "is not a period" in content
    assert "Showing 2027 instead" in content
    assert "Nye kunder" in content


def test_a_period_with_markup_is_escaped_in_the_message(alice_client, today):
    content = alice_client.get("/?period=<script>x</script>").content.decode()

    assert "<script>x</script>" not in content
    assert "&lt;script&gt;x&lt;/script&gt;" in content


def test_dashboard_warns_when_a_period_has_more_than_five_focus_kpis(alice_client, today, make_kpi):
    for n in range(6):
        make_kpi(name=f"Fokus {n}", focus=True)

    content = alice_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "This period has 6 focus KPIs" in content


def test_five_focus_kpis_give_no_warning(alice_client, today, make_kpi):
    for n in range(5):
        make_kpi(name=f"Fokus {n}", focus=True)

    content = alice_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "focus KPIs" not in content


def test_dashboard_lists_focus_kpis_first_and_charts_the_first(alice_client, today, make_kpi):
    make_kpi(name="Alfa")
    make_kpi(name="Omega", focus=True)

    response = alice_client.get("/")

    names = [card.kpi.name for card in response.context["cards"]]
    assert names == ["Omega", "Alfa"]
    assert response.context["chart_kpi"].name == "Omega"
    content = response.content.decode()
    assert 'id="dashboard-chart"' in content
    assert 'data-chart="dashboard-chart-data"' in content


def test_dashboard_without_kpis_says_so(alice_client, today):
    response = alice_client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert "No KPIs in this period" in response.content.decode()
    assert response.context["chart"] is None


def test_dashboard_speaks_danish_by_default_and_english_on_request(alice_client, today):
    assert '<html lang="da">' in alice_client.get("/").content.decode()
    assert '<html lang="en">' in alice_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_dashboard_loads_htmx_and_plotly_from_own_static_files(alice_client, today, on_track_kpi):
    content = alice_client.get("/").content.decode()

    assert '<script src="/static/ui/vendor/plotly-4.1.1.min.js" defer></script>' in content
    assert '<script src="/static/ui/charts.js" defer></script>' in content
    assert "/static/django_htmx/htmx-2.min.js" in content
    assert "cdn" not in content.lower()


def _kpis_with_checkins(make_kpi, check_in, count: int) -> None:
    measures = ["sum", "last", "average"]
    for n in range(count):
        kpi = make_kpi(
            name=f"KPI {n}",
            measure=measures[n % 3],
            focus=n == 0,
            milestones=[(dt.date(2027, 3, 31), Decimal(3))],
        )
        check_in(kpi, {dt.date(2027, 1, 15): 1, dt.date(2027, 3, 1): 2, dt.date(2027, 5, 1): 3})
    checklist = make_kpi(name="Checkliste", measure="checklist", target=None, items=["A", "B"])

    checklist_tick(kpi=checklist, item=checklist.items.get(name="A"), date=dt.date(2027, 2, 1))


def _dashboard_queries(client) -> int:
    clear_kpi_cache()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries)


def test_dashboard_runs_the_same_number_of_queries_for_3_and_30_kpis(
    alice_client, today, make_kpi, check_in, other_org
):
    _kpis_with_checkins(make_kpi, check_in, 3)
    few = _dashboard_queries(alice_client)
    Kpi.objects.all().delete()
    _kpis_with_checkins(make_kpi, check_in, 30)
    many = _dashboard_queries(alice_client)

    assert few == many
    # Session, user, membership; the default period; KPIs, milestones, stamps, check-ins,
    # checklist items (2); the customers' monitors; the open alerts.
    assert many <= 12
