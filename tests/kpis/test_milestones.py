from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fokus.core.periods import parse_period
from fokus.kpis.milestones import milestones_moved, split_linearly


def test_a_year_is_split_into_k1_to_k3_sub_goals_with_equal_steps():
    assert split_linearly(
        dt.date(2027, 1, 1), dt.date(2027, 12, 31), Decimal(0), Decimal(1_000_000)
    ) == [
        (dt.date(2027, 3, 31), Decimal(250_000)),
        (dt.date(2027, 6, 30), Decimal(500_000)),
        (dt.date(2027, 9, 30), Decimal(750_000)),
    ]


def test_a_quarter_is_split_into_months_and_a_decrease_steps_down():
    milestones = split_linearly(dt.date(2027, 4, 1), dt.date(2027, 6, 30), Decimal(20), Decimal(2))

    assert milestones == [(dt.date(2027, 4, 30), Decimal(14)), (dt.date(2027, 5, 31), Decimal(8))]


def test_a_short_period_gets_no_default_sub_goals():
    assert split_linearly(dt.date(2027, 4, 1), dt.date(2027, 4, 30), Decimal(0), Decimal(5)) == []


Y27, Y28 = parse_period("2027"), parse_period("2028")
TEMPLATE_2027 = [
    (dt.date(2027, 3, 31), Decimal("2.5")),
    (dt.date(2027, 6, 30), Decimal(5)),
    (dt.date(2027, 9, 30), Decimal("7.5")),
]


def test_sub_goals_at_the_ends_of_the_quarters_move_to_the_same_quarters_of_another_year():
    assert milestones_moved(TEMPLATE_2027, Y27, Y28, Decimal(0), Decimal(10)) == [
        (dt.date(2028, 3, 31), Decimal("2.5")),
        (dt.date(2028, 6, 30), Decimal(5)),
        (dt.date(2028, 9, 30), Decimal("7.5")),
    ]


def test_sub_goals_keep_their_order_and_values_over_a_period_of_as_many_parts():
    half_years = parse_period("2027-07-01..2028-06-30")

    assert milestones_moved(TEMPLATE_2027, Y27, half_years, Decimal(0), Decimal(10)) == [
        (dt.date(2027, 9, 30), Decimal("2.5")),
        (dt.date(2027, 12, 31), Decimal(5)),
        (dt.date(2028, 3, 31), Decimal("7.5")),
    ]


def test_a_period_of_other_parts_gets_the_target_split_evenly():
    quarter = parse_period("2028-K2")

    assert milestones_moved(TEMPLATE_2027, Y27, quarter, Decimal(0), Decimal(9)) == [
        (dt.date(2028, 4, 30), Decimal(3)),
        (dt.date(2028, 5, 31), Decimal(6)),
    ]


def test_sub_goals_on_days_of_their_own_are_split_evenly_too():
    own = [(dt.date(2027, 2, 14), Decimal(1)), *TEMPLATE_2027[1:]]

    assert milestones_moved(own, Y27, Y28, Decimal(0), Decimal(10)) == split_linearly(
        Y28.start, Y28.end, Decimal(0), Decimal(10)
    )


def test_sub_goals_already_in_the_new_period_and_none_at_all_stay_as_they_are():
    longer = parse_period("2027-01-01..2028-03-31")

    assert milestones_moved(TEMPLATE_2027, Y27, longer, Decimal(0), Decimal(10)) == TEMPLATE_2027
    assert milestones_moved([], Y27, Y28, Decimal(0), Decimal(10)) == []


def test_without_a_target_to_split_the_sub_goals_are_dropped():
    quarter = parse_period("2028-K2")

    assert milestones_moved(TEMPLATE_2027, Y27, quarter, Decimal(0), None) == []
