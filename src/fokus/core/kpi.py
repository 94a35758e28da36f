"""The KPI engine: definition checks and the evaluation of a KPI as of a date (docs/engine.md).

Exactness: the actual, the plan and every ratio used for a status decision are kept as
exact rationals: a :class:`~decimal.Decimal` numerator over a positive integer or Decimal
denominator, computed in an unbounded-precision decimal context (sums and products of
decimals are then exact). No division is ever done in that context; a ratio is turned
into a float only for the returned fields, through integer ratios, which rounds exactly
as ``float(fractions.Fraction(n, d))`` does. This is the same arithmetic as
``fractions.Fraction`` without its per-operation normalisation cost, so boundary
comparisons (pace exactly 0.95, progress exactly 1) are decided exactly and the engine
stays within its budget (10,000 KPIs x 100 check-ins in about half a second).
"""

from __future__ import annotations

import operator
from bisect import bisect_right
from collections.abc import Iterable
from datetime import date
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from functools import lru_cache

from .errors import DefinitionError
from .kpi_model import (
    DEFAULT_THRESHOLDS,
    CheckIn,
    Direction,
    Evaluation,
    IntervalKind,
    IntervalResult,
    KpiDefinition,
    Measure,
    Milestone,
    Status,
    Thresholds,
    to_decimal,
)
from .periods import interval_table

__all__ = [
    "DEFAULT_THRESHOLDS",
    "CheckIn",
    "Direction",
    "Evaluation",
    "IntervalKind",
    "IntervalResult",
    "KpiDefinition",
    "Measure",
    "Milestone",
    "Status",
    "Thresholds",
    "check_definition",
    "evaluate",
    "recurring_target",
]


# ---------------------------------------------------------------------------------------
# Definition checks

# Sums and products in this context are exact; never divide in it.
_EXACT = Context(
    prec=MAX_PREC,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
_MEAN = Context(prec=28, traps=[InvalidOperation, DivisionByZero, Overflow])
_ZERO = Decimal(0)


def recurring_target(
    start: date, end: date, interval: IntervalKind | str, interval_target: Decimal
) -> Decimal:
    """``interval_target`` times the number of calendar intervals in ``[start, end]``."""
    count = len(interval_table(start, end, str(interval)))
    return _EXACT.multiply(to_decimal(interval_target, "interval_target"), Decimal(count))


def _end_before_start(defn: KpiDefinition) -> DefinitionError:
    return DefinitionError(
        "end_before_start",
        f"The end date {defn.end.isoformat()} is before the start date {defn.start.isoformat()}.",
        field="end",
        start=defn.start.isoformat(),
        end=defn.end.isoformat(),
    )


def _target_equals_baseline(defn: KpiDefinition) -> DefinitionError:
    return DefinitionError(
        "target_equals_baseline",
        f"The target ({defn.target}) must differ from the baseline ({defn.baseline}).",
        field="target",
        target=str(defn.target),
        baseline=str(defn.baseline),
    )


def _check_interval(defn: KpiDefinition) -> None:
    interval = defn.interval
    if interval is None:
        return
    if defn.measure != Measure.sum:
        raise DefinitionError(
            "recurring_needs_sum",
            f"A recurring target needs the measure 'sum', not '{defn.measure}'.",
            field="interval",
            measure=str(defn.measure),
        )
    value = defn.interval_target
    if value is None:
        raise DefinitionError(
            "interval_target_missing",
            f"A recurring target needs a target per {interval}.",
            field="interval_target",
            interval=str(interval),
        )
    if value <= 0:
        raise DefinitionError(
            "interval_target_not_positive",
            f"The target per {interval} must be greater than 0 (got {value}).",
            field="interval_target",
            interval=str(interval),
            value=str(value),
        )
    count = len(interval_table(defn.start, defn.end, str(interval)))
    expected = recurring_target(defn.start, defn.end, interval, value)
    if defn.target != expected:
        raise DefinitionError(
            "recurring_target_mismatch",
            f"The target must be {expected} ({value} per {interval} x {count} "
            f"{interval}s in the period), not {defn.target}.",
            field="target",
            expected=str(expected),
            interval_target=str(value),
            count=count,
            interval=str(interval),
            target=str(defn.target),
        )


def _check_milestones(defn: KpiDefinition) -> None:
    seen: set[date] = set()
    for milestone in defn.milestones:
        if not defn.start <= milestone.date < defn.end:
            raise DefinitionError(
                "milestone_outside_period",
                f"The milestone on {milestone.date.isoformat()} must lie on or after "
                f"{defn.start.isoformat()} and before {defn.end.isoformat()}.",
                field="milestones",
                date=milestone.date.isoformat(),
                start=defn.start.isoformat(),
                end=defn.end.isoformat(),
            )
    for milestone in defn.milestones:
        if milestone.date in seen:
            raise DefinitionError(
                "milestone_duplicate_date",
                f"There is more than one milestone on {milestone.date.isoformat()}.",
                field="milestones",
                date=milestone.date.isoformat(),
            )
        seen.add(milestone.date)


def check_definition(defn: KpiDefinition) -> None:
    """Raise the first :class:`DefinitionError` the definition breaks (docs/engine.md order)."""
    if defn.end < defn.start:
        raise _end_before_start(defn)
    if defn.target == defn.baseline:
        raise _target_equals_baseline(defn)
    if defn.direction == Direction.increase and not defn.target > defn.baseline:
        raise DefinitionError(
            "direction_mismatch",
            f"An increasing KPI needs a target above the baseline ({defn.baseline}).",
            field="target",
            direction=str(defn.direction),
            target=str(defn.target),
            baseline=str(defn.baseline),
        )
    if defn.direction == Direction.decrease and not defn.target < defn.baseline:
        raise DefinitionError(
            "direction_mismatch",
            f"A decreasing KPI needs a target below the baseline ({defn.baseline}).",
            field="target",
            direction=str(defn.direction),
            target=str(defn.target),
            baseline=str(defn.baseline),
        )
    _check_milestones(defn)
    _check_interval(defn)


# ---------------------------------------------------------------------------------------
# Evaluation

_Num = Decimal | int
_last_key = operator.attrgetter("date", "seq")
_milestone_key = operator.attrgetter("date")


def _fdiv(num: _Num, den: _Num) -> float:
    """``num / den`` rounded once, exactly as ``float(Fraction(num, den))``."""
    nn, nd = num.as_integer_ratio()
    dn, dd = den.as_integer_ratio()
    return (nn * dd) / (nd * dn) + 0.0  # + 0.0: never -0.0 (0 over a negative span)


@lru_cache(maxsize=1024)
def _interval_starts(start: date, end: date, kind: str) -> list[date]:
    return [first for first, _ in interval_table(start, end, kind)]


def _plan(defn: KpiDefinition, origin: int, days: int, x: int) -> tuple[Decimal, int]:
    """Plan at ``x`` elapsed days as ``(numerator, denominator > 0)``."""
    baseline = defn.baseline
    if x <= 0:
        return baseline, 1
    points: list[tuple[int, Decimal]] = []
    milestones = defn.milestones
    if milestones:
        ordered = sorted(milestones, key=_milestone_key) if len(milestones) > 1 else milestones
        for m in ordered:
            points.append((min(max(m.date.toordinal() - origin, 0), days), m.value))
    points.append((days, defn.target))
    prev_x, prev_y = 0, baseline
    for px, py in points:
        if px >= x:
            if px == x:
                return py, 1
            span = px - prev_x  # > 0: prev_x < x < px
            return prev_y * span + (py - prev_y) * (x - prev_x), span
        prev_x, prev_y = px, py
    return defn.target, 1  # unreachable: the last point is (days, target) and x <= days


def _least_squares_at(
    xs: list[int], ys: list[Decimal], baseline: Decimal, at: int
) -> tuple[Decimal, int]:
    """OLS line through (0, baseline) and (xs, ys), evaluated at ``at``, as num/den."""
    if not xs:
        return baseline, 1  # a single point: the line is flat at the baseline
    n = len(xs) + 1
    sx = sum(xs)
    sxx = sum(map(operator.mul, xs, xs))
    sy = sum(ys, baseline)
    sxy = sum(map(operator.mul, ys, xs), _ZERO)
    den_beta = n * sxx - sx * sx  # > 0 as soon as there is one x >= 1 besides x = 0
    num_beta = n * sxy - sx * sy
    return sy * den_beta + num_beta * (n * at - sx), n * den_beta


def _interval_results(
    defn: KpiDefinition, counted: list[CheckIn], as_of: date
) -> tuple[IntervalResult, ...]:
    kind = str(defn.interval)
    value = defn.interval_target
    if value is None:
        raise DefinitionError(
            "interval_target_missing",
            f"A recurring target needs a target per {kind}.",
            field="interval_target",
            interval=kind,
        )
    table = interval_table(defn.start, defn.end, kind)
    starts = _interval_starts(defn.start, defn.end, kind)
    sums = [_ZERO] * len(table)
    for c in counted:
        k = bisect_right(starts, c.date) - 1
        sums[k] += c.value
    return tuple(
        IntervalResult(first, last, total, value, (total >= value) if last <= as_of else None)
        for (first, last), total in zip(table, sums, strict=True)
    )


def _status(
    defn: KpiDefinition,
    as_of: date,
    counted: int,
    progress: tuple[Decimal, Decimal] | None,
    pace: tuple[Decimal, Decimal] | None,
    results: tuple[IntervalResult, ...],
    thresholds: Thresholds,
) -> Status:
    if as_of < defn.start:
        return Status.not_started
    if as_of > defn.end:
        reached = progress is not None and progress[0] >= progress[1]
        if reached and defn.interval is not None:
            reached = all(r.met is True for r in results)
        return Status.achieved if reached else Status.missed
    if counted == 0 or progress is None:
        return Status.no_data
    pn, pd = progress
    if pn >= pd and defn.measure in (Measure.sum, Measure.checklist):
        return Status.achieved
    if pace is not None:
        qn, qd = pace
    elif pn >= 0:
        qn, qd = Decimal(1), Decimal(1)
    else:
        return Status.off_track
    if qn >= thresholds.on_track * qd:
        return Status.on_track
    if qn >= thresholds.at_risk * qd:
        return Status.at_risk
    return Status.off_track


def _positive_den(num: Decimal, den: Decimal) -> tuple[Decimal, Decimal]:
    return (-num, -den) if den < 0 else (num, den)


def _actual_and_forecast(
    measure: Measure,
    counted: list[CheckIn],
    baseline: Decimal,
    origin: int,
    days: int,
    elapsed: int,
) -> tuple[Decimal | None, Decimal | None, int, Decimal | None, _Num]:
    """What ``measure`` makes of the counted check-ins, as ``(actual, a_num, a_den, f_num,
    f_den)``: the actual, the actual again as ``a_num / a_den`` (den > 0), and the forecast
    for the period's end as ``f_num / f_den``. An average without check-ins has neither;
    nothing has a forecast before the period starts. Call it in the exact context."""
    n = len(counted)
    actual: Decimal | None
    a_num: Decimal | None
    a_den = 1
    f_num: Decimal | None = None
    f_den: _Num = 1
    if measure == Measure.last:
        actual = max(counted, key=_last_key).value if n else baseline
        a_num = actual
        if elapsed:
            xs = [c.date.toordinal() - origin for c in counted]
            f_num, f_den = _least_squares_at(xs, [c.value for c in counted], baseline, days)
    elif measure == Measure.average:
        if n:
            total = sum([c.value for c in counted], _ZERO)
            actual = _MEAN.divide(total, Decimal(n))
            a_num, a_den = total, n
            f_num, f_den = total, n
        else:
            actual = a_num = None
    else:
        if measure == Measure.checklist:
            actual = baseline + n
        else:
            actual = sum([c.value for c in counted], baseline)
        a_num = actual
        if elapsed:
            f_num, f_den = baseline * elapsed + (actual - baseline) * days, elapsed
    return actual, a_num, a_den, f_num, f_den


def _progress_and_pace(
    a_num: Decimal | None,
    a_den: int,
    baseline: Decimal,
    span: Decimal,
    e_num: Decimal,
    e_den: Decimal,
) -> tuple[tuple[Decimal, Decimal] | None, tuple[Decimal, Decimal] | None]:
    """The progress (the actual's share of the way from baseline to target) and the pace
    (the progress over the expected progress ``e_num / e_den``), each as num / den with
    den > 0; no progress without an actual, no pace while no progress is expected."""
    if a_num is None:
        return None, None
    progress = _positive_den(a_num - baseline * a_den, span * a_den)
    if e_num > 0:
        return progress, (progress[0] * e_den, progress[1] * e_num)
    return progress, None


def evaluate(
    defn: KpiDefinition,
    checkins: Iterable[CheckIn],
    as_of: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Evaluation:
    """Evaluate ``defn`` with its check-ins at the end of day ``as_of`` (docs/engine.md).

    After the period everything is computed as of its end (the verdict), while
    ``Evaluation.as_of`` reports the date asked for.
    """
    start, end = defn.start, defn.end
    baseline, target = defn.baseline, defn.target
    if end < start:
        raise _end_before_start(defn)
    if target == baseline:
        raise _target_equals_baseline(defn)
    t = end if as_of > end else as_of
    origin = start.toordinal() - 1  # elapsed(d) = d.toordinal() - origin, clamped
    days = end.toordinal() - origin
    elapsed = max(t.toordinal() - origin, 0)

    with localcontext(_EXACT):
        counted = [c for c in checkins if start <= c.date <= t] if elapsed else []
        # The actual as num / den (den > 0) and the forecast as num / den.
        actual, a_num, a_den, f_num, f_den = _actual_and_forecast(
            defn.measure, counted, baseline, origin, days, elapsed
        )

        span = target - baseline
        plan_num, plan_den = _plan(defn, origin, days, elapsed)
        e_num, e_den = _positive_den(plan_num - baseline * plan_den, span * plan_den)
        progress, pace = _progress_and_pace(a_num, a_den, baseline, span, e_num, e_den)
        results: tuple[IntervalResult, ...] = ()
        if defn.interval is not None:
            results = _interval_results(defn, counted, as_of)
        status = _status(defn, as_of, len(counted), progress, pace, results, thresholds)

        return Evaluation(
            as_of=as_of,
            actual=actual,
            plan=_fdiv(plan_num, plan_den),
            target=target,
            baseline=baseline,
            progress=None if progress is None else _fdiv(*progress),
            expected_progress=_fdiv(e_num, e_den),
            pace=None if pace is None else _fdiv(*pace),
            forecast=None if f_num is None else _fdiv(f_num, f_den),
            forecast_progress=(
                None if f_num is None else _fdiv(f_num - baseline * f_den, span * f_den)
            ),
            status=status,
            intervals=results,
        )
