from __future__ import annotations

import datetime as dt

import pytest

from fokus.kpis.services import checklist_tick

pytestmark = pytest.mark.django_db


def test_kpi_detail_shows_the_evaluation_chart_and_checkins(alice_client, today, on_track_kpi):
    response = alice_client.get(f"/kpis/{on_track_kpi.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Nye kunder</h1>" in content
    assert "On track" in content
    assert 'id="kpi-chart"' in content
    assert 'data-chart="kpi-chart-data"' in content
    assert '<script src="/static/ui/vendor/plotly-4.1.1.min.js" defer></script>' in content
    assert "20 Jun 2027" in content  # a check-in
    assert "Sub-goals" in content


def test_kpi_detail_requires_login(client, on_track_kpi):
    response = client.get(f"/kpis/{on_track_kpi.pk}/")

    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_outsider_gets_404_on_another_organisations_kpi(charlie_client, on_track_kpi):
    assert charlie_client.get(f"/kpis/{on_track_kpi.pk}/").status_code == 404


def test_unknown_kpi_is_404(alice_client):
    assert alice_client.get("/kpis/999999/").status_code == 404


def test_checklist_kpi_detail_lists_its_items(alice_client, today, make_kpi):
    kpi = make_kpi(name="LinkedIn", measure="checklist", target=None, items=["Anne", "Bo"])
    checklist_tick(kpi=kpi, item=kpi.items.get(name="Anne"), date=dt.date(2027, 3, 1))

    content = alice_client.get(f"/kpis/{kpi.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Anne" in content
    assert "done 1 March 2027" in content
    assert "not done" in content
