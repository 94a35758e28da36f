"""Typed errors for KPIs and check-ins, and their messages in the user's language.

The pure core raises ``CoreError`` with a stable code; services raise ``KpiError``.
Both are turned into one translated sentence by ``error_message`` at the edges.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fokus.core.errors import CoreError
from fokus.errors import ProductError

MESSAGES = {
    # Definition checks of the pure core.
    "period_invalid": _(
        "“%(text)s” is not a period: use e.g. 2027, 2027-K2, 2027-05 or START..END."
    ),
    "end_before_start": _("The period must end on or after its start."),
    "target_equals_baseline": _("The target must differ from the starting value."),
    "direction_mismatch": _(
        "A KPI that should increase needs a target above its starting value, "
        "and one that should decrease a target below it."
    ),
    "milestone_outside_period": _(
        "Every sub-goal must lie in the period, before its last day (%(date)s does not)."
    ),
    "milestone_duplicate_date": _("There can be only one sub-goal per date (%(date)s)."),
    "recurring_needs_sum": _("A target that recurs every interval needs the measure “sum”."),
    "recurring_target_mismatch": _(
        "With %(interval_target)s per interval the target must be %(expected)s."
    ),
    "interval_target_missing": _("Give the target per interval."),
    "interval_target_not_positive": _("The target per interval must be above zero."),
    "unknown_direction": _("The direction must be increase or decrease."),
    "unknown_measure": _("The measure must be sum, last, average or checklist."),
    "unknown_interval": _("The interval must be week, month or quarter."),
    "funnel_goal_invalid": _("The goal must be a whole number above zero."),
    "funnel_rate_invalid": _("Every conversion rate must be above 0 and at most 1."),
    "funnel_stage_count": _("Give one stage name more than there are conversion rates."),
    "funnel_placement_invalid": _("Placement must be sequential or parallel."),
    # Services.
    "name_required": _("The KPI needs a name."),
    "target_required": _("The KPI needs a concrete target number."),
    "interval_target_needs_interval": _(
        "A target per interval needs an interval: week, month or quarter."
    ),
    "period_required": _(
        "The KPI needs a period: a period such as 2027 or 2027-K2, or both a start and an end date."
    ),
    "not_a_number": _("“%(text)s” is not a number."),
    "too_many_decimals": _("“%(text)s” has more than %(places)s decimals."),
    "too_large": _("“%(text)s” is too large."),
    "not_a_date": _("“%(text)s” is not a date: use YYYY-MM-DD."),
    "nul_byte": _("The text contains a NUL character, which cannot be stored."),
    "unknown_kpi": _("There is no KPI “%(ref)s”."),
    "unknown_customer": _("There is no customer “%(ref)s”."),
    "checkin_outside_period": _(
        "The date %(date)s lies outside the KPI's period %(start)s – %(end)s."
    ),
    "checklist_needs_tick": _(
        "“%(kpi)s” is a checklist: tick its items off instead of checking in a value."
    ),
    "not_a_checklist": _("“%(kpi)s” is not a checklist KPI."),
    "unknown_item": _("The checklist “%(kpi)s” has no item “%(ref)s”."),
    "item_already_done": _("“%(item)s” was already ticked off on %(date)s."),
    "duplicate_item": _("The checklist item “%(item)s” is named twice."),
    "invalid_milestone": _("“%(text)s” is not a sub-goal: use DATE:VALUE, e.g. 2027-03-31:25."),
    "invalid_choice": _("“%(value)s” is not a valid %(name)s."),
}


class KpiError(ProductError):
    """A KPI or check-in request the product refuses; nothing has been saved."""

    @property
    def message(self) -> str:
        return error_message(self)  # shared with the core's errors


def error_message(error: KpiError | CoreError) -> str:
    """One sentence in the active language for a KPI or core error."""
    template = MESSAGES.get(error.code)
    if template is None:
        return str(error.message if isinstance(error, CoreError) else error.code)
    try:
        return str(template) % {k: str(v) for k, v in error.params.items()}
    except (KeyError, TypeError, ValueError):
        return str(error.message) if isinstance(error, CoreError) else str(template)
