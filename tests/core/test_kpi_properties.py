"""Properties of the KPI engine (hypothesis), including a slow reference implementation
written straight from docs/engine.md with fractions.Fraction."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fokus.core import (
    DEFAULT_THRESHOLDS,
    CheckIn,
    Direction,
    IntervalKind,
    KpiDefinition,
    Measure,
    Milestone,
    Status,
    evaluate,
)

PROPERTY = settings(database=None, deadline=None)

starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
amounts = st.decimals(
    min_value=-(10**6), max_value=10**6, places=2, allow_nan=False, allow_infinity=False
)
steps = st.decimals(min_value="0.01", max_value=10**4, places=2)


@st.composite
def kpis(draw, *, measures=tuple(Measure), monotone=False, max_days=400):
    """An increasing KPI with valid milestones (monotone between baseline and target when
    asked)."""
    start = draw(starts)
    days = draw(st.integers(1, max_days))
    end = start + timedelta(days=days - 1)
    baseline = draw(amounts)
    target = baseline + draw(steps)
    offsets = draw(st.lists(st.integers(0, days - 2), unique=True, max_size=4)) if days > 1 else []
    offsets.sort()
    if monotone:
        fractions = sorted(
            draw(st.lists(st.integers(0, 100), min_size=len(offsets), max_size=len(offsets)))
        )
        values = [baseline + (target - baseline) * f / 100 for f in fractions]
    else:
        values = [draw(amounts) for _ in offsets]
    milestones = tuple(
        Milestone(start + timedelta(days=o), v) for o, v in zip(offsets, values, strict=True)
    )
    measure = draw(st.sampled_from(measures))
    return KpiDefinition(start, end, baseline, target, measure=measure, milestones=milestones)


@st.composite
def checkins_for(draw, defn, max_size=12):
    days = (defn.end - defn.start).days
    offsets = st.integers(-3, days + 3)
    values = st.just(Decimal(1)) if defn.measure == Measure.checklist else amounts
    drawn = draw(st.lists(st.tuples(offsets, values), max_size=max_size))
    return [CheckIn(defn.start + timedelta(days=o), v, seq) for seq, (o, v) in enumerate(drawn)]


def as_of_for(defn):
    days = (defn.end - defn.start).days
    return st.integers(-3, days + 3).map(lambda o: defn.start + timedelta(days=o))


# --- a reference implementation, deliberately naive --------------------------------------


def reference(defn, checkins, as_of, thresholds=DEFAULT_THRESHOLDS):
    d_days = (defn.end - defn.start).days + 1
    t = min(as_of, defn.end)

    def elapsed(day):
        return min(max((day - defn.start).days + 1, 0), d_days)

    b, target = Fraction(defn.baseline), Fraction(defn.target)
    counted = [c for c in checkins if defn.start <= c.date <= t]
    values = [Fraction(c.value) for c in counted]
    if defn.measure == Measure.sum:
        actual = b + sum(values)
    elif defn.measure == Measure.checklist:
        actual = b + len(counted)
    elif defn.measure == Measure.average:
        actual = sum(values) / len(values) if values else None
    else:
        latest = max(counted, key=lambda c: (c.date, c.seq), default=None)
        actual = b if latest is None else Fraction(latest.value)
    points = [(0, b)]
    points += [
        (elapsed(m.date), Fraction(m.value)) for m in sorted(defn.milestones, key=lambda m: m.date)
    ]
    points.append((d_days, target))
    x = elapsed(t)
    plan = next(
        y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        for (x0, y0), (x1, y1) in itertools.pairwise(points)
        if x0 <= x <= x1
    )
    progress = None if actual is None else (actual - b) / (target - b)
    expected = (plan - b) / (target - b)
    pace = progress / expected if progress is not None and expected > 0 else None
    forecast = None
    if x >= 1:
        if defn.measure in (Measure.sum, Measure.checklist):
            forecast = b + (actual - b) * d_days / x
        elif defn.measure == Measure.average:
            forecast = actual
        else:
            pts = [(0, b)] + [(elapsed(c.date), Fraction(c.value)) for c in counted]
            mx = Fraction(sum(p[0] for p in pts), len(pts))  # int / int would be a float
            my = sum(p[1] for p in pts) / len(pts)
            sxx = sum((p[0] - mx) ** 2 for p in pts)
            beta = sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx if sxx else 0
            forecast = my + beta * (d_days - mx)
    if as_of < defn.start:
        status = Status.not_started
    elif as_of > defn.end:
        status = Status.achieved if progress is not None and progress >= 1 else Status.missed
    elif not counted:
        status = Status.no_data
    elif progress >= 1 and defn.measure in (Measure.sum, Measure.checklist):
        status = Status.achieved
    else:
        effective = pace if pace is not None else (1 if progress >= 0 else None)
        if effective is None or effective < Fraction(thresholds.at_risk):
            status = Status.off_track
        elif effective < Fraction(thresholds.on_track):
            status = Status.at_risk
        else:
            status = Status.on_track
    return {
        "plan": plan,
        "progress": progress,
        "expected_progress": expected,
        "pace": pace,
        "forecast": forecast,
        "forecast_progress": None if forecast is None else (forecast - b) / (target - b),
        "status": status,
    }


def close(got, want):
    if want is None:
        return got is None
    return math.isclose(got, float(want), rel_tol=1e-12, abs_tol=0) or got == float(want)


@PROPERTY
@given(data=st.data())
def test_the_engine_agrees_with_a_naive_fraction_reference(data):
    defn = data.draw(kpis())
    if data.draw(st.booleans()):
        defn = replace(
            defn, baseline=-defn.baseline, target=-defn.target, direction=Direction.decrease
        )
    checkins = data.draw(checkins_for(defn))
    as_of = data.draw(as_of_for(defn))
    got = evaluate(defn, checkins, as_of)
    want = reference(defn, checkins, as_of)
    assert got.status == want["status"]
    for name in ("plan", "progress", "expected_progress", "pace", "forecast", "forecast_progress"):
        assert close(getattr(got, name), want[name]), name


# --- the plan ------------------------------------------------------------------------------


@PROPERTY
@given(defn=kpis(monotone=True, max_days=120))
def test_the_plan_is_monotone_between_monotone_milestones(defn):
    plans = [
        evaluate(defn, [], defn.start + timedelta(days=i)).plan
        for i in range(-1, (defn.end - defn.start).days + 2)
    ]
    assert plans == sorted(plans)
    assert plans[0] == float(defn.baseline)
    assert plans[-1] == float(defn.target)


@PROPERTY
@given(defn=kpis(max_days=120))
def test_the_plan_passes_through_every_milestone(defn):
    for milestone in defn.milestones:
        assert evaluate(defn, [], milestone.date).plan == float(milestone.value)


# --- on plan means pace 1 -------------------------------------------------------------------


@PROPERTY
@given(
    start=starts,
    days=st.integers(1, 400),
    baseline=amounts,
    per_day=steps,
    data=st.data(),
)
def test_a_sum_kpi_exactly_on_its_straight_plan_has_pace_one(start, days, baseline, per_day, data):
    target = baseline + per_day * days  # plan(x) = baseline + per_day * x, exact
    defn = KpiDefinition(start, start + timedelta(days=days - 1), baseline, target)
    x = data.draw(st.integers(1, days))
    as_of = start + timedelta(days=x - 1)
    result = evaluate(defn, [CheckIn(start, per_day * x)], as_of)
    assert result.pace == 1.0
    assert result.progress == result.expected_progress
    assert result.status is (Status.achieved if x == days else Status.on_track)


@PROPERTY
@given(defn=kpis(measures=(Measure.last,), monotone=True), data=st.data())
def test_a_last_kpi_exactly_on_a_milestone_has_pace_one(defn, data):
    reachable = [m for m in defn.milestones if m.value > defn.baseline]
    assume(reachable)
    milestone = data.draw(st.sampled_from(reachable))
    result = evaluate(defn, [CheckIn(milestone.date, milestone.value)], milestone.date)
    assert result.pace == 1.0
    assert result.status is Status.on_track


# --- decrease mirrors increase ----------------------------------------------------------------


def mirrored(defn, checkins):
    mirror = replace(
        defn,
        baseline=-defn.baseline,
        target=-defn.target,
        direction=Direction.decrease,
        milestones=tuple(Milestone(m.date, -m.value) for m in defn.milestones),
    )
    return mirror, [CheckIn(c.date, -c.value, c.seq) for c in checkins]


@PROPERTY
@given(data=st.data())
def test_decrease_mirrors_increase(data):
    defn = data.draw(kpis(measures=(Measure.sum, Measure.last, Measure.average)))
    checkins = data.draw(checkins_for(defn))
    as_of = data.draw(as_of_for(defn))
    up = evaluate(defn, checkins, as_of)
    down = evaluate(*mirrored(defn, checkins), as_of)
    assert down.status == up.status
    assert down.progress == up.progress
    assert down.expected_progress == up.expected_progress
    assert down.pace == up.pace
    assert down.forecast_progress == up.forecast_progress
    assert down.plan == -up.plan
    assert down.actual == (None if up.actual is None else -up.actual)


# --- order does not matter -------------------------------------------------------------------


@PROPERTY
@given(data=st.data())
def test_results_do_not_depend_on_the_order_of_check_ins(data):
    defn = data.draw(kpis())
    if defn.measure == Measure.sum and data.draw(st.booleans()):
        kind = data.draw(st.sampled_from(list(IntervalKind)))
        defn = replace(defn, interval=kind, interval_target=Decimal(5))
    checkins = data.draw(checkins_for(defn))
    shuffled = data.draw(st.permutations(checkins))
    as_of = data.draw(as_of_for(defn))
    assert evaluate(defn, shuffled, as_of) == evaluate(defn, checkins, as_of)


@PROPERTY
@given(data=st.data())
def test_after_the_end_everything_but_the_status_is_as_of_the_end(data):
    defn = data.draw(kpis())
    checkins = data.draw(checkins_for(defn))
    later = defn.end + timedelta(days=data.draw(st.integers(1, 400)))
    at_end = evaluate(defn, checkins, defn.end)
    after = evaluate(defn, checkins, later)
    assert after.as_of == later
    assert replace(after, as_of=defn.end, status=at_end.status) == at_end
    assert after.status in (Status.achieved, Status.missed)
