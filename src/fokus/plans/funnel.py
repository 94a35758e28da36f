"""The funnel plan as the CLI, the API and the web show it (maths in ``fokus.core.funnel``).

``funnel_draft`` checks a funnel request and computes its stages (its JSON is
``fokus.plans.shapes.funnel_to_dict``). Storing a plan and creating its
stage KPIs is ``fokus.plans.services``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from fokus.core.errors import FunnelError
from fokus.core.funnel import Placement, RateInput, parse_rate, place_stages, reverse_plan
from fokus.core.periods import Period, parse_period
from fokus.plans.errors import PlanError
from fokus.plans.models import RATE_PLACES
from fokus.values import check_text, kept_decimal

# The article's funnel: hear → visit/subscribe/contact 10 %, → quote 5 %, → buy 25 %.
ARTICLE_RATES = (Fraction(1, 10), Fraction(1, 20), Fraction(1, 4))
DEFAULT_RATE = Fraction(1, 10)
MAX_STAGES = 10
MAX_GOAL = 10**9
MAX_TOP = 10**12
NAME_LENGTH = 200


def default_stage_names(count: int) -> list[str]:
    """The article's four stages, or numbered stages for other funnels."""
    if count == 4:
        return [
            _("Hear about the firm"),
            _("Visit the website, subscribe to the newsletter or make contact"),
            _("Ask for a quote"),
            _("Buy"),
        ]
    return [_("Stage %(n)s") % {"n": n} for n in range(1, count + 1)]


def default_rates(count: int) -> list[Fraction]:
    """Rates of a funnel of ``count`` stages before any history: the article's for four
    stages, else 10 % each."""
    if count == 4:
        return list(ARTICLE_RATES)
    return [DEFAULT_RATE] * max(0, count - 1)


def rate_number(rate: Fraction | None) -> float | None:
    """A rate as a JSON number (``0.1``, not ``0.1000000000000000055``)."""
    return None if rate is None else float(rate)


@dataclass(frozen=True)
class StageDraft:
    name: str
    required: int
    rate_to_next: Fraction | None
    start: dt.date
    end: dt.date

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)


@dataclass(frozen=True)
class FunnelDraft:
    goal: int
    placement: str
    period: Period
    stages: list[StageDraft]

    @property
    def rates(self) -> list[Fraction]:
        return [s.rate_to_next for s in self.stages if s.rate_to_next is not None]


def _rates(rates: Sequence[RateInput]) -> list[Fraction]:
    if isinstance(rates, str | bytes):
        rates = [rates]  # type: ignore[list-item]
    parsed = []
    for i, rate in enumerate(rates):
        if isinstance(rate, str):
            check_text(rate, field="rates")
        exact = parse_rate(rate, i)
        # As the rate column keeps it (20 decimals, 15 significant digits), so that a
        # stored funnel gives the plan it was made with.
        kept = kept_decimal(Decimal(exact.numerator) / Decimal(exact.denominator), RATE_PLACES)
        if kept != exact:
            exact = parse_rate(kept, i)  # a rate rounded to nothing is refused
        parsed.append(exact)
    return parsed


def _names(stages: Sequence[str] | None, count: int) -> list[str]:
    if not stages:
        return default_stage_names(count)
    names = []
    for name in stages:
        text = check_text(name, field="stages").strip()
        if not text:
            raise PlanError("stage_name_required", field="stages")
        if len(text) > NAME_LENGTH:
            raise PlanError("stage_name_too_long", field="stages")
        names.append(text)
    if len(names) != count:
        raise FunnelError(
            "funnel_stage_count",
            f"Give {count} stage names for {count - 1} conversion rates.",
            field="stages",
            expected=count,
            got=len(names),
        )
    return names


def funnel_draft(
    *,
    goal: int,
    rates: Sequence[RateInput],
    stages: Sequence[str] | None,
    period: Period | str,
    placement: str = Placement.sequential,
) -> FunnelDraft:
    """Check a funnel request and plan it backwards: the required number per stage, and
    where each stage lies in time."""
    reverse_plan(goal, [])  # the goal's error comes first, as in ``check_funnel``
    exact = _rates(rates)
    if len(exact) + 1 > MAX_STAGES:
        raise PlanError("funnel_too_many_stages", field="rates", limit=MAX_STAGES)
    required = reverse_plan(goal, exact)
    if goal > MAX_GOAL:
        raise PlanError("funnel_goal_too_large", field="goal", limit=f"{MAX_GOAL:,}")
    if required[0] > MAX_TOP:
        raise PlanError("funnel_too_large", field="rates", count=required[0], limit=MAX_TOP)
    names = _names(stages, len(required))
    if isinstance(period, str):
        period = parse_period(check_text(period, field="period"))
    parts = place_stages(period, len(required), placement)
    return FunnelDraft(
        goal=goal,
        placement=str(placement),
        period=period,
        stages=[
            StageDraft(
                name=name,
                required=count,
                rate_to_next=exact[i] if i < len(exact) else None,
                start=part.start,
                end=part.end,
            )
            for i, (name, count, part) in enumerate(zip(names, required, parts, strict=True))
        ],
    )
