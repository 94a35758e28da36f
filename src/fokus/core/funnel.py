"""Funnel maths: the reverse plan from a bottom goal, stage placement and the forward view.

Stages run top to bottom ``s_0 .. s_n``; rate ``r_i`` converts stage ``i`` into stage
``i + 1`` with ``0 < r_i <= 1`` (docs/engine.md "Funnel (reverse plan)").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction

from .errors import FunnelError, PeriodError
from .periods import Period, sub_periods

__all__ = [
    "ForwardView",
    "Placement",
    "RateInput",
    "Replan",
    "StagePlacement",
    "check_funnel",
    "forward_push",
    "forward_view",
    "learned_rates",
    "parse_rate",
    "place_stages",
    "replan",
    "reverse_plan",
]

RateInput = Decimal | str | Fraction | int | float


class Placement(StrEnum):
    sequential = "sequential"
    parallel = "parallel"


@dataclass
class StagePlacement:
    """Where one stage's work lies in time."""

    start: date
    end: date


@dataclass(frozen=True)
class ForwardView:
    actual_rates: list[float | None]
    projected_bottom: float
    bottleneck: int | None


def _rate_error(index: int, value: object) -> FunnelError:
    return FunnelError(
        "funnel_rate_invalid",
        f"Rate {index + 1} must be a number greater than 0 and at most 1 (got {value!r}).",
        field="rates",
        index=index,
        value=str(value),
    )


def _exact(value: object) -> Fraction | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Fraction | int):
        return Fraction(value)
    if isinstance(value, float):
        value = repr(value)  # 0.1 means 1/10, not the binary double nearest to it
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            return None
    if isinstance(value, Decimal) and value.is_finite():
        return Fraction(value)
    return None


def parse_rate(value: RateInput, index: int = 0) -> Fraction:
    """One conversion rate as an exact Fraction; strings and floats go through Decimal."""
    rate = _exact(value)
    if rate is None or not 0 < rate <= 1:
        raise _rate_error(index, value)
    return rate


def _parse_rates(rates: Sequence[RateInput]) -> list[Fraction]:
    if isinstance(rates, str | bytes):
        raise _rate_error(0, rates)
    return [parse_rate(rate, i) for i, rate in enumerate(rates)]


def _check_goal(goal: object) -> int:
    if isinstance(goal, bool) or not isinstance(goal, int) or goal <= 0:
        raise FunnelError(
            "funnel_goal_invalid",
            f"The goal must be a whole number greater than 0 (got {goal!r}).",
            field="goal",
            value=str(goal),
        )
    return goal


def _stage_count_error(expected: int, got: int) -> FunnelError:
    return FunnelError(
        "funnel_stage_count",
        f"A funnel with {expected - 1} rates needs {expected} stages, not {got}.",
        field="stages",
        expected=expected,
        got=got,
    )


def check_funnel(*, stage_names: Sequence[str], goal: int, rates: Sequence[RateInput]) -> None:
    """Raise the first FunnelError of a funnel form: stage count, goal, then rates."""
    if len(stage_names) != len(rates) + 1:
        raise _stage_count_error(len(rates) + 1, len(stage_names))
    _check_goal(goal)
    _parse_rates(rates)


def reverse_plan(goal: int, rates: Sequence[RateInput]) -> list[int]:
    """Stage sizes top to bottom: ``s_n = goal``, ``s_i = ceil(s_{i+1} / r_i)`` exactly."""
    bottom = _check_goal(goal)
    exact = _parse_rates(rates)
    stages = [bottom]
    for rate in reversed(exact):
        stages.append(math.ceil(stages[-1] / rate))
    stages.reverse()
    return stages


def place_stages(period: Period, n_stages: int, placement: str) -> list[Period]:
    """``sequential``: stage i in the i-th of ``n_stages`` sub-periods (K1..K4 for four
    stages in a year); ``parallel``: every stage spans the whole period."""
    if placement not in (Placement.sequential, Placement.parallel):
        raise FunnelError(
            "funnel_placement_invalid",
            f"Unknown placement {placement!r}; use sequential or parallel.",
            field="placement",
            value=str(placement),
        )
    if isinstance(n_stages, bool) or not isinstance(n_stages, int) or n_stages < 1:
        raise FunnelError(
            "funnel_stage_count",
            f"A funnel needs at least one stage (got {n_stages!r}).",
            field="stages",
            got=str(n_stages),
        )
    if placement == Placement.parallel:
        return [period] * n_stages
    try:
        return sub_periods(period, n_stages)
    except PeriodError:
        raise FunnelError(
            "funnel_stage_count",
            f"A period of {period.days} days cannot hold {n_stages} sequential stages.",
            field="stages",
            got=n_stages,
            days=period.days,
        ) from None


def forward_view(
    planned_rates: Sequence[RateInput], actual_counts: Sequence[int | None]
) -> ForwardView:
    """Actual rates, projected bottom and bottleneck from actual stage counts.

    ``actual_rates[i] = s_{i+1} / s_i`` when both counts are > 0. The projected bottom is
    ``s_0 x prod(r_i)`` with the actual rate where known, the planned one otherwise. The
    bottleneck is the rate index whose actual/planned ratio is lowest and below 1
    (the first such index on a tie).
    """
    planned = _parse_rates(planned_rates)
    if len(actual_counts) != len(planned) + 1:
        raise _stage_count_error(len(planned) + 1, len(actual_counts))
    for count in actual_counts:
        if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
            raise FunnelError(
                "funnel_count_invalid",
                f"A stage count must be a whole number (got {count!r}).",
                field="counts",
                value=str(count),
            )
    actual_rates: list[float | None] = []
    projected = Fraction(actual_counts[0] or 0)
    bottleneck: int | None = None
    lowest = Fraction(1)
    for i, rate in enumerate(planned):
        upper, lower = actual_counts[i], actual_counts[i + 1]
        if upper is not None and lower is not None and upper > 0 and lower > 0:
            actual = Fraction(lower, upper)
            actual_rates.append(float(actual))
            projected *= actual
            ratio = actual / rate
            if ratio < lowest:
                lowest, bottleneck = ratio, i
        else:
            actual_rates.append(None)
            projected *= rate
    return ForwardView(
        actual_rates=actual_rates, projected_bottom=float(projected), bottleneck=bottleneck
    )


def forward_push(top: int | Fraction, rates: Sequence[RateInput]) -> list[Fraction]:
    """Stage sizes top to bottom when ``top`` enters and every rate holds exactly:
    ``s_0 = top``, ``s_{i+1} = s_i x r_i`` (exact fractions, no rounding)."""
    exact = _parse_rates(rates)
    stages = [Fraction(top)]
    for rate in exact:
        stages.append(stages[-1] * rate)
    return stages


def learned_rates(histories: Sequence[Sequence[int | None]], n_rates: int) -> list[Fraction | None]:
    """The organisation's own conversion rates from past funnels of ``n_rates + 1`` stages:
    for each rate the pooled ``sum(s_{i+1}) / sum(s_i)`` over the funnels where both counts
    are known and > 0, capped at 1; ``None`` where no funnel tells."""
    uppers = [0] * n_rates
    lowers = [0] * n_rates
    for counts in histories:
        if len(counts) != n_rates + 1:
            continue
        for i in range(n_rates):
            upper, lower = counts[i], counts[i + 1]
            if upper is not None and lower is not None and upper > 0 and lower > 0:
                uppers[i] += upper
                lowers[i] += lower
    return [
        min(Fraction(1), Fraction(lowers[i], uppers[i])) if uppers[i] else None
        for i in range(n_rates)
    ]


@dataclass(frozen=True)
class Replan:
    """New targets for the stages after an ended one, from its actual count.

    ``targets[j]`` is the proposal for stage ``stage + 1 + j``: what the actual count
    turns into at the planned rates (rounded down to whole people, at least 1).
    ``projected_bottom`` is the exact bottom those rates give; ``uplift`` is the factor
    by which the remaining conversions must beat the plan to still reach ``goal``.
    """

    stage: int
    actual: int
    targets: list[int]
    projected_bottom: Fraction
    uplift: Fraction | None


def replan(*, goal: int, rates: Sequence[RateInput], stage: int, actual: int) -> Replan:
    """Re-plan the stages after ``stage`` (a rate index's upper stage) that ended at
    ``actual`` people: push the actual forward with the planned rates."""
    bottom = _check_goal(goal)
    exact = _parse_rates(rates)
    if isinstance(stage, bool) or not isinstance(stage, int) or not 0 <= stage < len(exact):
        raise FunnelError(
            "funnel_stage_count",
            f"Stage {stage!r} has no later stage to re-plan.",
            field="stage",
            got=str(stage),
        )
    if isinstance(actual, bool) or not isinstance(actual, int) or actual < 0:
        raise FunnelError(
            "funnel_count_invalid",
            f"A stage count must be a whole number (got {actual!r}).",
            field="counts",
            value=str(actual),
        )
    pushed = forward_push(actual, exact[stage:])
    targets = [max(1, math.floor(size)) for size in pushed[1:]]
    projected = pushed[-1]
    uplift = Fraction(bottom) / projected if projected > 0 else None
    return Replan(
        stage=stage, actual=actual, targets=targets, projected_bottom=projected, uplift=uplift
    )
