"""KPI evaluation against numbers worked out by hand from docs/engine.md."""

from __future__ import annotations

import json
import math
from datetime import date
from decimal import Decimal
from fractions import Fraction as F

import pytest

from fokus.core import (
    CheckIn,
    DefinitionError,
    Direction,
    IntervalKind,
    KpiDefinition,
    Measure,
    Milestone,
    Status,
    Thresholds,
    evaluate,
)
from fokus.core.kpi import _fdiv

START, END = date(2027, 1, 1), date(2027, 12, 31)  # D = 365
MAR31 = date(2027, 3, 31)  # elapsed 90
JAN31, FEB28 = date(2027, 1, 31), date(2027, 2, 28)  # elapsed 31, 59


def about(value):
    return pytest.approx(float(value), rel=1e-12, abs=0)


def year_sum(**changes):
    fields = {"start": START, "end": END, "baseline": Decimal(0), "target": Decimal(365)}
    fields.update(changes)
    return KpiDefinition(**fields)


def ci(day, value, seq=0):
    return CheckIn(day, Decimal(value), seq)


# --- sum -----------------------------------------------------------------------------------


def test_the_yearly_sum_example_is_on_track_with_its_run_rate_forecast():
    result = evaluate(year_sum(), [ci(MAR31, 100)], MAR31)
    assert result.actual == Decimal(100)
    assert result.plan == about(90)
    assert result.progress == about(F(100, 365))
    assert result.expected_progress == about(F(90, 365))
    assert result.pace == about(F(100, 90))
    assert result.forecast == about(F(100 * 365, 90))
    assert result.forecast_progress == about(F(100, 90))
    assert result.status is Status.on_track
    assert result.intervals == ()


def test_the_actual_of_a_sum_adds_the_check_ins_to_the_baseline():
    defn = year_sum(baseline=Decimal(50), target=Decimal(415))
    result = evaluate(defn, [ci(JAN31, "10.25"), ci(FEB28, "20.50"), ci(MAR31, 30)], MAR31)
    assert result.actual == Decimal("110.75")
    assert result.progress == about(F("60.75") / 365)
    assert result.forecast == about(50 + F("60.75") * 365 / 90)


def test_check_ins_before_the_start_or_after_as_of_do_not_count():
    checkins = [ci(date(2026, 12, 31), 1000), ci(MAR31, 100), ci(date(2027, 4, 1), 1000)]
    result = evaluate(year_sum(), checkins, MAR31)
    assert result.actual == Decimal(100)


def test_the_first_day_has_elapsed_one_so_a_forecast_exists():
    result = evaluate(year_sum(), [ci(START, 2)], START)
    assert result.plan == about(1)
    assert result.pace == about(2)
    assert result.forecast == about(730)


def test_a_sum_that_reaches_its_target_early_is_achieved():
    result = evaluate(year_sum(), [ci(MAR31, 365)], MAR31)
    assert result.progress == 1.0
    assert result.status is Status.achieved


# --- thresholds ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("85.5", Status.on_track),  # pace 85.5 / 90 = 0.95 exactly
        ("85.49", Status.at_risk),
        ("72", Status.at_risk),  # pace 72 / 90 = 0.80 exactly
        ("71.99", Status.off_track),
        ("0", Status.off_track),
        ("-1", Status.off_track),
    ],
)
def test_status_thresholds_are_decided_exactly_at_095_and_080(value, status):
    result = evaluate(year_sum(), [ci(MAR31, value)], MAR31)
    assert result.status is status


def test_pace_exactly_at_the_threshold_is_reported_as_that_float():
    assert evaluate(year_sum(), [ci(MAR31, "85.5")], MAR31).pace == 0.95
    assert evaluate(year_sum(), [ci(MAR31, "72")], MAR31).pace == 0.8


def test_thresholds_are_settable_per_organisation():
    strict = Thresholds(on_track=Decimal("1.0"), at_risk=Decimal("0.9"))
    assert evaluate(year_sum(), [ci(MAR31, 90)], MAR31, strict).status is Status.on_track
    assert evaluate(year_sum(), [ci(MAR31, 85)], MAR31, strict).status is Status.at_risk
    assert evaluate(year_sum(), [ci(MAR31, 80)], MAR31, strict).status is Status.off_track


# --- milestones ----------------------------------------------------------------------------

JUN30, SEP30 = date(2027, 6, 30), date(2027, 9, 30)  # elapsed 181, 273


def bent():
    """Slow first half (200 by 30 June), fast second half (1000 by year end)."""
    return year_sum(target=Decimal(1000), milestones=(Milestone(JUN30, Decimal(200)),))


def test_a_milestone_bends_the_plan_before_it():
    result = evaluate(bent(), [], MAR31)
    assert result.plan == about(F(200 * 90, 181))
    assert result.expected_progress == about(F(200 * 90, 181) / 1000)


def test_the_plan_passes_through_the_milestone():
    assert evaluate(bent(), [], JUN30).plan == 200.0


def test_a_milestone_bends_the_plan_after_it():
    # 200 + 800 x (273 - 181) / (365 - 181) = 200 + 800 x 92 / 184 = 600
    result = evaluate(bent(), [ci(SEP30, 570)], SEP30)
    assert result.plan == 600.0
    assert result.pace == 0.95  # 0.57 / 0.60
    assert result.status is Status.on_track


def test_milestones_are_used_in_date_order_whatever_order_they_are_given_in():
    milestones = (Milestone(SEP30, Decimal(700)), Milestone(MAR31, Decimal(100)))
    defn = year_sum(target=Decimal(1000), milestones=milestones)
    # between (90, 100) and (273, 700): at elapsed 181 = 100 + 600 x 91 / 183
    assert evaluate(defn, [], JUN30).plan == about(100 + F(600 * 91, 183))


def test_pace_is_undefined_while_the_plan_has_not_moved_and_counts_as_one():
    flat = year_sum(target=Decimal(1000), milestones=(Milestone(MAR31, Decimal(0)),))
    result = evaluate(flat, [ci(JAN31, 0)], FEB28)
    assert result.expected_progress == 0.0
    assert result.pace is None
    assert result.status is Status.on_track
    strict = Thresholds(on_track=Decimal("1.05"), at_risk=Decimal("0.8"))
    assert evaluate(flat, [ci(JAN31, 0)], FEB28, strict).status is Status.at_risk


def test_undefined_pace_with_negative_progress_is_off_track():
    flat = year_sum(target=Decimal(1000), milestones=(Milestone(MAR31, Decimal(0)),))
    result = evaluate(flat, [ci(JAN31, -5)], FEB28)
    assert result.pace is None
    assert result.status is Status.off_track


# --- decrease ------------------------------------------------------------------------------


def test_a_decreasing_sum_measures_progress_towards_the_lower_target():
    defn = year_sum(baseline=Decimal(1000), target=Decimal(0), direction=Direction.decrease)
    result = evaluate(defn, [ci(MAR31, -300)], MAR31)
    assert result.actual == Decimal(700)
    assert result.plan == about(1000 - F(1000 * 90, 365))
    assert result.progress == about(F(3, 10))
    assert result.pace == about(F(3, 10) * 365 / 90)
    assert result.forecast == about(1000 - F(300 * 365, 90))
    assert result.forecast_progress == about(F(300 * 365, 90) / 1000)
    assert result.status is Status.on_track


def test_a_decreasing_sum_going_the_wrong_way_is_off_track():
    defn = year_sum(baseline=Decimal(1000), target=Decimal(0), direction=Direction.decrease)
    result = evaluate(defn, [ci(MAR31, 50)], MAR31)
    assert result.progress == about(F(-50, 1000))
    assert result.status is Status.off_track


# --- last: the rank KPI --------------------------------------------------------------------


def rank():
    return year_sum(
        baseline=Decimal(20),
        target=Decimal(3),
        direction=Direction.decrease,
        measure=Measure.last,
    )


def test_the_rank_kpi_uses_the_latest_value_and_a_least_squares_forecast():
    checkins = [ci(MAR31, 12, 3), ci(JAN31, 18, 1), ci(FEB28, 15, 2)]
    result = evaluate(rank(), checkins, MAR31)
    assert result.actual == Decimal(12)
    assert result.progress == about(F(8, 17))
    assert result.expected_progress == about(F(90, 365))
    assert result.pace == about(F(8, 17) / F(90, 365))
    assert result.status is Status.on_track
    # points (0, 20), (31, 18), (59, 15), (90, 12): n 4, Sx 180, Sy 65,
    # Sxx 961 + 3481 + 8100 = 12542, Sxy 558 + 885 + 1080 = 2523
    beta = F(4 * 2523 - 180 * 65, 4 * 12542 - 180 * 180)  # -1608 / 17768
    alpha = (65 - beta * 180) / 4
    forecast = alpha + beta * 365
    assert result.forecast == about(forecast)
    assert result.forecast_progress == about((forecast - 20) / (3 - 20))


def test_a_last_kpi_without_check_ins_sits_at_the_baseline_with_no_data():
    result = evaluate(rank(), [], MAR31)
    assert result.actual == Decimal(20)
    assert result.progress == 0.0
    assert result.forecast == 20.0
    assert result.status is Status.no_data


def test_last_on_the_same_date_takes_the_latest_recorded_by_seq():
    checkins = [ci(MAR31, 7, seq=2), ci(MAR31, 5, seq=1), ci(FEB28, 1, seq=9)]
    assert evaluate(rank(), checkins, MAR31).actual == Decimal(7)
    assert evaluate(rank(), list(reversed(checkins)), MAR31).actual == Decimal(7)


def test_a_last_kpi_at_its_target_early_is_judged_by_pace_not_achieved():
    result = evaluate(rank(), [ci(JAN31, 3)], JAN31)
    assert result.progress == 1.0
    assert result.status is Status.on_track


# --- average -------------------------------------------------------------------------------


def satisfaction():
    return year_sum(baseline=Decimal("7.5"), target=Decimal(9), measure=Measure.average)


def test_an_average_kpi_uses_the_mean_and_forecasts_the_mean():
    checkins = [ci(JAN31, 8), ci(FEB28, 9), ci(MAR31, "8.5")]
    result = evaluate(satisfaction(), checkins, MAR31)
    assert result.actual == Decimal("8.5")
    assert result.progress == about(F(2, 3))
    assert result.pace == about(F(2, 3) * 365 / 90)
    assert result.forecast == about(F(17, 2))
    assert result.forecast_progress == about(F(2, 3))


def test_an_average_that_does_not_terminate_is_still_exact_in_the_ratios():
    result = evaluate(satisfaction(), [ci(JAN31, 8), ci(FEB28, 8), ci(MAR31, 9)], MAR31)
    assert result.progress == about(F(5, 9))  # (25/3 - 15/2) / (3/2)
    assert float(result.actual) == about(F(25, 3))


def test_an_average_without_check_ins_is_undefined():
    result = evaluate(satisfaction(), [], MAR31)
    assert result.actual is None
    assert result.progress is None
    assert result.pace is None
    assert result.forecast is None
    assert result.forecast_progress is None
    assert result.status is Status.no_data


# --- checklist -----------------------------------------------------------------------------


def checklist():
    return KpiDefinition(
        date(2027, 1, 1),
        date(2027, 3, 31),  # 2027-K1: D = 90
        Decimal(0),
        Decimal(10),
        measure=Measure.checklist,
    )


def test_a_checklist_counts_items_from_their_done_date():
    done = [ci(date(2027, 1, 10), 1), ci(date(2027, 2, 1), 1), ci(date(2027, 2, 14), 1)]
    later = [ci(date(2027, 2, 15), 1)]
    result = evaluate(checklist(), done + later, date(2027, 2, 14))  # elapsed 45
    assert result.actual == Decimal(3)
    assert result.plan == 5.0
    assert result.progress == about(F(3, 10))
    assert result.pace == about(F(3, 5))
    assert result.forecast == about(6)
    assert result.status is Status.off_track


def test_a_checklist_with_every_item_done_is_achieved_early():
    done = [ci(date(2027, 1, d), 1) for d in range(1, 11)]
    assert evaluate(checklist(), done, date(2027, 1, 20)).status is Status.achieved


# --- before, without data, after -----------------------------------------------------------


def test_before_the_start_the_kpi_is_not_started_with_no_forecast():
    result = evaluate(year_sum(), [ci(MAR31, 100)], date(2026, 12, 31))
    assert result.status is Status.not_started
    assert result.actual == Decimal(0)
    assert result.plan == 0.0
    assert result.expected_progress == 0.0
    assert result.pace is None
    assert result.forecast is None


def test_without_a_check_in_in_the_period_so_far_the_status_is_no_data():
    result = evaluate(year_sum(), [ci(date(2026, 6, 1), 100), ci(date(2027, 4, 1), 5)], MAR31)
    assert result.status is Status.no_data
    assert result.forecast == 0.0


def test_after_the_end_the_verdict_is_computed_as_of_the_end():
    result = evaluate(year_sum(), [ci(MAR31, 365), ci(date(2028, 1, 5), -300)], date(2028, 2, 1))
    assert result.as_of == date(2028, 2, 1)
    assert result.actual == Decimal(365)
    assert result.plan == 365.0
    assert result.expected_progress == 1.0
    assert result.forecast == 365.0
    assert result.status is Status.achieved


def test_after_the_end_short_of_target_is_missed():
    assert evaluate(year_sum(), [ci(MAR31, 364)], date(2028, 1, 1)).status is Status.missed


def test_after_the_end_without_data_is_missed():
    assert evaluate(year_sum(), [], date(2028, 1, 1)).status is Status.missed
    assert evaluate(satisfaction(), [], date(2028, 1, 1)).status is Status.missed


def test_on_the_last_day_the_status_is_still_live_not_a_verdict():
    assert evaluate(year_sum(), [ci(MAR31, 364)], END).status is Status.on_track


def test_a_last_kpi_verdict_uses_the_last_value_even_after_reaching_the_target():
    checkins = [ci(MAR31, 3, 1), ci(date(2027, 12, 1), 4, 2)]
    assert evaluate(rank(), checkins, date(2028, 1, 1)).status is Status.missed
    assert evaluate(rank(), checkins[:1], date(2028, 1, 1)).status is Status.achieved


# --- recurring targets ---------------------------------------------------------------------


def monthly():
    """2027-K1, 10 a month, target 30."""
    return KpiDefinition(
        date(2027, 1, 1),
        date(2027, 3, 31),
        Decimal(0),
        Decimal(30),
        interval=IntervalKind.month,
        interval_target=Decimal(10),
    )


def test_each_interval_is_met_missed_or_still_running():
    checkins = [ci(date(2027, 1, 5), 7), ci(date(2027, 1, 31), 5), ci(FEB28, 8)]
    checkins += [ci(date(2027, 3, 2), 5), ci(date(2027, 3, 20), 50)]
    result = evaluate(monthly(), checkins, date(2027, 3, 15))
    assert [(r.start, r.end, r.actual, r.target, r.met) for r in result.intervals] == [
        (date(2027, 1, 1), date(2027, 1, 31), Decimal(12), Decimal(10), True),
        (date(2027, 2, 1), date(2027, 2, 28), Decimal(8), Decimal(10), False),
        (date(2027, 3, 1), date(2027, 3, 31), Decimal(5), Decimal(10), None),
    ]
    assert result.actual == Decimal(25)


def test_an_interval_ending_on_as_of_is_judged_that_day():
    result = evaluate(monthly(), [ci(JAN31, 10)], JAN31)
    assert [r.met for r in result.intervals] == [True, None, None]


def test_intervals_not_yet_started_show_zero_and_none():
    result = evaluate(monthly(), [], date(2026, 12, 1))
    assert [(r.actual, r.met) for r in result.intervals] == [(Decimal(0), None)] * 3
    assert result.status is Status.not_started


def test_a_recurring_kpi_is_achieved_only_when_every_interval_was_met():
    met = [ci(date(2027, 1, 5), 10), ci(date(2027, 2, 5), 10), ci(date(2027, 3, 5), 10)]
    result = evaluate(monthly(), met, date(2027, 4, 1))
    assert [r.met for r in result.intervals] == [True, True, True]
    assert result.status is Status.achieved


def test_a_recurring_kpi_over_its_total_but_with_one_missed_interval_is_missed():
    checkins = [ci(date(2027, 1, 5), 25), ci(date(2027, 2, 5), 5), ci(date(2027, 3, 5), 10)]
    result = evaluate(monthly(), checkins, date(2027, 4, 1))
    assert result.progress == about(F(40, 30))
    assert [r.met for r in result.intervals] == [True, False, True]
    assert result.status is Status.missed


def test_the_live_status_of_a_recurring_kpi_uses_the_whole_period_rules():
    result = evaluate(monthly(), [ci(date(2027, 1, 5), 30)], FEB28)
    assert [r.met for r in result.intervals] == [True, False, None]
    assert result.status is Status.achieved  # reached early (sum)


def test_weekly_intervals_are_clipped_to_the_period():
    defn = KpiDefinition(
        date(2027, 1, 1),
        date(2027, 1, 31),
        Decimal(0),
        Decimal(10),
        interval=IntervalKind.week,
        interval_target=Decimal(2),
    )
    result = evaluate(defn, [ci(date(2027, 1, 3), 2), ci(date(2027, 1, 4), 1)], date(2027, 1, 12))
    assert [(r.start, r.end, r.actual, r.met) for r in result.intervals] == [
        (date(2027, 1, 1), date(2027, 1, 3), Decimal(2), True),
        (date(2027, 1, 4), date(2027, 1, 10), Decimal(1), False),
        (date(2027, 1, 11), date(2027, 1, 17), Decimal(0), None),
        (date(2027, 1, 18), date(2027, 1, 24), Decimal(0), None),
        (date(2027, 1, 25), date(2027, 1, 31), Decimal(0), None),
    ]


# --- output and guards ---------------------------------------------------------------------


def test_as_dict_is_json_ready():
    checkins = [ci(date(2027, 1, 5), "12.5"), ci(FEB28, 8)]
    data = evaluate(monthly(), checkins, date(2027, 3, 15)).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["as_of"] == "2027-03-15"
    assert data["actual"] == 20.5
    assert data["target"] == 30.0
    assert data["baseline"] == 0.0
    assert data["status"] == "at_risk"  # 20.5 against a plan of 30 x 74 / 90
    assert data["intervals"][0] == {
        "start": "2027-01-01",
        "end": "2027-01-31",
        "actual": 12.5,
        "target": 10.0,
        "met": True,
    }
    assert set(data) == {
        "as_of",
        "actual",
        "plan",
        "target",
        "baseline",
        "progress",
        "expected_progress",
        "pace",
        "forecast",
        "forecast_progress",
        "status",
        "intervals",
    }


def test_as_dict_keeps_undefined_values_as_none():
    data = evaluate(satisfaction(), [], MAR31).as_dict()
    assert data["actual"] is None
    assert data["pace"] is None
    assert data["forecast"] is None
    assert data["status"] == "no_data"


def test_check_ins_may_come_from_a_one_shot_iterator():
    result = evaluate(year_sum(), iter([ci(MAR31, 100)]), MAR31)
    assert result.actual == Decimal(100)


def test_evaluating_a_definition_with_target_equal_to_baseline_is_refused():
    with pytest.raises(DefinitionError) as caught:
        evaluate(year_sum(target=Decimal(0)), [], MAR31)
    assert caught.value.code == "target_equals_baseline"


def test_huge_and_tiny_decimals_are_summed_exactly():
    checkins = [ci(JAN31, "1E+30"), ci(FEB28, "1E-30"), ci(MAR31, "-1E+30")]
    result = evaluate(year_sum(), checkins, MAR31)
    assert result.actual == Decimal("1E-30")
    assert result.progress == about(F(1, 10**30) / 365)


def test_a_ratio_of_nothing_over_a_decreasing_span_is_0_not_minus_0():
    """JSON would otherwise say -0.0 for a decreasing KPI that has not moved."""
    assert math.copysign(1, _fdiv(Decimal(0), Decimal(-5))) == 1.0
