"""Typed errors of the accounts area; the edges turn them into messages."""

from __future__ import annotations

from django.utils.translation import gettext as _


class AccountError(Exception):
    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    @property
    def message(self) -> str:
        messages = {
            "unknown_organisation": _("There is no organisation with the slug “%(slug)s”."),
            "no_organisation": _("There is no organisation yet. Create one with fokus createuser."),
            "several_organisations": _(
                "There are several organisations: choose one with --org SLUG."
            ),
            "unknown_user": _("There is no user with the e-mail address %(email)s."),
            "invalid_email": _("“%(email)s” is not a valid e-mail address."),
            "user_exists": _("A user with the e-mail address %(email)s already exists."),
            "empty_password": _("The password must not be empty."),
            "password_mismatch": _("The two passwords differ."),
            "not_member": _("%(email)s is not a member of %(organisation)s."),
        }
        return messages.get(self.code, self.code) % self.params

    def __str__(self) -> str:
        return self.message
