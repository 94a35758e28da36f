"""Refusals of the customer register, with their sentences."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fokus.errors import ProductError

MESSAGES = {
    "customer_name_required": _("The customer needs a name."),
    "partner_name_required": _("The partner needs a name."),
    "cvr_invalid": _("“%(text)s” is not a CVR number: a CVR number has 8 digits."),
    "email_invalid": _("“%(text)s” is not a valid e-mail address."),
    "interval_invalid": _("The contact interval must be a whole number of months from 1 to 120."),
    "monthly_revenue_negative": _("The monthly revenue cannot be negative."),
    "owner_not_member": _("%(email)s is not a member of this organisation."),
    "ambiguous_customer": _("Several customers are named “%(ref)s”: use the id."),
    "partner_exists": _("There is already a partner named “%(name)s”."),
    "date_too_late": _("The date %(date)s lies too far in the future."),
    "snooze_not_future": _("Snooze until a date after today (%(today)s)."),
    "snooze_reason_required": _("Give a reason for the snooze."),
    "amount_zero": _("The amount must not be zero."),
    "advisory_open": _("This customer's advisory meeting is already %(status)s."),
    "advisory_not_booked": _("Book the advisory meeting before it is held or declined."),
    "need_required": _("Describe the need the partner should cover."),
    "monitor_needs_limit": _("Give a lower limit, an upper limit or both."),
    "monitor_limits_order": _("The lower limit must not be above the upper limit."),
    "cadence_invalid": _("A reading must be expected every 1 to 3650 days."),
    "delete_needs_yes": _("Nothing was deleted: add --yes to delete %(name)s with all of it."),
    "customer_exists": _(
        "There is already a customer with this name or CVR number: “%(name)s” (id %(id)s)."
    ),
}


class CustomerError(ProductError):
    """A customer-register request the product refuses; nothing has been saved."""

    MESSAGES = MESSAGES
    # A customer that is there already is a conflict with the register, not a bad field.
    CONFLICTS = frozenset({"customer_exists"})

    @property
    def status(self) -> int:
        return 409 if self.code in self.CONFLICTS else self.STATUS
