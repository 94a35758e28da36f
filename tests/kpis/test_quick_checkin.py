"""The quick check-in from a dashboard card: htmx swaps in the card with its new status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


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


# --- The date: today when it lies in the period, else the user's choice --------------------


@pytest.fixture
def next_year_kpi(make_kpi):
    """10 new customers in 2028: not started on TODAY (30 June 2027)."""
    return make_kpi(
        name="Nye kunder 2028",
        unit_label="new customers",
        start=dt.date(2028, 1, 1),
        end=dt.date(2028, 12, 31),
    )


def test_outside_the_period_the_card_proposes_no_date_and_says_why(
    alice_client, today, next_year_kpi
):
    response = alice_client.get(f"/kpis/{next_year_kpi.pk}/checkin/", **HTMX)

    content = response.content.decode()
    p = f"k{next_year_kpi.pk}"
    assert (
        f'<input type="date" id="{p}-date" name="{p}-date" value="" min="2028-01-01" '
        f'max="2028-12-31" required aria-describedby="{p}-date-help">'
    ) in content
    assert (
        f'<p class="help" id="{p}-date-help">'
        "The period starts 1 January 2028 – choose the date of the check-in.</p>"
    ) in content
    assert 'value="2027-06-30"' not in content


def test_the_reason_is_said_in_danish(alice_client, today, next_year_kpi):
    content = alice_client.get(
        f"/kpis/{next_year_kpi.pk}/checkin/", HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "Perioden starter 1. januar 2028 – vælg datoen for registreringen." in content


def test_a_check_in_without_a_date_is_refused_never_moved_into_the_period(
    alice_client, today, next_year_kpi
):
    response = _post(alice_client, next_year_kpi, "2", date="", **HTMX)

    content = response.content.decode()
    assert response.status_code == 200  # the card with the form to correct
    assert "This field is required." in content
    assert "The period starts 1 January 2028" in content
    assert next_year_kpi.checkins.count() == 0


def test_a_chosen_date_in_the_period_is_saved(alice_client, today, next_year_kpi):
    _post(alice_client, next_year_kpi, "2", date="2028-01-15", **HTMX)

    assert next_year_kpi.checkins.get().date == dt.date(2028, 1, 15)


def test_after_the_period_the_form_says_it_ended(alice_client, today, make_kpi):
    ended = make_kpi(name="Sidste år", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))

    content = alice_client.get(f"/kpis/{ended.pk}/checkin/", **HTMX).content.decode()

    assert "The period ended 31 December 2026 – choose the date of the check-in." in content


def test_the_check_in_page_proposes_no_date_outside_the_period_and_says_why(
    alice_client, today, next_year_kpi
):
    content = alice_client.get(
        f"/kpis/{next_year_kpi.pk}/checkin/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert '<input type="date" name="date" required aria-describedby="id_date_helptext"' in content
    assert (
        '<p class="help" id="id_date_helptext">'
        "The period starts 1 January 2028 – choose the date of the check-in.</p>"
    ) in content

    response = alice_client.post(f"/kpis/{next_year_kpi.pk}/checkin/", {"value": "2", "date": ""})

    assert response.status_code == 400
    assert next_year_kpi.checkins.count() == 0


@pytest.fixture
def next_year_checklist(make_kpi):
    return make_kpi(
        name="LinkedIn 2028",
        measure="checklist",
        target=None,
        items=["Anne", "Bo"],
        start=dt.date(2028, 1, 1),
        end=dt.date(2028, 12, 31),
    )


def test_ticking_off_outside_the_period_asks_for_the_date(alice_client, today, next_year_checklist):
    kpi = next_year_checklist
    card = alice_client.get(f"/kpis/{kpi.pk}/tick/", **HTMX).content.decode()
    assert f'name="k{kpi.pk}-date" value="" min="2028-01-01"' in card
    assert "The period starts 1 January 2028 – choose the date of the check-in." in card

    detail = alice_client.get(f"/kpis/{kpi.pk}/", **EN).content.decode()
    bo = kpi.items.get(name="Bo")
    assert "Tick off today" not in detail
    assert f'href="/kpis/{kpi.pk}/tick/?item={bo.pk}"' in detail

    page = alice_client.get(f"/kpis/{kpi.pk}/tick/?item={bo.pk}", **EN)
    assert page.context["form"].initial == {"date": None, "item": str(bo.pk)}
    assert f'<option value="{bo.pk}" selected>Bo</option>' in page.content.decode()


def test_ticking_off_today_in_the_period_is_one_click(alice_client, today, make_kpi):
    kpi = make_kpi(name="LinkedIn", measure="checklist", target=None, items=["Anne"])

    detail = alice_client.get(f"/kpis/{kpi.pk}/", **EN).content.decode()

    assert "Tick off today" in detail
    assert '<input type="hidden" name="date" value="2027-06-30">' in detail


# --- The value: what to enter, by how the KPI counts its check-ins -------------------------


@pytest.mark.parametrize(
    ("fields", "english", "danish"),
    [
        (
            {"measure": "sum", "unit_label": "nye kunder"},
            "How many nye kunder since last time?",
            "Hvor mange nye kunder siden sidst?",
        ),
        (
            {"measure": "sum", "unit": "currency"},
            "How much has come in since last time?",
            "Hvor meget er kommet til siden sidst?",
        ),
        (
            {"measure": "last", "unit_label": "følgere", "target": Decimal(5000)},
            "What is the figure now?",
            "Hvad er tallet nu?",
        ),
        (
            {"measure": "average", "unit": "number"},
            "What value do you want to record?",
            "Hvilken værdi vil du registrere?",
        ),
        (
            {
                "measure": "last",
                "unit": "rank",
                "direction": "decrease",
                "baseline": Decimal(20),
                "target": Decimal(3),
            },
            "What is your rank now?",
            "Hvilken placering har I nu?",
        ),
    ],
)
def test_the_check_in_form_asks_what_to_enter(
    alice_client, today, make_kpi, fields, english, danish
):
    kpi = make_kpi(**fields)
    p = f"k{kpi.pk}"

    quick = alice_client.get(f"/kpis/{kpi.pk}/checkin/", **HTMX).content.decode()
    assert f'<label for="{p}-value">{english}</label>' in quick
    assert f'id="{p}-value" name="{p}-value"' in quick  # the question names the input
    danish_quick = alice_client.get(
        f"/kpis/{kpi.pk}/checkin/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f'<label for="{p}-value">{danish}</label>' in danish_quick

    page = alice_client.get(f"/kpis/{kpi.pk}/checkin/").content.decode()
    assert f'<label for="id_value">{danish}</label>' in page


def test_correcting_a_check_in_still_asks_for_its_value(alice_client, today, behind_kpi):
    checkin = behind_kpi.checkins.get()

    content = alice_client.get(f"/checkins/{checkin.pk}/edit/", **EN).content.decode()

    assert '<label for="id_value">Value</label>' in content
