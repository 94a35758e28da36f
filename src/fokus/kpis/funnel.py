"""The funnel plan as the CLI, the API and the web show it (maths in ``fokus.core.funnel``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from fokus.core.errors import FunnelError
from fokus.core.funnel import place_stages, reverse_plan
from fokus.core.periods import parse_period


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


def funnel_plan(
    *,
    goal: int,
    rates: Sequence[str],
    stages: Sequence[str] | None,
    period: str,
    placement: str = "sequential",
) -> dict[str, Any]:
    required = reverse_plan(goal, rates)
    names = list(stages) if stages else default_stage_names(len(required))
    if len(names) != len(required):
        raise FunnelError(
            "funnel_stage_count",
            f"Give {len(required)} stage names for {len(rates)} conversion rates.",
            field="stages",
        )
    periods = place_stages(parse_period(period), len(required), placement)
    return {
        "goal": goal,
        "placement": placement,
        "period": {"start": periods[0].start.isoformat(), "end": periods[-1].end.isoformat()},
        "stages": [
            {
                "name": name,
                "required": count,
                "rate_to_next": float(rates[i]) if i < len(rates) else None,
                "start": sub.start.isoformat(),
                "end": sub.end.isoformat(),
            }
            for i, (name, count, sub) in enumerate(zip(names, required, periods, strict=True))
        ],
    }
