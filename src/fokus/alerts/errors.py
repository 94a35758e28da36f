"""Refusals of alerts and their channels, with their sentences."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fokus.errors import ProductError

MESSAGES = {
    "alert_resolved": _("The alert is already resolved."),
    "not_allowed": _("Your role does not allow this."),
    "snooze_date_required": _("Give the date to snooze until."),
    "snooze_not_in_future": _("Snooze until a date after today (%(today)s)."),
    "snooze_too_far": _("Snooze for at most a year."),
    "reason_required": _("Give a reason for snoozing."),
    "no_customer": _("This alert is not about a customer's contact."),
    "contact_kind": _("“%(kind)s” is not a kind of contact."),
    "contact_refused": _("The contact was not logged: %(detail)s"),
    "link_invalid": _("The link is invalid or has expired."),
    "url_scheme": _("Only http:// and https:// addresses are allowed."),
    "url_invalid": _("“%(url)s” is not a valid address."),
    "url_private": _("Private, loopback and link-local addresses are not allowed."),
    "bulk_none": _("Choose at least one alert."),
    "bulk_too_many": _("Choose at most %(limit)s alerts at a time (you chose %(count)s)."),
}


class AlertError(ProductError):
    """A request about alerts the product refuses; nothing has been saved."""

    MESSAGES = MESSAGES
    # An alert already resolved is a conflict with the alert's state, not a bad field.
    CONFLICTS = frozenset({"alert_resolved"})

    @property
    def status(self) -> int:
        return 409 if self.code in self.CONFLICTS else self.STATUS
