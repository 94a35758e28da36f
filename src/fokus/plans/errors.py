"""Refusals of the planners, with their sentences."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fokus.errors import ProductError

MESSAGES = {
    "funnel_name_required": _("Give the funnel a name."),
    "stage_name_required": _("Every stage needs a name."),
    "stage_name_too_long": _("A stage name can be at most 200 characters."),
    "funnel_goal_too_large": _("The goal can be at most %(limit)s."),
    "funnel_too_large": _(
        "The funnel needs %(count)s at the top, more than Fokus can plan (%(limit)s)."
    ),
    "funnel_too_many_stages": _("A funnel can have at most %(limit)s stages."),
    "kpis_exist": _("The stage KPIs of this funnel have been created already."),
    "nothing_to_replan": _("No stage has ended below plan with later stages to re-plan."),
    "upsell_mode_invalid": _("The upsell mode must be fixed or percent."),
    "upsell_percent_invalid": _("The upsell percentage must be a number from 0 to 1,000 %%."),
    "amount_invalid": _("%(name)s must be an amount of at least 0."),
    "count_invalid": _("%(name)s must be a whole number of at least 0."),
    "months_invalid": _("The number of months must be a whole number from 0 to 120."),
    "no_levers": _("Fill in at least one lever: new customers, upsell or retention."),
    "plan_name_required": _("Give the plan a name."),
    "plan_periods_overlap": _("The second period must start after the first one ends."),
    "kpi_in_plan": _("“%(kpi)s” is in this plan already."),
    "feeds_outside_plan": _("A leading KPI can only feed a KPI of the plan's next period."),
    "nothing_proposed": _("Tick at least one proposed KPI to create."),
}


class PlanError(ProductError):
    """A planner request the product refuses; nothing has been saved."""

    MESSAGES = MESSAGES
