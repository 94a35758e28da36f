"""The KPI wizard: templates of the article, the two questions, the sentence, errors at
their fields and nothing saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from fokus.core.errors import DefinitionError
from fokus.kpis.kpi_form import KpiForm
from fokus.kpis.kpi_templates import TEMPLATES
from fokus.kpis.models import Kpi

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _data(**overrides):
    data = {
        "name": "Nye kunder",
        "target": "10",
        "unit": "count",
        "unit_label": "new customers",
        "baseline": "0",
        "direction": "increase",
        "measure": "sum",
        "interval": "",
        "interval_target": "",
        "period": "2027",
        "category": "sales",
        "cadence": "monthly",
        "split_evenly": "on",
        "action": "save",
    }
    data.update(overrides)
    return data


def test_the_wizard_asks_the_two_questions_and_offers_every_template(alice_client, today):
    content = alice_client.get("/kpis/new/", **EN).content.decode()

    assert "Which number will you measure your action on?" in content
    assert "In which period will you reach the goal?" in content
    for template in TEMPLATES:
        assert f"?template={template.slug}" in content


def test_a_template_prefills_the_form_with_the_articles_numbers(alice_client, today):
    response = alice_client.get("/kpis/new/?template=new-customer-revenue", **EN)

    form = response.context["form"]
    assert form.initial["name"] == "Revenue from new customers"
    assert form.initial["target"] == "1000000"
    assert form.initial["unit"] == "currency"
    assert form.initial["period"] == "2027"
    assert form.initial["ms_date_0"] == dt.date(2027, 3, 31)
    assert form.initial["ms_value_0"] == "250000"


def test_saving_creates_the_kpi_with_quarterly_sub_goals(alice_client, today):
    response = alice_client.post("/kpis/new/", _data(), **EN)

    kpi = Kpi.objects.get()
    assert response.status_code == 302
    assert response.url == f"/kpis/{kpi.pk}/"
    assert (kpi.target, kpi.start, kpi.end, kpi.owner.email) == (
        Decimal(10),
        dt.date(2027, 1, 1),
        dt.date(2027, 12, 31),
        "alice@example.com",
    )
    assert [m.value for m in kpi.milestones.all()] == [Decimal("2.5"), Decimal(5), Decimal("7.5")]


def test_preview_shows_the_kpi_as_one_sentence_and_saves_nothing(alice_client, today):
    response = alice_client.post("/kpis/new/", _data(action="preview"), **EN)

    assert (
        "Get 10 new customers in the period 1 January – 31 December 2027"
        in response.content.decode()
    )
    assert not Kpi.objects.exists()


def test_the_live_sentence_comes_back_as_a_fragment(alice_client, today):
    response = alice_client.post("/kpis/new/preview/", _data(), HTTP_HX_REQUEST="true", **EN)

    content = response.content.decode()
    assert content.startswith('<div id="kpi-sentence"')
    assert "Get 10 new customers" in content


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"target": "0"}, "target", "The target must differ from the starting value."),
        ({"direction": "decrease"}, "target", "needs a target above its starting value"),
        ({"target": "ti"}, "target", "“ti” is not a number."),
        ({"name": ""}, "name", "This field is required."),
        (
            {"period": "custom", "start": "2027-12-31", "end": "2027-01-01"},
            "end",
            "The period must end on or after its start.",
        ),
        (
            {"split_evenly": "", "ms_date_0": "2028-02-01", "ms_value_0": "3"},
            "ms_date_0",
            "Every sub-goal must lie in the period",
        ),
        (
            {"measure": "last", "interval": "month", "interval_target": "5", "target": ""},
            "interval",
            "A target that recurs every interval needs the measure “sum”.",
        ),
        (
            {"interval": "month", "interval_target": "", "target": ""},
            "interval_target",
            "Give the target per interval.",
        ),
    ],
)
def test_every_definition_error_is_shown_at_its_field_and_nothing_is_saved(
    alice_client, today, overrides, field, message
):
    response = alice_client.post("/kpis/new/", _data(**overrides), **EN)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in error for error in errors[field])
    assert not Kpi.objects.exists()


def test_a_recurring_kpi_gets_its_target_from_the_target_per_interval(alice_client, today):
    alice_client.post("/kpis/new/", _data(interval="month", interval_target="100", target=""), **EN)

    kpi = Kpi.objects.get()
    assert (kpi.interval, kpi.interval_target, kpi.target) == ("month", 100, 1200)


def test_a_checklist_kpi_takes_its_items_one_per_line(alice_client, today):
    alice_client.post(
        "/kpis/new/",
        _data(measure="checklist", target="", items="Anne\nBo\n\nCarl\n", unit_label=""),
        **EN,
    )

    kpi = Kpi.objects.get()
    assert [item.name for item in kpi.items.all()] == ["Anne", "Bo", "Carl"]
    assert kpi.target == 3


def test_a_viewer_cannot_open_or_post_the_wizard(vera_client, today):
    assert vera_client.get("/kpis/new/").status_code == 403
    assert vera_client.post("/kpis/new/", _data()).status_code == 403
    assert not Kpi.objects.exists()


def test_a_missed_kpi_is_carried_over_to_the_next_period(alice_client, today, make_kpi):
    kpi = make_kpi(name="K1 salg", start=dt.date(2027, 1, 1), end=dt.date(2027, 3, 31))

    response = alice_client.get(f"/kpis/new/?from={kpi.pk}&period=2027-K3", **EN)

    form = response.context["form"]
    assert form.initial["name"] == "K1 salg"
    assert form.initial["period"] == "2027-K3"


# --- A template's sub-goals follow a changed period ---------------------------------------


def _template_data(**overrides):
    """The "new customers" template as the wizard fills it in for 2027, its sub-goals set
    for 2027 (``milestones_for``)."""
    data = _data(
        split_evenly="",
        milestones_for="2027",
        ms_date_0="2027-03-31",
        ms_value_0="2,5",
        ms_date_1="2027-06-30",
        ms_value_1="5",
        ms_date_2="2027-09-30",
        ms_value_2="7,5",
        template="new-customers",
    )
    data.update(overrides)
    return data


def _milestones(kpi):
    return [(m.date, m.value) for m in kpi.milestones.order_by("date")]


def test_a_template_saved_for_another_year_moves_its_sub_goals_to_that_year(alice_client, today):
    response = alice_client.post("/kpis/new/", _template_data(period="2028"))

    kpi = Kpi.objects.get()
    assert response.status_code == 302
    assert (kpi.start, kpi.end) == (dt.date(2028, 1, 1), dt.date(2028, 12, 31))
    assert _milestones(kpi) == [
        (dt.date(2028, 3, 31), Decimal("2.5")),
        (dt.date(2028, 6, 30), Decimal(5)),
        (dt.date(2028, 9, 30), Decimal("7.5")),
    ]


def test_sub_goals_of_their_own_keep_their_values_in_the_new_year(alice_client, today):
    alice_client.post(
        "/kpis/new/", _template_data(period="2028", ms_value_0="1", ms_value_2="9"), **EN
    )

    assert [value for _date, value in _milestones(Kpi.objects.get())] == [1, 5, 9]


def test_sub_goals_on_days_of_their_own_are_split_evenly_over_the_new_period(alice_client, today):
    alice_client.post(
        "/kpis/new/",
        _template_data(period="2028-K2", ms_date_0="2027-02-14", target="9"),
        **EN,
    )

    kpi = Kpi.objects.get()
    assert (kpi.start, kpi.end) == (dt.date(2028, 4, 1), dt.date(2028, 6, 30))
    assert _milestones(kpi) == [(dt.date(2028, 4, 30), Decimal(3)), (dt.date(2028, 5, 31), 6)]


def test_sub_goals_already_in_the_new_period_stay_as_they_are(alice_client, today):
    alice_client.post(
        "/kpis/new/",
        _template_data(
            period="custom",
            start="2027-01-01",
            end="2027-10-31",
            ms_date_0="2027-02-28",
            ms_date_1="2027-05-31",
            ms_date_2="2027-08-31",
        ),
    )

    assert [day for day, _value in _milestones(Kpi.objects.get())] == [
        dt.date(2027, 2, 28),
        dt.date(2027, 5, 31),
        dt.date(2027, 8, 31),
    ]


def test_checking_a_changed_period_shows_the_moved_sub_goals_and_saves_nothing(alice_client, today):
    response = alice_client.post(
        "/kpis/new/", _template_data(period="2028", action="preview"), **EN
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "The sub-goals follow the new period 2028; check them." in content
    assert 'value="2028-03-31"' in content
    assert 'value="2027-03-31"' not in content
    assert 'name="milestones_for" value="2028"' in content
    assert not Kpi.objects.exists()


def test_the_live_preview_moves_the_sub_goals_in_the_form(alice_client, today):
    response = alice_client.post(
        "/kpis/new/preview/", _template_data(period="2028"), HTTP_HX_REQUEST="true", **EN
    )

    content = response.content.decode()
    assert content.startswith('<div id="kpi-sentence"')
    assert "Get 10 new customers in the period 1 January – 31 December 2028" in content
    assert '<div id="milestone-table" hx-swap-oob="true">' in content
    assert content.count('id="id_milestones_for_errors"') == 1
    assert content.count('id="id_ms_date_0_errors"') == 1
    assert 'value="2028-09-30"' in content
    assert 'name="milestones_for" value="2028"' in content


def test_the_live_preview_leaves_the_sub_goals_alone_when_the_period_is_theirs(alice_client, today):
    response = alice_client.post(
        "/kpis/new/preview/", _template_data(), HTTP_HX_REQUEST="true", **EN
    )

    assert 'id="milestone-table"' not in response.content.decode()


def test_editing_a_kpis_period_moves_its_sub_goals(alice_client, today, on_track_kpi):
    response = alice_client.post(
        f"/kpis/{on_track_kpi.pk}/edit/",
        _data(
            split_evenly="",
            milestones_for="2027",
            ms_date_0="2027-03-31",
            ms_value_0="2",
            ms_date_1="2027-06-30",
            ms_value_1="5",
            period="2028",
        ),
        **EN,
    )

    assert response.status_code == 302
    on_track_kpi.refresh_from_db()
    assert on_track_kpi.start == dt.date(2028, 1, 1)
    assert _milestones(on_track_kpi) == [(dt.date(2028, 3, 31), 2), (dt.date(2028, 6, 30), 5)]


def test_the_edit_form_offers_a_kpis_own_period_among_the_choices(alice_client, today, make_kpi):
    old = make_kpi(name="Gammel", start=dt.date(2024, 4, 1), end=dt.date(2024, 6, 30))

    form = alice_client.get(f"/kpis/{old.pk}/edit/").context["form"]

    assert form.initial["period"] == "2024-K2"
    assert "2024-K2" in {
        value for _group, options in form.fields["period"].choices for value, _ in options
    }


# --- Errors next to their field ----------------------------------------------------------


def test_the_live_preview_shows_each_error_next_to_its_field(alice_client, today):
    response = alice_client.post(
        "/kpis/new/preview/",
        _data(target="ti", name=""),
        HTTP_HX_REQUEST="true",
        **EN,
    )

    content = response.content.decode()
    assert (
        '<div class="field-errors" id="id_target_errors" hx-swap-oob="true">'
        '<p class="field-error">“ti” is not a number.</p></div>'
    ) in content
    # What is still unanswered is not yet an error while the user types.
    assert '<div class="field-errors" id="id_name_errors" hx-swap-oob="true"></div>' in content
    assert "Something needs a look; see the fields marked above." in content


def test_a_sub_goal_outside_the_period_is_shown_at_the_sub_goals_in_the_preview(
    alice_client, today
):
    response = alice_client.post(
        "/kpis/new/preview/",
        _data(split_evenly="", ms_date_0="2028-02-01", ms_value_0="3"),
        HTTP_HX_REQUEST="true",
        **EN,
    )

    content = response.content.decode()
    assert '<div class="field-errors" id="id_ms_date_0_errors" hx-swap-oob="true">' in content
    assert "Every sub-goal must lie in the period" in content


def test_a_period_error_is_shown_next_to_the_period(alice_client, today):
    response = alice_client.post(
        "/kpis/new/",
        _data(period="custom", start="2027-12-31", end="2027-01-01", action="preview"),
        **EN,
    )

    content = response.content.decode()
    errors = content.index('id="id_end_errors"')
    assert "The period must end on or after its start." in content[errors : errors + 300]
    assert "see the fields marked above" in content


def test_a_sub_goal_error_without_a_row_is_shown_with_the_sub_goals(db):
    form = KpiForm(_data(), year=2027)
    assert form.is_valid()
    with translation.override("en"):
        form.show_error(
            DefinitionError(
                "milestone_duplicate_date", "Two on one day.", field="milestones", date="2027-05-01"
            )
        )
        table = render_to_string("kpis/_milestone_table.html", {"form": form})

    assert not form.non_field_errors()
    assert (
        '<div class="field-errors" id="id_milestones_for_errors"><p class="field-error">'
        "There can be only one sub-goal per date (2027-05-01).</p></div>"
    ) in table
