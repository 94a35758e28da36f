"""The KPI data model: choices, the definition, check-ins and the evaluation result.

Plain frozen dataclasses; the rules that use them live in :mod:`fokus.core.kpi`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from .errors import DefinitionError

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
    "to_decimal",
]


class Direction(StrEnum):
    increase = "increase"
    decrease = "decrease"


class Measure(StrEnum):
    sum = "sum"
    last = "last"
    average = "average"
    checklist = "checklist"


class IntervalKind(StrEnum):
    week = "week"
    month = "month"
    quarter = "quarter"


class Status(StrEnum):
    not_started = "not_started"
    no_data = "no_data"
    on_track = "on_track"
    at_risk = "at_risk"
    off_track = "off_track"
    achieved = "achieved"
    missed = "missed"


_E = TypeVar("_E", bound=StrEnum)


def to_decimal(value: object, field: str) -> Decimal:
    """Coerce an input number to a finite Decimal (floats through their shortest repr)."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int) and not isinstance(value, bool):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            result = Decimal("NaN")
    else:
        result = Decimal("NaN")
    if not result.is_finite():
        raise DefinitionError(
            "number_invalid", f"{field} must be a finite number.", field=field, value=str(value)
        )
    return result


def _to_enum(kind: type[_E], value: object, code: str, field: str) -> _E:
    if isinstance(value, kind):
        return value
    try:
        if isinstance(value, str):
            return kind(value)
    except ValueError:
        pass
    choices = ", ".join(member.value for member in kind)
    raise DefinitionError(
        code,
        f"Unknown {field} {value!r}; use one of: {choices}.",
        field=field,
        value=str(value),
    )


@dataclass(frozen=True, slots=True)
class Milestone:
    date: date
    value: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", to_decimal(self.value, "milestones"))


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One recorded value. ``seq`` is the recording order (higher = recorded later); it
    only breaks ties between check-ins of a ``last`` KPI on the same date."""

    date: date
    value: Decimal
    seq: int = 0


@dataclass(frozen=True, slots=True)
class KpiDefinition:
    start: date
    end: date
    baseline: Decimal
    target: Decimal
    direction: Direction = Direction.increase
    measure: Measure = Measure.sum
    milestones: tuple[Milestone, ...] = ()
    interval: IntervalKind | None = None
    interval_target: Decimal | None = None

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "baseline", to_decimal(self.baseline, "baseline"))
        put(self, "target", to_decimal(self.target, "target"))
        put(
            self, "direction", _to_enum(Direction, self.direction, "unknown_direction", "direction")
        )
        put(self, "measure", _to_enum(Measure, self.measure, "unknown_measure", "measure"))
        if self.interval is not None:
            interval = _to_enum(IntervalKind, self.interval, "unknown_interval", "interval")
            put(self, "interval", interval)
        if self.interval_target is not None:
            put(self, "interval_target", to_decimal(self.interval_target, "interval_target"))
        put(self, "milestones", tuple(self.milestones))


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Pace ratios: ``pace >= on_track`` is on track, ``pace >= at_risk`` is at risk."""

    on_track: Decimal = Decimal("0.95")
    at_risk: Decimal = Decimal("0.80")

    def __post_init__(self) -> None:
        object.__setattr__(self, "on_track", to_decimal(self.on_track, "on_track"))
        object.__setattr__(self, "at_risk", to_decimal(self.at_risk, "at_risk"))


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True, slots=True)
class IntervalResult:
    start: date
    end: date
    actual: Decimal
    target: Decimal
    met: bool | None


def _float_or_none(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True, slots=True)
class Evaluation:
    as_of: date
    actual: Decimal | None
    plan: float
    target: Decimal
    baseline: Decimal
    progress: float | None
    expected_progress: float
    pace: float | None
    forecast: float | None
    forecast_progress: float | None
    status: Status
    intervals: tuple[IntervalResult, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready values: Decimals as floats, dates as ISO strings."""
        return {
            "as_of": self.as_of.isoformat(),
            "actual": _float_or_none(self.actual),
            "plan": self.plan,
            "target": float(self.target),
            "baseline": float(self.baseline),
            "progress": self.progress,
            "expected_progress": self.expected_progress,
            "pace": self.pace,
            "forecast": self.forecast,
            "forecast_progress": self.forecast_progress,
            "status": str(self.status),
            "intervals": [
                {
                    "start": r.start.isoformat(),
                    "end": r.end.isoformat(),
                    "actual": float(r.actual),
                    "target": float(r.target),
                    "met": r.met,
                }
                for r in self.intervals
            ],
        }
