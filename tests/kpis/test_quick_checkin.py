"""The quick check-in from a dashboard card: htmx swaps in the card with its new status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}


def _post(client, kpi, value, date="2027-06-30", note="", **extra):
    prefix = f"k{kpi.pk}"
    data = {f"{prefix}-value": value, f"{prefix}-date": date, f"{prefix}-note": note}
    return client.post(f"/kpis/{kpi.pk}/checkin/", data, **extra)


@pytest.fixture
def behind_kpi(make_kpi, check_in):
    """10 customers in 2027, only 1 by the end of June: off track."""
    kpi = make_kpi(name="Nye kunder", focus=True)
    return check_in(kpi, {dt.date(2027, 2, 1): 1})


def test_a_check_in_returns_the_card_with_the_new_status(alice_client, today, behind_kpi):
    assert "badge-off_track" in alice_client.get("/").content.decode()

    response = _post(alice_client, behind_kpi, "4", note="Tre nye aftaler", **HTMX)

    content = response.content.decode()
    assert response.status_code == 200
    assert content.startswith('<li class="card kpi-card" id="card-')
    assert 'data-status="on_track"' in content
    assert "Checked in 4 on 30 June 2027." in content
    checkin = behind_kpi.checkins.latest("id")
    assert (checkin.value, checkin.note, checkin.created_by.email) == (
        Decimal(4),
        "Tre nye aftaler",
        "alice@example.com",
    )


def test_a_danish_value_with_a_decimal_comma_is_understood(alice_client, today, behind_kpi):
    _post(alice_client, behind_kpi, "2,5", HTTP_HX_REQUEST="true")

    assert behind_kpi.checkins.latest("id").value == Decimal("2.5")


def test_a_bad_value_shows_a_message_in_the_card_and_saves_nothing(alice_client, today, behind_kpi):
    response = _post(alice_client, behind_kpi, "mange", **HTMX)

    content = response.content.decode()
    assert response.status_code == 200  # htmx swaps the card with the message
    assert "“mange” is not a number." in content
    assert 'aria-invalid="true"' in content
    assert behind_kpi.checkins.count() == 1


def test_a_date_outside_the_period_is_kept_and_the_user_told_it_does_not_count(
    alice_client, today, behind_kpi
):
    response = _post(alice_client, behind_kpi, "1", date="2028-01-05", **HTMX)

    assert "lies outside the KPI" in response.content.decode()
    assert "so it does not count" in response.content.decode()
    assert behind_kpi.checkins.count() == 2


def test_without_javascript_the_form_posts_and_returns_to_the_dashboard(
    alice_client, today, behind_kpi
):
    prefix = f"k{behind_kpi.pk}"
    response = alice_client.post(
        f"/kpis/{behind_kpi.pk}/checkin/",
        {f"{prefix}-value": "1", f"{prefix}-date": "2027-06-30", "next": "/?period=2027-K2"},
    )

    assert response.status_code == 302
    assert response.url == "/?period=2027-K2"
    assert behind_kpi.checkins.count() == 2


def test_a_viewer_is_refused_on_the_server(vera_client, today, behind_kpi):
    response = _post(vera_client, behind_kpi, "5", HTTP_HX_REQUEST="true")

    assert response.status_code == 403
    assert behind_kpi.checkins.count() == 1
    assert "Check in" not in vera_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_an_outsider_gets_404(charlie_client, today, behind_kpi):
    assert _post(charlie_client, behind_kpi, "5").status_code == 404
    assert behind_kpi.checkins.count() == 1


def test_a_checklist_card_ticks_an_item_off(alice_client, today, make_kpi):
    kpi = make_kpi(name="LinkedIn", measure="checklist", target=None, items=["Anne", "Bo"])
    anne = kpi.items.get(name="Anne")
    prefix = f"k{kpi.pk}"

    response = alice_client.post(
        f"/kpis/{kpi.pk}/tick/",
        {f"{prefix}-item": anne.pk, f"{prefix}-date": "2027-06-30"},
        **HTMX,
    )

    assert "Ticked off “Anne” on 30 June 2027." in response.content.decode()
    anne.refresh_from_db()
    assert anne.done_on == dt.date(2027, 6, 30)


def test_the_standalone_check_in_page_works_on_a_phone_without_javascript(
    alice_client, today, behind_kpi
):
    page = alice_client.get(f"/kpis/{behind_kpi.pk}/checkin/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'value="2027-06-30"' in page.content.decode()

    response = alice_client.post(
        f"/kpis/{behind_kpi.pk}/checkin/", {"value": "2", "date": "2027-06-29"}
    )

    assert response.status_code == 302
    assert behind_kpi.checkins.count() == 2


def test_the_check_in_answer_costs_the_same_queries_with_few_or_many_checkins(
    alice_client, today, behind_kpi, check_in
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _post(alice_client, behind_kpi, "1", **HTMX)
        return len(queries)

    few = count()
    check_in(behind_kpi, {dt.date(2027, 1, 1) + dt.timedelta(days=n): 0 for n in range(30)})

    assert count() == few


def test_the_card_loads_its_check_in_form_when_asked(alice_client, today, behind_kpi):
    card = alice_client.get("/", **{"HTTP_ACCEPT_LANGUAGE": "en"}).content.decode()
    assert f'hx-get="/kpis/{behind_kpi.pk}/checkin/"' in card

    response = alice_client.get(f"/kpis/{behind_kpi.pk}/checkin/", **HTMX)

    content = response.content.decode()
    assert content.startswith(f'<div class="quick quick-body" id="quick-{behind_kpi.pk}">')
    assert f'id="k{behind_kpi.pk}-value"' in content
    assert 'value="2027-06-30"' in content
    assert "csrfmiddlewaretoken" in content


def test_a_quick_form_loaded_by_htmx_leads_back_to_the_page_it_is_on(
    alice_client, today, behind_kpi
):
    """Sent without JavaScript, the form returns to the dashboard, not to the fragment."""
    page = "/?period=2027-K2"

    form = alice_client.get(
        f"/kpis/{behind_kpi.pk}/checkin/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{page}",
    ).content.decode()

    assert f'name="next" value="{page}"' in form.replace("&amp;", "&")
