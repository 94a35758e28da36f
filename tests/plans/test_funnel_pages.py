"""The funnel planner in the web UI (Danish by default): plan the article's year from one
goal, see the forward view fill up, re-plan after a weak quarter, and ask "what if"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from fokus.kpis.models import Kpi, KpiChange
from fokus.plans.formatting import format_rate
from fokus.plans.models import FunnelPlan
from fokus.plans.services import funnel_create
from tests.helpers import ApiClient, api_token

ARTICLE_FORM = {
    "n": "4",
    "goal": "10",
    "period": "2027",
    "placement": "sequential",
    "name": "",
    "name_0": "Hører om firmaet",
    "name_1": "Besøger hjemmesiden",
    "name_2": "Beder om et tilbud",
    "name_3": "Køber",
    "rate_0": "10",
    "rate_1": "5",
    "rate_2": "25",
}


def numbers(html: bytes, css_class: str) -> list[str]:
    return re.findall(rf'class="num {css_class}[^"]*">(?:<span[^>]*>)?([^<]+)<', html.decode())


def test_the_new_funnel_form_starts_from_the_articles_funnel(alice_client):
    page = alice_client.get(reverse("plans:funnel_new"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="10"' in html and 'value="5"' in html and 'value="25"' in html
    # The preview shows the required numbers in Danish: 8.000 who hear about the firm.
    assert re.findall(r'class="num required">([^<]+)<', html) == ["8.000", "800", "40", "10"]


def test_the_preview_answers_as_the_form_is_typed(alice_client):
    response = alice_client.get(
        reverse("plans:funnel_preview"), {**ARTICLE_FORM, "rate_2": "50"}, HTTP_HX_REQUEST="true"
    )
    assert re.findall(r'class="num required">([^<]+)<', response.content.decode()) == [
        "4.000",
        "400",
        "20",
        "10",
    ]
    bad = alice_client.get(reverse("plans:funnel_preview"), {**ARTICLE_FORM, "rate_1": "0"})
    assert b'role="alert"' in bad.content and b"required-table" not in bad.content


def test_one_click_plans_the_year_and_creates_the_k1_to_k4_stage_kpis(alice_client, org):
    response = alice_client.post(reverse("plans:funnel_new"), {**ARTICLE_FORM, "action": "create"})

    funnel = FunnelPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:funnel_detail", args=[funnel.pk])
    kpis = list(Kpi.objects.filter(organisation=org).order_by("start"))
    assert [(k.name, int(k.target)) for k in kpis] == [
        ("Hører om firmaet (2027-K1)", 8000),
        ("Besøger hjemmesiden (2027-K2)", 800),
        ("Beder om et tilbud (2027-K3)", 40),
        ("Køber (2027-K4)", 10),
    ]

    page = alice_client.get(response["Location"])
    assert numbers(page.content, "planned") == ["8.000", "800", "40", "10"]


def test_a_bad_rate_shows_at_its_field_and_saves_nothing(alice_client):
    response = alice_client.post(
        reverse("plans:funnel_new"), {**ARTICLE_FORM, "rate_1": "150", "action": "create"}
    )
    assert response.status_code == 200
    assert b"field-error" in response.content
    assert FunnelPlan.objects.count() == 0 and Kpi.objects.count() == 0


def test_the_plan_page_shows_the_forward_view_bottleneck_and_replan(
    alice_client, article_funnel, stage_kpis, record
):
    hear, visit, *_later = stage_kpis
    record(hear, dt.date(2027, 3, 15), 6000)  # K1 ended below its 8,000
    record(visit, dt.date(2027, 5, 1), 300)  # K2 runs to today: 300

    page = alice_client.get(reverse("plans:funnel_detail", args=[article_funnel.pk]))

    html = page.content.decode()
    assert numbers(page.content, "actual") == ["6.000", "300", "–", "–"]
    # "Hører om firmaet" turns 6,000 into 300: 5 % against 10 % planned. The bottleneck
    # is the stage whose own rate falls below plan (docs/engine.md), flagged on its row.
    assert numbers(page.content, "rate-actual") == ["5\xa0%"]
    assert re.search(r'id="bottleneck" data-stage="0"', html)
    assert re.search(r'class="stage-row bottleneck" data-stage="0"', html)
    assert html.count('class="stage-row bottleneck"') == 1
    assert 'id="replan"' in html  # K1 ended below plan: later stages get new targets
    assert 'data-chart="funnel-chart-data"' in html and '"type":"funnel"' in html


def _on(day: dt.date, client, user, time_machine):
    """``user`` logged in at noon in Copenhagen on ``day``."""
    time_machine.move_to(
        dt.datetime(day.year, day.month, day.day, 11, 0, tzinfo=dt.UTC), tick=False
    )
    client.force_login(user)
    return client


def test_the_plan_page_shows_the_forward_view_of_the_api_from_actual_counts(
    client, alice, alice_api, funnel_2026, time_machine
):
    api = alice_api.get(f"/plans/funnel/{funnel_2026.pk}", as_of="2026-11-15").json()
    _on(dt.date(2026, 11, 15), client, alice, time_machine)

    page = client.get(reverse("plans:funnel_detail", args=[funnel_2026.pk]))

    html = page.content.decode()
    # K4 is running at 3 buys: the page counts the 3 (its forecast of 6 at the end of K4
    # is shown beside it, not counted), as the API does.
    assert [n.strip() for n in numbers(page.content, "actual")] == ["9.000", "700", "35", "3"]
    assert "(~6 til sidst)" in html
    with translation.override("da"):
        rates = [format_rate(s["rate_actual"]) for s in api["stages"][:-1]]
    assert numbers(page.content, "rate-actual") == rates == ["7,8\xa0%", "5\xa0%", "8,6\xa0%"]
    assert numbers(page.content, "rate-planned") == ["10\xa0%", "5\xa0%", "25\xa0%"]
    assert re.search(r'id="projected">3<', html) and api["projected_bottom"] == 3
    # The bottleneck is the stage the API names: "Beder om et tilbud" (rate index 2).
    assert api["bottleneck"] == 2
    assert re.search(rf'class="stage-row bottleneck" data-stage="{api["bottleneck"]}"', html)
    assert html.count('class="stage-row bottleneck"') == 1
    quote, buy = (s.name for s in list(funnel_2026.stages.all())[2:])
    alert = re.search(r'id="bottleneck" data-stage="2">(.+?)</p>', html)
    assert alert and re.sub(r"<[^>]+>", "", alert[1]).replace("\xa0", " ") == (
        f"Flaskehals: fra “{quote}” til “{buy}” 8,6 % mod planlagt 25 %; forventet 3 i bunden."
    )


def test_a_running_top_stage_counts_its_actual_in_the_projection_and_what_if(
    client, alice, article_funnel, stage_kpis, record, time_machine
):
    record(stage_kpis[0], dt.date(2027, 2, 1), 4000)  # half-way through K1: 4,000 so far
    _on(dt.date(2027, 2, 14), client, alice, time_machine)

    page = client.get(reverse("plans:funnel_detail", args=[article_funnel.pk]))

    html = page.content.decode()
    assert [n.strip() for n in numbers(page.content, "actual")] == ["4.000", "–", "–", "–"]
    assert "(~8.000 til sidst)" in html  # the forecast of K1 at its pace, beside the actual
    assert re.search(r'id="projected">5<', html)  # 4,000 x 10 % x 5 % x 25 %
    from_top = re.findall(r'what-if-required[^"]*">[^<]+</td><td class="num">([^<]+)<', html)
    assert from_top == ["4.000", "400", "20", "5"]
    api = ApiClient(client, api_token(alice, article_funnel.organisation))
    view = api.get(f"/plans/funnel/{article_funnel.pk}").json()
    assert view["stages"][0]["actual"] == 4000 and view["projected_bottom"] == 5
    assert view["stages"][0]["forecast"] == 8000


def test_applying_the_replan_changes_the_later_targets_with_history(
    alice_client, alice, article_funnel, stage_kpis, record
):
    record(stage_kpis[0], dt.date(2027, 3, 15), 6000)

    response = alice_client.post(reverse("plans:funnel_replan", args=[article_funnel.pk]))

    assert response.status_code == 302
    targets = [int(Kpi.objects.get(pk=k.pk).target) for k in stage_kpis]
    assert targets == [8000, 600, 30, 7]
    changes = KpiChange.objects.filter(field="target").order_by("kpi_id")
    assert [(c.old, c.new, c.user) for c in changes] == [
        ("800", "600", alice),
        ("40", "30", alice),
        ("10", "7", alice),
    ]
    again = alice_client.post(reverse("plans:funnel_replan", args=[article_funnel.pk]))
    assert again.status_code == 302
    assert KpiChange.objects.filter(field="target").count() == 3  # nothing left to re-plan


def test_what_if_a_rate_changes_the_required_numbers_at_once(alice_client, article_funnel):
    response = alice_client.get(
        reverse("plans:funnel_what_if", args=[article_funnel.pk]),
        {"rate_0": "10", "rate_1": "5", "rate_2": "50"},
        HTTP_HX_REQUEST="true",
    )
    cells = re.findall(r'what-if-required[^"]*">([^<]+)<', response.content.decode())
    assert cells == ["4.000", "400", "20", "10"]


def test_rates_default_to_what_past_funnels_reached(alice_client, funnel_2026_plan, record):
    stages = list(funnel_2026_plan.stages.select_related("kpi"))
    for stage, value in zip(stages, [5000, 600, 60, 12], strict=True):
        record(stage.kpi, stage.start, value)

    page = alice_client.get(reverse("plans:funnel_new"))

    html = page.content.decode()
    assert 'name="rate_0" value="12"' in html  # 600 of 5,000
    assert 'name="rate_1" value="10"' in html  # 60 of 600
    assert 'name="rate_2" value="20"' in html  # 12 of 60


def test_another_organisations_funnel_is_not_found(charlie_client, article_funnel):
    detail = reverse("plans:funnel_detail", args=[article_funnel.pk])
    kpis = reverse("plans:funnel_kpis", args=[article_funnel.pk])

    assert charlie_client.get(detail).status_code == 404
    assert charlie_client.post(kpis).status_code == 404


def test_a_viewer_sees_the_plan_but_cannot_create_or_replan(vera_client, article_funnel):
    detail = reverse("plans:funnel_detail", args=[article_funnel.pk])
    replan = reverse("plans:funnel_replan", args=[article_funnel.pk])

    assert vera_client.get(detail).status_code == 200
    assert vera_client.post(replan).status_code == 403
    assert vera_client.get(reverse("plans:funnel_new")).status_code == 403
    response = vera_client.post(reverse("plans:funnel_new"), {**ARTICLE_FORM, "action": "create"})
    assert response.status_code == 403
    assert FunnelPlan.objects.count() == 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("stages", [3, 10])
def test_the_plan_page_costs_the_same_queries_however_many_stages_and_checkins(
    alice_client, org, alice, record, stages
):
    funnel = funnel_create(
        organisation=org,
        user=alice,
        goal=10,
        rates=["0.9"] * (stages - 1),
        stages=None,
        period="2027",
        placement="parallel",
        create_kpis=True,
        now=timezone.now(),
    )
    for stage in funnel.stages.select_related("kpi"):
        for day in range(1, 1 + stages):
            record(stage.kpi, dt.date(2027, 1, day), 1)
    url = reverse("plans:funnel_detail", args=[funnel.pk])
    _queries(alice_client, url)  # warm the session
    count = _queries(alice_client, url)
    assert count == QUERY_BUDGET


QUERY_BUDGET = (
    9  # session, user, membership, alerts badge; funnel, stages, KPIs, sub-goals, check-ins
)
