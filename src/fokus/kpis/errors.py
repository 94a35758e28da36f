"""Refusals of KPIs and check-ins, with their sentences."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fokus.errors import ProductError

MESSAGES = {
    "name_required": _("The KPI needs a name."),
    "target_required": _("The KPI needs a concrete target number."),
    "interval_target_needs_interval": _(
        "A target per interval needs an interval: week, month or quarter."
    ),
    "period_required": _(
        "The KPI needs a period: a period such as 2027 or 2027-K2, or both a start and an end date."
    ),
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
    "ambiguous_kpi": _("Several KPIs are named “%(ref)s”; use the id or the slug."),
    "too_many_items": _("At most %(limit)s check-ins per request (got %(count)s)."),
    "no_items": _("The request has no check-ins."),
    "kpi_exists": _(
        "There is a KPI “%(kpi)s” (id %(id)s) for %(start)s – %(end)s already. Record on "
        "it, or create a second one only if it measures something else."
    ),
}


class KpiError(ProductError):
    """A KPI or check-in request the product refuses; nothing has been saved."""

    MESSAGES = MESSAGES
