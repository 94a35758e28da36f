"""Forms of the account pages: login, password reset, organisation, members."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from fokus.accounts import throttle
from fokus.accounts.errors import AccountError
from fokus.accounts.models import Role
from fokus.errors import InputError


def client_address(request: Any) -> str:
    return str(getattr(request, "META", {}).get("REMOTE_ADDR") or "unknown")


class EmailAuthenticationForm(AuthenticationForm):
    """Log in with an e-mail address (stored in lower case) and a password; failed
    attempts are rate limited per address and per client."""

    username = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    rate_limited = False

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username") or ""
        client = client_address(self.request)
        if throttle.login_blocked(email=email, client=client):
            self.rate_limited = True
            raise ValidationError(
                ngettext_lazy(
                    "Too many failed attempts. Wait %(minutes)s minute and try again, "
                    "or reset your password.",
                    "Too many failed attempts. Wait %(minutes)s minutes and try again, "
                    "or reset your password.",
                    "minutes",
                ),
                code="rate_limited",
                params={"minutes": throttle.window_minutes()},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.login_failed(email=email, client=client)
            raise
        throttle.login_succeeded(email=email)
        return cleaned


class LocalisedPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail is written in the user's own language."""

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context.get("user")
        language = getattr(user, "language", "") or translation.get_language()
        with translation.override(language or settings.LANGUAGE_CODE):
            subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
            body = loader.render_to_string(email_template_name, context)
        send_mail(subject, body, from_email, [to_email])


class NewPasswordForm(SetPasswordForm):
    pass


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        help_text=_("Three letters, e.g. DKK or EUR."),
        widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters"}),
    )
    time_zone = forms.CharField(label=_("Time zone"), max_length=64)
    on_track_ratio = forms.DecimalField(
        label=_("On track from pace"),
        max_digits=5,
        decimal_places=3,
        help_text=_("A KPI is on track when its pace is at least this (0.95 = 95 %)."),
    )
    at_risk_ratio = forms.DecimalField(
        label=_("At risk from pace"),
        max_digits=5,
        decimal_places=3,
        help_text=_("Below the on-track pace but at least this is at risk; lower is off track."),
    )
    default_contact_interval = forms.IntegerField(
        label=_("Default contact interval (months)"),
        help_text=_("How often a customer should hear from you, unless set per customer."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AcceptInvitationForm(forms.Form):
    """A new user's password, chosen when accepting an invitation."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", AccountError("password_mismatch").message)
        elif first:
            try:
                validate_password(first)
            except ValidationError as exc:
                self.add_error("password1", exc)
        if first and "\x00" in first:
            self.add_error("password1", InputError("nul_byte").message)
        return cleaned
