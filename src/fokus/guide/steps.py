"""The guide's steps in the article's order, and where an owner stands in them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fokus.guide.models import StepState, YearPlan


@dataclass(frozen=True)
class Step:
    slug: str
    title: Promise
    question: Promise  # what the step asks, as the article asks it
    why: Promise  # the article's reason for the step


STEPS = (
    Step(
        "goal",
        _("Sales goal"),
        _("How many new customers do you want this year, and what does one buy a year?"),
        _(
            "A goal is a concrete number and a period. Ten new customers who each buy for "
            "100,000 kr. a year is a sales goal of 1,000,000 kr."
        ),
    ),
    Step(
        "levers",
        _("Levers"),
        _("How much more can your existing customers buy, and for how much longer?"),
        _(
            "New customers are one lever. Selling more to the customers you have and keeping "
            "them longer are the two others, and often the cheaper ones."
        ),
    ),
    Step(
        "funnel",
        _("Sales funnel"),
        _("How many must hear about you for the buyers you want?"),
        _(
            "Plan backwards from the buyers: how many must ask for a quote, visit the website "
            "or make contact, and hear about the firm, quarter by quarter."
        ),
    ),
    Step(
        "marketing",
        _("Marketing KPIs"),
        _("Which numbers show early that the funnel fills?"),
        _(
            "Leading KPIs such as new newsletter readers, a place in Google's top 3 or people "
            "met on LinkedIn tell you months before the sales do."
        ),
    ),
    Step(
        "care",
        _("Customer care"),
        _("How do you keep the customers you win?"),
        _(
            "Hear from every customer at least every three months, hold a free advisory "
            "meeting once a year, and watch the measurement points at the customer."
        ),
    ),
    Step(
        "checkins",
        _("Check-ins"),
        _("How often will you record where each KPI stands?"),
        _(
            "A KPI only works when its number is kept up to date. Choose weekly or monthly "
            "and Fokus reminds you when a check-in is due."
        ),
    ),
)
STEP = {step.slug: step for step in STEPS}


@dataclass(frozen=True)
class StepProgress:
    step: Step
    number: int
    state: str  # "done", "skipped" or "todo"
    current: bool


def progress(plan: YearPlan | None, current: str | None = None) -> list[StepProgress]:
    """Every step with its state; ``current`` is the step being shown, else the first step
    still to do."""
    states = plan.steps if plan is not None else {}
    if current is None:
        current = next((s.slug for s in STEPS if s.slug not in states), None)
    return [
        StepProgress(
            step=step,
            number=i,
            state=states.get(step.slug, "todo"),
            current=step.slug == current,
        )
        for i, step in enumerate(STEPS, start=1)
    ]


def next_step(slug: str) -> Step | None:
    index = [s.slug for s in STEPS].index(slug)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def previous_step(slug: str) -> Step | None:
    index = [s.slug for s in STEPS].index(slug)
    return STEPS[index - 1] if index > 0 else None


def finished(plan: YearPlan | None) -> bool:
    return plan is not None and all(
        plan.steps.get(s.slug) in (StepState.DONE, StepState.SKIPPED) for s in STEPS
    )
