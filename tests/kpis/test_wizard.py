"""The KPI wizard: templates of the article, the two questions, the sentence, errors at
their fields and nothing saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

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
