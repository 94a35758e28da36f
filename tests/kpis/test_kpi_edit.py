"""Changing a KPI keeps the history of its target; check-ins are corrected or deleted
with who and when."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fokus.kpis.services import kpi_update

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _edit_data(kpi, **overrides):
    data = {
        "name": kpi.name,
        "target": "12",
        "unit": kpi.unit,
        "unit_label": kpi.unit_label,
        "baseline": "0",
        "direction": kpi.direction,
        "measure": kpi.measure,
        "period": "2027",
        "category": kpi.category,
        "cadence": "",
        "split_evenly": "on",
        "action": "save",
    }
    data.update(overrides)
    return data


def test_changing_the_target_is_recorded_with_who_and_when(alice_client, today, on_track_kpi):
    response = alice_client.post(f"/kpis/{on_track_kpi.pk}/edit/", _edit_data(on_track_kpi))

    assert response.status_code == 302
    on_track_kpi.refresh_from_db()
    assert on_track_kpi.target == Decimal(12)
    page = alice_client.get(f"/kpis/{on_track_kpi.pk}/", **EN).content.decode()
    assert "History of the target" in page
    assert "alice@example.com" in page
    assert "<td>Target</td><td>10</td><td>12</td>" in page


def test_the_edit_form_shows_the_stored_values(alice_client, today, on_track_kpi):
    form = alice_client.get(f"/kpis/{on_track_kpi.pk}/edit/").context["form"]

    assert form.initial["target"] == "10"
    assert form.initial["ms_value_1"] == "5"
    assert "items" not in form.fields


def test_a_bad_edit_saves_nothing(alice_client, today, on_track_kpi):
    response = alice_client.post(
        f"/kpis/{on_track_kpi.pk}/edit/", _edit_data(on_track_kpi, target="0"), **EN
    )

    assert response.status_code == 400
    on_track_kpi.refresh_from_db()
    assert on_track_kpi.target == Decimal(10)
    assert not on_track_kpi.changes.exists()


def test_a_check_in_is_corrected_and_shows_who_corrected_it(alice_client, bob, today, on_track_kpi):
    checkin = on_track_kpi.checkins.order_by("date").first()
    alice_client.force_login(bob)

    response = alice_client.post(
        f"/checkins/{checkin.pk}/edit/", {"date": "2027-02-11", "value": "2", "note": "rettet"}
    )

    assert response.status_code == 302
    checkin.refresh_from_db()
    assert (checkin.date, checkin.value, checkin.updated_by) == (dt.date(2027, 2, 11), 2, bob)
    page = alice_client.get(f"/kpis/{on_track_kpi.pk}/", **EN).content.decode()
    assert "corrected by bob@example.com" in page


def test_a_check_in_is_deleted_after_asking_and_the_deletion_is_kept(
    alice_client, today, on_track_kpi
):
    checkin = on_track_kpi.checkins.order_by("date").first()

    ask = alice_client.get(f"/checkins/{checkin.pk}/delete/", **EN)
    assert "Delete the check-in of 1 on 10 February 2027" in ask.content.decode()
    response = alice_client.post(f"/checkins/{checkin.pk}/delete/")

    assert response.status_code == 302
    assert not on_track_kpi.checkins.filter(pk=checkin.pk).exists()
    assert on_track_kpi.changes.get().field == "checkin_deleted"


@pytest.mark.parametrize("who", ["vera", "charlie"])
def test_viewers_and_outsiders_cannot_change_kpis_or_check_ins(
    client, request, today, on_track_kpi, who
):
    client.force_login(request.getfixturevalue(who))
    checkin = on_track_kpi.checkins.first()
    refused = {"vera": 403, "charlie": 404}[who]

    edit = client.post(f"/kpis/{on_track_kpi.pk}/edit/", _edit_data(on_track_kpi))
    assert edit.status_code == refused
    assert client.post(f"/checkins/{checkin.pk}/delete/").status_code == refused
    assert client.post(f"/kpis/{on_track_kpi.pk}/archive/").status_code == refused
    on_track_kpi.refresh_from_db()
    assert (on_track_kpi.target, on_track_kpi.archived_at) == (Decimal(10), None)
    assert on_track_kpi.checkins.count() == 3


def test_archiving_takes_the_kpi_off_the_dashboard(alice_client, today, on_track_kpi):
    response = alice_client.post(f"/kpis/{on_track_kpi.pk}/archive/")

    assert response.status_code == 302
    assert alice_client.get("/").context["cards"] == []
    assert alice_client.get(f"/kpis/{on_track_kpi.pk}/").status_code == 404


def test_checklist_items_are_ticked_and_unticked_on_the_detail_page(alice_client, today, make_kpi):
    kpi = make_kpi(name="Medier", measure="checklist", target=None, items=["Børsen", "DR"])
    item = kpi.items.get(name="Børsen")

    alice_client.post(f"/kpis/{kpi.pk}/tick/", {"item": item.pk, "date": "2027-06-30"})
    item.refresh_from_db()
    assert item.done_on == dt.date(2027, 6, 30)

    alice_client.post(f"/kpis/{kpi.pk}/items/{item.pk}/untick/")
    item.refresh_from_db()
    assert item.done_on is None


def test_a_recurring_kpi_shows_its_intervals_met_or_missed(alice_client, today, make_kpi, check_in):
    kpi = make_kpi(name="Læsere", target=None, interval="month", interval_target=Decimal(100))
    check_in(kpi, {dt.date(2027, 1, 5): 120, dt.date(2027, 2, 5): 40})

    content = alice_client.get(f"/kpis/{kpi.pk}/", **EN).content.decode()

    assert "verdict-met" in content
    assert "verdict-missed" in content
    assert '"type":"bar"' in content


def _detail_queries(client, kpi) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/kpis/{kpi.pk}/").status_code == 200
    return len(queries)


def test_the_detail_page_runs_the_same_number_of_queries_for_3_and_30_check_ins_and_changes(
    alice_client, today, on_track_kpi, check_in
):
    few = _detail_queries(alice_client, on_track_kpi)
    check_in(on_track_kpi, {dt.date(2027, 3, 1) + dt.timedelta(days=n): 0 for n in range(27)})
    for n in range(27):
        kpi_update(kpi=on_track_kpi, user=None, target=Decimal(11 + n))

    assert _detail_queries(alice_client, on_track_kpi) == few


def test_a_check_in_sent_back_unchanged_keeps_its_value(alice_client, today, on_track_kpi):
    """The edit form shows the stored value the way the UI language writes numbers, so
    that saving it untouched changes nothing (Danish reads "25.0000" as 250,000)."""
    checkin = on_track_kpi.checkins.order_by("date").first()
    checkin.value = Decimal("1234.5")
    checkin.save()

    page = alice_client.get(f"/checkins/{checkin.pk}/edit/").content.decode()
    shown = re.search(r'name="value"[^>]*value="([^"]*)"', page).group(1)
    alice_client.post(
        f"/checkins/{checkin.pk}/edit/",
        {"date": checkin.date.isoformat(), "value": shown, "note": checkin.note},
    )

    checkin.refresh_from_db()
    assert checkin.value == Decimal("1234.5")
