"""KPI definition checks: every error code, in docs/engine.md order."""

from __future__ import annotations

import pickle
from datetime import date
from decimal import Decimal

import pytest

from fokus.core import (
    DefinitionError,
    Direction,
    IntervalKind,
    KpiDefinition,
    Measure,
    Milestone,
    check_definition,
    recurring_target,
)

START, END = date(2027, 1, 1), date(2027, 12, 31)


def kpi(**changes):
    fields = {"start": START, "end": END, "baseline": Decimal(0), "target": Decimal(100)}
    fields.update(changes)
    return KpiDefinition(**fields)


def refused(defn):
    with pytest.raises(DefinitionError) as caught:
        check_definition(defn)
    return caught.value


def test_a_plain_increasing_kpi_is_accepted():
    check_definition(kpi())


def test_a_decreasing_kpi_with_target_below_baseline_is_accepted():
    check_definition(kpi(baseline=Decimal(20), target=Decimal(3), direction=Direction.decrease))


def test_an_end_before_the_start_is_refused_on_the_end_field():
    err = refused(kpi(end=date(2026, 12, 31)))
    assert (err.code, err.field) == ("end_before_start", "end")


def test_a_one_day_period_is_accepted():
    check_definition(kpi(end=START))


def test_a_target_equal_to_the_baseline_is_refused():
    err = refused(kpi(baseline=Decimal(100)))
    assert (err.code, err.field) == ("target_equals_baseline", "target")


def test_an_increasing_kpi_with_target_below_baseline_is_refused():
    err = refused(kpi(baseline=Decimal(200)))
    assert (err.code, err.field) == ("direction_mismatch", "target")


def test_a_decreasing_kpi_with_target_above_baseline_is_refused():
    err = refused(kpi(direction=Direction.decrease))
    assert (err.code, err.field) == ("direction_mismatch", "target")


def test_milestones_inside_the_period_are_accepted():
    check_definition(
        kpi(
            milestones=(
                Milestone(START, Decimal(1)),
                Milestone(date(2027, 12, 30), Decimal(99)),
            )
        )
    )


@pytest.mark.parametrize("day", [date(2026, 12, 31), END, date(2028, 1, 1)])
def test_a_milestone_outside_start_to_before_end_is_refused(day):
    err = refused(kpi(milestones=(Milestone(day, Decimal(50)),)))
    assert (err.code, err.field) == ("milestone_outside_period", "milestones")


def test_two_milestones_on_one_date_are_refused():
    day = date(2027, 6, 30)
    err = refused(kpi(milestones=(Milestone(day, Decimal(40)), Milestone(day, Decimal(50)))))
    assert (err.code, err.field) == ("milestone_duplicate_date", "milestones")


def test_a_recurring_target_is_the_interval_target_times_the_number_of_intervals():
    assert recurring_target(START, END, IntervalKind.month, Decimal(10)) == Decimal(120)
    assert recurring_target(START, END, IntervalKind.quarter, Decimal("2.5")) == Decimal(10)
    assert recurring_target(START, END, "week", Decimal(2)) == Decimal(106)  # 53 weeks


def test_a_recurring_kpi_with_the_matching_target_is_accepted():
    check_definition(
        kpi(target=Decimal(120), interval=IntervalKind.month, interval_target=Decimal(10))
    )


def test_a_recurring_target_needs_the_sum_measure():
    err = refused(
        kpi(
            target=Decimal(120),
            measure=Measure.last,
            interval=IntervalKind.month,
            interval_target=Decimal(10),
        )
    )
    assert (err.code, err.field) == ("recurring_needs_sum", "interval")


def test_a_recurring_target_needs_an_interval_target():
    err = refused(kpi(interval=IntervalKind.month))
    assert (err.code, err.field) == ("interval_target_missing", "interval_target")


@pytest.mark.parametrize("value", [Decimal(0), Decimal(-5)])
def test_the_interval_target_must_be_positive(value):
    err = refused(kpi(interval=IntervalKind.month, interval_target=value))
    assert (err.code, err.field) == ("interval_target_not_positive", "interval_target")


def test_a_recurring_target_must_equal_the_interval_target_times_the_intervals():
    err = refused(kpi(target=Decimal(100), interval="month", interval_target=Decimal(10)))
    assert (err.code, err.field) == ("recurring_target_mismatch", "target")
    assert err.params["expected"] == "120"
    assert "120" in str(err)


def test_checks_run_in_engine_order_end_date_first():
    err = refused(
        kpi(
            end=date(2026, 1, 1),
            baseline=Decimal(100),
            milestones=(Milestone(date(2030, 1, 1), Decimal(1)),),
        )
    )
    assert err.code == "end_before_start"


def test_recurring_checks_come_last_as_engine_md_lists_them():
    err = refused(kpi(baseline=Decimal(100), interval="week", interval_target=Decimal(0)))
    assert err.code == "target_equals_baseline"

    err = refused(
        kpi(interval="week", interval_target=Decimal(3), milestones=(Milestone(END, Decimal(1)),))
    )
    assert err.code == "milestone_outside_period"

    err = refused(kpi(interval="week", interval_target=Decimal(3)))
    assert err.code == "recurring_target_mismatch"


def test_target_checks_come_before_the_milestone_checks():
    err = refused(kpi(baseline=Decimal(200), milestones=(Milestone(END, Decimal(1)),)))
    assert err.code == "direction_mismatch"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("direction", "sideways", "unknown_direction"),
        ("measure", "median", "unknown_measure"),
        ("interval", "fortnight", "unknown_interval"),
    ],
)
def test_an_unknown_choice_is_refused_when_the_definition_is_built(field, value, code):
    with pytest.raises(DefinitionError) as caught:
        kpi(**{field: value})
    assert (caught.value.code, caught.value.field) == (code, field)


def test_choices_given_as_plain_strings_become_enums():
    defn = kpi(direction="decrease", measure="last", interval="week", target=Decimal(-1))
    assert defn.direction is Direction.decrease
    assert defn.measure is Measure.last
    assert defn.interval is IntervalKind.week


def test_numbers_given_as_int_str_or_float_become_decimals():
    defn = kpi(baseline=0, target="12.50", interval_target=0.1)
    assert defn.baseline == Decimal(0)
    assert defn.target == Decimal("12.50")
    assert defn.interval_target == Decimal("0.1")


@pytest.mark.parametrize("value", ["abc", "NaN", Decimal("Infinity"), None])
def test_a_value_that_is_not_a_finite_number_is_refused(value):
    with pytest.raises(DefinitionError) as caught:
        kpi(target=value)
    assert (caught.value.code, caught.value.field) == ("number_invalid", "target")


def test_a_definition_error_survives_a_pickle_with_its_code_field_and_params():
    err = refused(kpi(baseline=Decimal(100)))
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is DefinitionError
    assert (again.code, again.field, again.params, str(again)) == (
        err.code,
        err.field,
        err.params,
        str(err),
    )
    assert isinstance(again, ValueError)
