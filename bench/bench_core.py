"""Benchmark of the pure KPI engine: 10,000 KPIs x 100 check-ins must evaluate in <= 1 s.

Run: ``python bench/bench_core.py`` (with ``src`` importable). Exits non-zero when the
best of three runs is over the budget.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from fokus.core import (
    CheckIn,
    Direction,
    IntervalKind,
    KpiDefinition,
    Measure,
    Milestone,
    check_definition,
    evaluate,
    recurring_target,
)

N_KPIS = 10_000
N_CHECKINS = 100
BUDGET_SECONDS = 1.0
RUNS = 3

YEAR_START, YEAR_END = date(2027, 1, 1), date(2027, 12, 31)
AS_OF = date(2027, 9, 15)


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)).scaleb(-2)


def _definition(i: int, rng: random.Random) -> KpiDefinition:
    kind = i % 10
    if kind in (0, 1, 2):  # plain yearly sum, e.g. revenue
        return KpiDefinition(YEAR_START, YEAR_END, Decimal(0), Decimal(1_000_000))
    if kind == 3:  # sum with milestones bending the plan
        milestones = (
            Milestone(date(2027, 3, 31), Decimal(100_000)),
            Milestone(date(2027, 6, 30), Decimal(400_000)),
            Milestone(date(2027, 9, 30), Decimal(700_000)),
        )
        return KpiDefinition(
            YEAR_START, YEAR_END, Decimal(0), Decimal(1_000_000), milestones=milestones
        )
    if kind == 4:  # recurring weekly / monthly / quarterly sum
        interval = (IntervalKind.week, IntervalKind.month, IntervalKind.quarter)[i % 3]
        per = Decimal(2_000)
        return KpiDefinition(
            YEAR_START,
            YEAR_END,
            Decimal(0),
            recurring_target(YEAR_START, YEAR_END, interval, per),
            interval=interval,
            interval_target=per,
        )
    if kind in (5, 6):  # last value, e.g. a rank that should go down
        return KpiDefinition(
            YEAR_START,
            YEAR_END,
            Decimal(20),
            Decimal(3),
            direction=Direction.decrease,
            measure=Measure.last,
        )
    if kind == 7:  # average, e.g. customer satisfaction
        return KpiDefinition(
            YEAR_START, YEAR_END, Decimal("7.5"), Decimal("9.0"), measure=Measure.average
        )
    if kind == 8:  # checklist of 150 items
        return KpiDefinition(
            YEAR_START, YEAR_END, Decimal(0), Decimal(150), measure=Measure.checklist
        )
    return KpiDefinition(  # decreasing sum, e.g. hours lost
        YEAR_START, YEAR_END, Decimal(5_000), Decimal(0), direction=Direction.decrease
    )


def _checkins(defn: KpiDefinition, rng: random.Random) -> list[CheckIn]:
    days = (defn.end - defn.start).days + 1
    out = []
    for seq in range(N_CHECKINS):
        when = defn.start + timedelta(days=rng.randrange(days))
        if defn.measure == Measure.last:
            value = Decimal(rng.randint(1, 25))
        elif defn.measure == Measure.average:
            value = Decimal(rng.randint(50, 100)).scaleb(-1)
        elif defn.measure == Measure.checklist:
            value = Decimal(1)
        else:
            value = _money(rng, 0, 20_000)
        out.append(CheckIn(when, value, seq))
    rng.shuffle(out)
    return out


def build(seed: int = 2027) -> list[tuple[KpiDefinition, list[CheckIn]]]:
    rng = random.Random(seed)
    workload = []
    for i in range(N_KPIS):
        defn = _definition(i, rng)
        check_definition(defn)
        workload.append((defn, _checkins(defn, rng)))
    return workload


def main() -> int:
    workload = build()
    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        for defn, checkins in workload:
            evaluate(defn, checkins, AS_OF)
        timings.append(time.perf_counter() - began)
    best = min(timings)
    print(
        f"core: {N_KPIS} KPIs x {N_CHECKINS} check-ins evaluated in {best:.2f} s "
        f"(best of {RUNS}; budget {BUDGET_SECONDS:.0f} s)"
    )
    return 0 if best <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
