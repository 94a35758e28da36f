"""POST /api/v1/plans/funnel: the article's funnel computed and created; bad rates are a
problem+json; viewers compute but do not create; another organisation's funnel is a 404."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from fokus.cli import main
from fokus.core.funnel import forward_view
from fokus.kpis.models import Kpi
from fokus.plans.models import FunnelPlan

ARTICLE = {"goal": 10, "rates": [0.10, 0.05, 0.25], "period": "2027"}


def test_the_articles_funnel_needs_40_quotes_800_visits_and_8000_who_hear(alice_api):
    response = alice_api.post("/plans/funnel", ARTICLE)

    assert response.status_code == 200
    stages = response.json()["stages"]
    assert [s["required"] for s in stages] == [8000, 800, 40, 10]
    assert [s["rate_to_next"] for s in stages] == [0.1, 0.05, 0.25, None]
    assert [(s["start"], s["end"]) for s in stages] == [
        ("2027-01-01", "2027-03-31"),
        ("2027-04-01", "2027-06-30"),
        ("2027-07-01", "2027-09-30"),
        ("2027-10-01", "2027-12-31"),
    ]
    assert FunnelPlan.objects.count() == 0  # computing stores nothing


def test_parallel_placement_gives_every_stage_the_whole_year(alice_api):
    body = {**ARTICLE, "placement": "parallel", "stages": ["A", "B", "C", "D"]}
    stages = alice_api.post("/plans/funnel", body).json()["stages"]
    assert [s["name"] for s in stages] == ["A", "B", "C", "D"]
    assert {(s["start"], s["end"]) for s in stages} == {("2027-01-01", "2027-12-31")}


def test_create_stores_the_funnel_and_its_k1_to_k4_stage_kpis(alice_api, org):
    response = alice_api.post("/plans/funnel", {**ARTICLE, "create": True})

    assert response.status_code == 201
    data = response.json()
    kpis = {k.pk: k for k in Kpi.objects.filter(organisation=org)}
    stage_kpis = [kpis[s["kpi"]] for s in data["stages"]]
    assert [int(k.target) for k in stage_kpis] == [8000, 800, 40, 10]
    # K1..K4: the quarters in Danish.
    assert [re.search(r"\(2027-K[1-4]\)$", k.name)[0] for k in stage_kpis] == [
        "(2027-K1)",
        "(2027-K2)",
        "(2027-K3)",
        "(2027-K4)",
    ]
    assert [k.start for k in stage_kpis] == [
        dt.date(2027, 1, 1),
        dt.date(2027, 4, 1),
        dt.date(2027, 7, 1),
        dt.date(2027, 10, 1),
    ]
    # Sub-goals at the end of each month of the stage's quarter.
    first = stage_kpis[0]
    assert [(m.date, int(m.value)) for m in first.milestones.all()] == [
        (dt.date(2027, 1, 31), 2667),
        (dt.date(2027, 2, 28), 5333),
    ]

    view = alice_api.get(f"/plans/funnel/{data['id']}").json()
    assert view["projected_bottom"] == 0  # nobody has heard of the firm yet
    # 30 June is the last day of K2.
    assert [s["state"] for s in view["stages"]] == [
        "ended",
        "running",
        "not_started",
        "not_started",
    ]


@pytest.mark.parametrize(
    ("rates", "code"),
    [
        ([0.1, 1.5, 0.25], "funnel_rate_invalid"),
        ([0.1, 0, 0.25], "funnel_rate_invalid"),
        ([0.1, "fem procent", 0.25], "funnel_rate_invalid"),
        ([0.1, -0.05, 0.25], "funnel_rate_invalid"),
        ([0.1, "0.000000000000000000001", 0.25], "funnel_rate_invalid"),  # rounds to 0
    ],
)
def test_a_bad_rate_is_a_problem_naming_the_rates_and_nothing_is_saved(alice_api, rates, code):
    response = alice_api.post("/plans/funnel", {**ARTICLE, "rates": rates, "create": True})

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [("rates", code)]
    assert problem["detail"] == "Hver konverteringsrate skal være over 0 og højst 1."
    assert FunnelPlan.objects.count() == 0 and Kpi.objects.count() == 0


def test_stage_names_must_match_the_rates(alice_api):
    response = alice_api.post("/plans/funnel", {**ARTICLE, "stages": ["Hear", "Buy"]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "funnel_stage_count"


@pytest.mark.parametrize("goal", [0, -1, True, 2.5])
def test_the_goal_must_be_a_whole_number_above_zero(alice_api, goal):
    response = alice_api.post("/plans/funnel", {**ARTICLE, "goal": goal})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_a_viewer_may_compute_but_not_create(vera_api):
    assert vera_api.post("/plans/funnel", ARTICLE).status_code == 200
    response = vera_api.post("/plans/funnel", {**ARTICLE, "create": True})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert FunnelPlan.objects.count() == 0


def test_another_organisations_funnel_is_not_found(charlie_api, article_funnel):
    response = charlie_api.get(f"/plans/funnel/{article_funnel.pk}")
    assert response.status_code == 404
    assert response.json()["detail"] == f"Der er ingen salgstragt {article_funnel.pk}."
    assert charlie_api.get("/plans/funnel").json() == []


def test_without_a_token_the_planner_answers_401(client, today):
    response = client.post("/api/v1/plans/funnel", ARTICLE, content_type="application/json")
    assert response.status_code == 401


def test_the_forward_view_counts_a_running_stages_actual_not_its_forecast(alice_api, funnel_2026):
    view = alice_api.get(f"/plans/funnel/{funnel_2026.pk}", as_of="2026-11-15").json()

    stages = view["stages"]
    assert [s["state"] for s in stages] == ["ended", "ended", "ended", "running"]
    assert [s["actual"] for s in stages] == [9000, 700, 35, 3]
    core = forward_view([0.1, 0.05, 0.25], [9000, 700, 35, 3])
    assert [s["rate_actual"] for s in stages[:-1]] == pytest.approx(core.actual_rates, rel=1e-9)
    assert stages[-1]["rate_actual"] is None  # the bottom converts into nothing
    assert stages[2]["rate_actual"] == pytest.approx(3 / 35, rel=1e-9)  # not 6 / 35
    assert view["projected_bottom"] == pytest.approx(3.0, rel=1e-9)  # 9,000 x rates = 3
    # The bottleneck is the stage whose actual rate falls furthest below plan: quotes
    # convert 3 / 35 = 8.6 % against 25 % (rate index 2, as core.forward_view names it).
    assert view["bottleneck"] == core.bottleneck == 2
    assert [s["bottleneck"] for s in stages] == [False, False, True, False]
    # The forecast of the running K4 is there to read, apart from the counted actual.
    assert [s["forecast"] for s in stages] == [None, None, None, 6]


def test_the_bottleneck_row_carries_the_rate_that_makes_it_one(alice_api, funnel_2026):
    view = alice_api.get(f"/plans/funnel/{funnel_2026.pk}", as_of="2026-11-15").json()

    [row] = [s for s in view["stages"] if s["bottleneck"]]
    assert row == view["stages"][view["bottleneck"]]
    assert row["rate_actual"] / row["rate_to_next"] == min(
        s["rate_actual"] / s["rate_to_next"] for s in view["stages"][:-1]
    )


def test_the_cli_prints_the_same_plan_as_the_api(alice_api, capsys, settings):
    """docs/interfaces.md: --json output uses the same field names as the API."""
    settings.LANGUAGE_CODE = "en"
    answer = alice_api.post(
        "/plans/funnel",
        {"goal": 10, "rates": [0.1, 0.05, 0.25], "period": "2027"},
        headers={"Accept-Language": "en"},
    ).json()
    main(
        ["funnel", "plan", "--goal", "10", "--rates", "0.1,0.05,0.25", "--period", "2027", "--json"]
    )

    assert json.loads(capsys.readouterr().out) == answer


def test_a_rate_sent_as_a_float_third_is_taken_exactly_as_written(alice_api):
    """0.3333333333333333 is a little less than a third: 7 / it is just above 21, so 22."""
    body = {"goal": 7, "rates": [0.3, 0.07, 0.3333333333333333], "period": "2027"}

    planned = alice_api.post("/plans/funnel", body)
    created = alice_api.post("/plans/funnel", {**body, "create": True})

    assert planned.status_code == 200, planned.json()
    assert [s["required"] for s in planned.json()["stages"]] == [1050, 315, 22, 7]
    assert [s["required"] for s in created.json()["stages"]] == [1050, 315, 22, 7]
    assert created.json()["stages"][2]["rate_to_next"] == pytest.approx(0.3333333333333333)


def test_a_stored_funnel_gives_the_plan_it_was_made_with(alice_api):
    """A rate with more digits than the column keeps is rounded before planning."""
    body = {"goal": 7, "rates": ["0.09999999999999999"], "period": "2027"}

    planned = alice_api.post("/plans/funnel", body).json()
    created = alice_api.post("/plans/funnel", {**body, "create": True}).json()
    stored = alice_api.get(f"/plans/funnel/{created['id']}").json()

    assert [s["required"] for s in planned["stages"]] == [70, 7]
    assert [s["required"] for s in created["stages"]] == [70, 7]
    assert stored["stages"][0]["rate_to_next"] == planned["stages"][0]["rate_to_next"] == 0.1
