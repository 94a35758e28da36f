"""Refusals of users, organisations, members and tokens, with their sentences."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fokus.errors import ProductError

MESSAGES = {
    "no_organisation": _("There is no organisation yet. Create one with fokus createuser."),
    "several_organisations": _("There are several organisations: choose one with --org SLUG."),
    "invalid_email": _("“%(email)s” is not a valid e-mail address."),
    "user_exists": _("A user with the e-mail address %(email)s already exists."),
    "empty_password": _("The password must not be empty."),
    "password_mismatch": _("The two passwords differ."),
    "not_member": _("%(email)s is not a member of %(organisation)s."),
    "organisation_name_required": _("The organisation needs a name."),
    "unknown_currency": _("“%(currency)s” is not a currency code such as DKK or EUR."),
    "unknown_time_zone": _("“%(zone)s” is not a time zone such as Europe/Copenhagen."),
    "thresholds_invalid": _(
        "The paces must satisfy 0 < at risk ≤ on track ≤ 1 (for example 0.80 and 0.95)."
    ),
    "contact_interval_invalid": _("The contact interval must be between 1 and 36 months."),
    "unknown_role": _("“%(role)s” is not a role."),
    "already_member": _("%(email)s is already a member of %(organisation)s."),
    "owner_only": _("Only an owner can give or take away the owner role."),
    "last_owner": _("An organisation needs at least one owner."),
    "invitation_invalid": _(
        "This invitation link is not valid: it may have been used, revoked or mistyped."
    ),
    "invitation_expired": _("This invitation has expired. Ask for a new one."),
    "invitation_other_user": _(
        "This invitation is for %(email)s. Log out and open the link again."
    ),
    "invitation_needs_login": _("%(email)s already has a user. Log in to accept the invitation."),
    "email_failed": _("The e-mail could not be sent: %(reason)s"),
    "unknown_language": _("“%(language)s” is not a language of Fokus."),
}


class AccountError(ProductError):
    """A request about users, organisations or members the product refuses."""

    MESSAGES = MESSAGES
