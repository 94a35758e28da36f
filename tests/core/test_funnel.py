"""Funnel: reverse plan, stage placement and the forward view."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fokus.core import (
    FunnelError,
    Period,
    check_funnel,
    forward_view,
    parse_period,
    place_stages,
    reverse_plan,
)

PROPERTY = settings(database=None, deadline=None)

ARTICLE_RATES = [Decimal("0.10"), Decimal("0.05"), Decimal("0.25")]  # hear→visit→quote→buy


def test_the_article_example_needs_8000_who_hear_for_10_buyers():
    assert reverse_plan(10, ARTICLE_RATES) == [8000, 800, 40, 10]


def test_rates_may_be_strings_fractions_or_percent_free_decimals():
    assert reverse_plan(10, ["0.10", Fraction(1, 20), " 0.25 "]) == [8000, 800, 40, 10]


def test_each_stage_rounds_up_to_whole_people():
    # 7 / 0.3 = 23.33 -> 24; 24 / 0.7 = 34.29 -> 35
    assert reverse_plan(7, ["0.7", "0.3"]) == [35, 24, 7]


def test_ceilings_are_exact_where_float_division_would_round_up_one_too_many():
    # 0.07 is not a binary fraction: 7 / 0.07 in floats is 100.00000000000001
    assert reverse_plan(7, ["0.07"]) == [100, 7]


def test_a_rate_of_one_keeps_the_stage_size_and_no_rates_is_just_the_goal():
    assert reverse_plan(5, ["1", "1"]) == [5, 5, 5]
    assert reverse_plan(5, []) == [5]


@pytest.mark.parametrize("goal", [0, -3, 1.5, "10", True, None])
def test_the_goal_must_be_a_positive_whole_number(goal):
    with pytest.raises(FunnelError) as caught:
        reverse_plan(goal, ARTICLE_RATES)
    assert (caught.value.code, caught.value.field) == ("funnel_goal_invalid", "goal")


@pytest.mark.parametrize("rate", ["0", "-0.1", "1.01", "abc", "NaN", "Infinity", "", None, True])
def test_each_rate_must_lie_above_zero_and_at_most_one(rate):
    with pytest.raises(FunnelError) as caught:
        reverse_plan(10, ["0.5", rate])
    assert (caught.value.code, caught.value.field) == ("funnel_rate_invalid", "rates")
    assert caught.value.params["index"] == 1


def test_a_funnel_needs_one_more_stage_name_than_rates():
    with pytest.raises(FunnelError) as caught:
        check_funnel(stage_names=["hear", "visit", "buy"], goal=10, rates=ARTICLE_RATES)
    assert (caught.value.code, caught.value.field) == ("funnel_stage_count", "stages")
    check_funnel(stage_names=["hear", "visit", "quote", "buy"], goal=10, rates=ARTICLE_RATES)


def test_sequential_placement_puts_four_stages_of_a_year_in_k1_to_k4():
    stages = place_stages(parse_period("2027"), 4, "sequential")
    assert [s.label for s in stages] == ["2027-K1", "2027-K2", "2027-K3", "2027-K4"]


def test_parallel_placement_gives_every_stage_the_whole_period():
    period = parse_period("2027-K2")
    assert place_stages(period, 3, "parallel") == [period, period, period]


def test_sequential_placement_of_an_uneven_split_covers_every_day():
    stages = place_stages(Period(date(2027, 1, 1), date(2027, 1, 10)), 3, "sequential")
    assert [s.days for s in stages] == [4, 3, 3]


def test_an_unknown_placement_is_refused():
    with pytest.raises(FunnelError) as caught:
        place_stages(parse_period("2027"), 4, "random")
    assert (caught.value.code, caught.value.field) == ("funnel_placement_invalid", "placement")


def test_more_sequential_stages_than_days_are_refused():
    with pytest.raises(FunnelError) as caught:
        place_stages(Period(date(2027, 1, 1), date(2027, 1, 2)), 3, "sequential")
    assert caught.value.code == "funnel_stage_count"


def test_the_forward_view_finds_actual_rates_projection_and_bottleneck():
    view = forward_view(ARTICLE_RATES, [6000, 480, 30, None])
    assert view.actual_rates == [0.08, 0.0625, None]
    # 6000 x 0.08 x 0.0625 x 0.25 (planned, as the last count is unknown)
    assert view.projected_bottom == 7.5
    assert view.bottleneck == 0  # 0.08 / 0.10 = 0.8 is below 0.0625 / 0.05 = 1.25


def test_the_forward_view_without_counts_projects_zero_and_no_bottleneck():
    view = forward_view(ARTICLE_RATES, [None, None, None, None])
    assert view.actual_rates == [None, None, None]
    assert view.projected_bottom == 0.0
    assert view.bottleneck is None


def test_the_forward_view_with_every_rate_at_or_above_plan_has_no_bottleneck():
    view = forward_view(ARTICLE_RATES, [8000, 800, 40, 10])
    assert view.projected_bottom == 10.0
    assert view.bottleneck is None


def test_a_zero_count_makes_the_rate_unknown_and_uses_the_plan():
    view = forward_view(ARTICLE_RATES, [1000, 0, 10, 5])
    assert view.actual_rates == [None, None, 0.5]
    assert view.projected_bottom == pytest.approx(1000 * 0.10 * 0.05 * 0.5)
    assert view.bottleneck is None


def test_the_forward_view_needs_one_count_per_stage():
    with pytest.raises(FunnelError) as caught:
        forward_view(ARTICLE_RATES, [1, 2, 3])
    assert caught.value.code == "funnel_stage_count"


# --- properties --------------------------------------------------------------------------

rates = st.lists(st.decimals(min_value="0.001", max_value=1, places=3), min_size=0, max_size=6)


@PROPERTY
@given(goal=st.integers(1, 10**6), rates=rates)
def test_the_forward_view_of_the_reverse_plan_reaches_at_least_the_goal(goal, rates):
    stages = reverse_plan(goal, rates)
    assert stages[-1] == goal
    assert forward_view(rates, stages).projected_bottom >= goal
    top_only = [stages[0]] + [None] * len(rates)
    assert forward_view(rates, top_only).projected_bottom >= goal


@PROPERTY
@given(goal=st.integers(1, 10**6), rates=rates)
def test_each_reverse_stage_is_the_smallest_whole_number_that_converts_to_the_next(goal, rates):
    stages = reverse_plan(goal, rates)
    for i, rate in enumerate(rates):
        exact = Fraction(rate)
        assert stages[i] * exact >= stages[i + 1]
        assert (stages[i] - 1) * exact < stages[i + 1]
