"""The KPI chart: series computed like the engine, and a figure for every kind of KPI."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from fokus.core.kpi import CheckIn
from fokus.kpis.charts import actual_series, interval_figure, kpi_chart, kpi_figure
from fokus.kpis.selectors import checkins_by_kpi, kpi_evaluate

START = dt.date(2027, 1, 1)


def _points(*pairs: tuple[int, int]) -> list[CheckIn]:
    return [
        CheckIn(date=START + dt.timedelta(days=day), value=Decimal(value), seq=n)
        for n, (day, value) in enumerate(pairs)
    ]


def test_sum_actual_is_the_baseline_plus_the_running_sum_held_until_today():
    xs, ys = actual_series(
        "sum", Decimal(5), _points((9, 1), (9, 2), (40, 4)), START, dt.date(2027, 3, 1)
    )

    assert xs == [START, dt.date(2027, 1, 10), dt.date(2027, 2, 10), dt.date(2027, 3, 1)]
    assert ys == [5, 8, 12, 12]


def test_last_actual_is_the_latest_value_of_each_day():
    _, ys = actual_series(
        "last", Decimal(20), _points((9, 12), (9, 8), (40, 5)), START, dt.date(2027, 2, 10)
    )

    assert ys == [20, 8, 5]


def test_checkins_after_today_are_not_drawn():
    xs, ys = actual_series("last", Decimal(20), _points((9, 12), (40, 5)), START, START)

    assert (xs, ys) == ([START], [20])


def test_average_actual_is_the_running_mean_without_a_baseline_point():
    xs, ys = actual_series(
        "average", Decimal(0), _points((0, 2), (10, 4), (20, 9)), START, dt.date(2027, 1, 21)
    )

    assert xs[0] == START
    assert ys == [2, 3, 5]


def test_checkins_outside_the_period_are_not_drawn():
    _, ys = actual_series("sum", Decimal(0), _points((-3, 7), (2, 1)), START, dt.date(2027, 1, 3))

    assert ys == [0, 1]


@pytest.mark.django_db
def test_rank_kpi_chart_has_a_reversed_y_axis_and_a_dashed_forecast(make_kpi, check_in):
    kpi = make_kpi(
        name="Top 3 på Google",
        unit="rank",
        measure="last",
        direction="decrease",
        baseline=Decimal(20),
        target=Decimal(3),
    )
    check_in(kpi, {dt.date(2027, 2, 1): 15, dt.date(2027, 4, 1): 9})
    today = dt.date(2027, 6, 30)
    evaluation = kpi_evaluate(kpi=kpi, as_of=today)

    with translation.override("en"):
        fig = kpi_figure(kpi=kpi, evaluation=evaluation, points=_rank_points(kpi), today=today)

    assert fig["layout"]["yaxis"]["autorange"] == "reversed"
    traces = {trace["name"]: trace for trace in fig["data"]}
    assert set(traces) == {"Plan", "Target", "Actual", "Forecast"}
    assert traces["Forecast"]["line"]["dash"] == "dash"
    assert traces["Forecast"]["x"] == [today, kpi.end]
    assert traces["Actual"]["y"] == [20, 15, 9, 9]


@pytest.mark.django_db
def test_a_rank_forecast_above_no_1_is_drawn_as_the_engine_gives_it(make_kpi, check_in):
    """The web shows the same numbers as the API and the CLI: no clamping to no. 1."""
    kpi = make_kpi(
        unit="rank", measure="last", direction="decrease", baseline=Decimal(20), target=3
    )
    check_in(kpi, {dt.date(2027, 2, 1): 12, dt.date(2027, 4, 1): 4})
    today = dt.date(2027, 6, 30)
    evaluation = kpi_evaluate(kpi=kpi, as_of=today)

    fig = kpi_figure(kpi=kpi, evaluation=evaluation, points=_rank_points(kpi), today=today)

    assert evaluation.forecast is not None and evaluation.forecast < 1
    forecast = next(trace for trace in fig["data"] if trace["line"].get("dash") == "dash")
    assert forecast["y"][-1] == pytest.approx(evaluation.forecast)


def _rank_points(kpi):
    return checkins_by_kpi([kpi], dt.date(2027, 6, 30))[kpi.pk]


@pytest.mark.django_db
def test_plan_line_runs_through_the_baseline_sub_goals_and_target(make_kpi):
    kpi = make_kpi(milestones=[(dt.date(2027, 3, 31), Decimal(2))])
    today = dt.date(2026, 12, 1)

    with translation.override("en"):
        fig = kpi_figure(
            kpi=kpi, evaluation=kpi_evaluate(kpi=kpi, as_of=today), points=[], today=today
        )

    traces = {trace["name"]: trace for trace in fig["data"]}
    assert traces["Plan"]["x"] == [kpi.start, dt.date(2027, 3, 31), kpi.end]
    assert traces["Plan"]["y"] == [0, 2, 10]
    assert traces["Sub-goals"]["y"] == [2]
    assert "Actual" not in traces  # not started: nothing to draw yet
    assert "Forecast" not in traces


@pytest.mark.django_db
def test_recurring_kpi_is_one_bar_per_interval_coloured_and_worded_met_or_missed(
    make_kpi, check_in
):
    kpi = make_kpi(
        name="Læsere",
        target=None,
        interval="month",
        interval_target=Decimal(100),
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 3, 31),
    )
    check_in(kpi, {dt.date(2027, 1, 10): 120, dt.date(2027, 2, 10): 60, dt.date(2027, 3, 3): 10})

    with translation.override("en"):
        fig = interval_figure(kpi=kpi, evaluation=kpi_evaluate(kpi=kpi, as_of=dt.date(2027, 3, 5)))

    bars, target = fig["data"]
    assert bars["type"] == "bar"
    assert bars["x"] == ["January 2027", "February 2027", "March 2027"]
    assert bars["y"] == [120, 60, 10]
    assert bars["customdata"] == ["Met", "Missed", "Running"]
    assert bars["marker"]["color"] == ["#15803d", "#b91c1c", "#93c5fd"]  # green, red, blue
    assert target["y"] == [100, 100, 100]


@pytest.mark.django_db
def test_chart_html_is_a_json_data_block_that_cannot_close_its_script(make_kpi):
    kpi = make_kpi(name="</script><script>alert(1)</script>")
    html = kpi_chart(kpi=kpi, evaluation=kpi_evaluate(kpi=kpi, as_of=START), points=[], today=START)

    assert '<script type="application/json" id="kpi-chart-data">' in html
    assert 'data-chart="kpi-chart-data"' in html
    assert html.count("</script>") == 1
    assert "<script>alert" not in html
