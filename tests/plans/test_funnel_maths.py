"""The funnel maths the planner adds to the core: pushing a plan forward, learned rates
and re-planning; exact arithmetic, never float rounding."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fokus.core.errors import FunnelError
from fokus.core.funnel import forward_push, learned_rates, replan, reverse_plan

PROPERTY = settings(database=None, deadline=None, max_examples=200)

decimal_rates = st.lists(
    st.decimals(min_value="0.0001", max_value=1, places=4), min_size=0, max_size=6
)


@pytest.mark.parametrize(
    ("goal", "rates", "expected"),
    [
        (10, [0.10, 0.05, 0.25], [8000, 800, 40, 10]),  # the article, as floats
        (1, [0.1, 0.05], [200, 20, 1]),  # 0.1 x 0.05 in floats is 0.005000000000000001
        (7, [0.07], [100, 7]),  # 7 / 0.07 in floats is 100.00000000000001
        (3, [0.3, 0.1], [100, 30, 3]),  # 3 / 0.1 / 0.3 in floats is 100.00000000000001
        (1, [0.01, 0.01, 0.01], [1_000_000, 10_000, 100, 1]),
    ],
)
def test_float_rates_plan_as_the_decimals_they_are_written_as(goal, rates, expected):
    assert reverse_plan(goal, rates) == expected
    assert forward_push(expected[0], rates)[-1] == goal


@PROPERTY
@given(goal=st.integers(1, 10**6), rates=decimal_rates)
def test_the_reverse_plan_pushed_forward_with_the_same_rates_reaches_at_least_the_goal(goal, rates):
    stages = reverse_plan(goal, rates)
    pushed = forward_push(stages[0], rates)
    assert pushed[-1] >= goal
    assert all(p >= s for p, s in zip(pushed, stages, strict=True))


@PROPERTY
@given(goal=st.integers(1, 10**6), rates=decimal_rates)
def test_float_and_decimal_rates_give_the_same_plan(goal, rates):
    assert reverse_plan(goal, [float(r) for r in rates]) == reverse_plan(goal, rates)


def test_learned_rates_pool_the_past_funnels_and_skip_unknown_counts():
    histories = [[1000, 100, 5], [3000, 200, None], [10, 1]]  # the last has another size
    assert learned_rates(histories, 2) == [Fraction(300, 4000), Fraction(5, 100)]
    assert learned_rates([], 3) == [None, None, None]


def test_a_learned_rate_never_exceeds_one():
    assert learned_rates([[10, 12]], 1) == [Fraction(1)]


def test_replanning_pushes_the_actual_forward_and_rounds_down_to_whole_people():
    result = replan(goal=10, rates=["0.10", "0.05", "0.25"], stage=0, actual=6000)
    assert result.targets == [600, 30, 7]  # 30 x 25 % = 7.5 buyers: 7 are certain
    assert result.projected_bottom == Fraction(15, 2)
    assert result.uplift == Fraction(4, 3)  # the rest must convert 4/3 times the plan


def test_replanning_a_stage_that_reached_nobody_proposes_at_least_one():
    result = replan(goal=10, rates=[Decimal("0.5")], stage=0, actual=0)
    assert result.targets == [1]
    assert result.uplift is None


def test_replanning_the_bottom_stage_is_refused():
    with pytest.raises(FunnelError):
        replan(goal=10, rates=["0.5"], stage=1, actual=3)
