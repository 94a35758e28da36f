"""Account pages: login, password reset, language, organisation settings, members and
invitations. Views translate HTTP to service calls and back."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fokus.accounts import selectors, services
from fokus.accounts.access import manager_required
from fokus.accounts.forms import (
    AcceptInvitationForm,
    EmailAuthenticationForm,
    InvitationForm,
    LocalisedPasswordResetForm,
    NewPasswordForm,
    OrganisationForm,
    RoleForm,
)
from fokus.accounts.http import AuthenticatedHttpRequest
from fokus.accounts.models import Role
from fokus.errors import REFUSALS, ProductError
from fokus.ui.forms import add_refusal
from fokus.ui.http import next_url

# ---------------------------------------------------------------------------------------
# Login and language


def _language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=False,
        samesite="Lax",
    )


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: EmailAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        language = form.get_user().language
        if language in dict(settings.LANGUAGES):
            _language_cookie(response, language)
        return response

    def form_invalid(self, form: EmailAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if form.rate_limited:
            response.status_code = 429
        return response


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the UI language (da/en); remembered on the user when logged in."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    if request.user.is_authenticated:
        services.user_language_set(user=request.user, language=language)
    response = HttpResponseRedirect(next_url(request, reverse("dashboard")))
    _language_cookie(response, language)
    return response


# ---------------------------------------------------------------------------------------
# Password reset by e-mail (Django's views, our templates and a localised e-mail)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = LocalisedPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# ---------------------------------------------------------------------------------------
# Organisation settings


@manager_required
def organisation_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = request.organisation
    initial = {
        "name": organisation.name,
        "currency": organisation.currency,
        "time_zone": organisation.time_zone,
        "on_track_ratio": organisation.on_track_ratio,
        "at_risk_ratio": organisation.at_risk_ratio,
        "default_contact_interval": organisation.default_contact_interval,
    }
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, **form.cleaned_data)
        except REFUSALS as error:
            organisation.refresh_from_db()
            add_refusal(form, error)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("organisation_settings")
    return render(
        request,
        "accounts/organisation_settings.html",
        {"nav": "settings", "form": form, "time_zones": _common_time_zones()},
    )


def _common_time_zones() -> list[str]:
    return ["Europe/Copenhagen", "Atlantic/Faroe", "America/Nuuk", "Europe/London", "UTC"]


# ---------------------------------------------------------------------------------------
# Members, roles and invitations


def _members_page(
    request: AuthenticatedHttpRequest, invite_form: InvitationForm | None = None, status: int = 200
) -> HttpResponse:
    membership = request.membership
    organisation = membership.organisation
    now = timezone.now()
    max_age = settings.INVITATION_MAX_AGE
    invitations = [
        (inv, (now - inv.created_at).total_seconds() > max_age)
        for inv in selectors.invitations_open(organisation)
    ]
    roles = Role.choices if membership.role == Role.OWNER else Role.choices[1:]
    context: dict[str, Any] = {
        "nav": "settings",
        "members": selectors.members_of(organisation),
        "invitations": invitations,
        "invite_form": invite_form or InvitationForm(),
        "roles": roles,
        "me": membership,
    }
    return render(request, "accounts/members.html", context, status=status)


@manager_required
def members(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _members_page(request)


@manager_required
@require_POST
def invitation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    membership = request.membership
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(
                organisation=membership.organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=membership,
                link_base=request.build_absolute_uri("/"),
                language=translation.get_language() or "",
                now=timezone.now(),
            )
        except REFUSALS as error:
            add_refusal(form, error)
        else:
            messages.success(
                request,
                _("An invitation is on its way to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("members")
    return _members_page(request, invite_form=form, status=400)


@manager_required
@require_POST
def member_role(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    me = request.membership
    target = selectors.membership_get(organisation=me.organisation, pk=pk)
    if target is None:
        raise Http404
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("members")
    try:
        services.member_role_change(membership=target, role=form.cleaned_data["role"], by=me)
    except ProductError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(email)s is now %(role)s.")
            % {"email": target.user.email, "role": Role(target.role).label},
        )
    return redirect("members")


@manager_required
@require_POST
def member_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    me = request.membership
    target = selectors.membership_get(organisation=me.organisation, pk=pk)
    if target is None:
        raise Http404
    try:
        services.member_remove(membership=target, by=me)
    except ProductError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(email)s is no longer a member.") % {"email": target.user.email},
        )
    if target.user_id == request.user.pk and not target.pk:
        return redirect("dashboard")
    return redirect("members")


@manager_required
@require_POST
def invitation_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    me = request.membership
    invitation = selectors.invitation_get(organisation=me.organisation, pk=pk)
    if invitation is None:
        raise Http404
    services.invitation_revoke(invitation=invitation, now=timezone.now())
    messages.success(
        request, _("The invitation of %(email)s is revoked.") % {"email": invitation.email}
    )
    return redirect("members")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation e-mail: join as the logged-in user, or choose a password
    to become a new user."""
    now = timezone.now()
    try:
        invitation = services.invitation_find(token=token, now=now)
    except ProductError as invalid:
        return render(request, "accounts/invitation_invalid.html", {"error": invalid}, status=404)
    user = request.user if request.user.is_authenticated else None
    has_account = user is None and selectors.user_by_email(invitation.email) is not None
    form = AcceptInvitationForm(request.POST or None) if user is None else None
    error: ProductError | None = None
    if request.method == "POST" and not has_account and (form is None or form.is_valid()):
        try:
            membership = services.invitation_accept(
                token=token,
                user=user,
                password=form.cleaned_data["password1"] if form else None,
                now=now,
            )
        except ProductError as exc:
            error = exc
        else:
            if user is None:
                login(request, membership.user, backend=settings.AUTHENTICATION_BACKENDS[0])
            request.session[selectors.SESSION_ORG_KEY] = membership.organisation_id
            messages.success(
                request,
                _("Welcome to %(organisation)s.") % {"organisation": membership.organisation},
            )
            return redirect("dashboard")
    context = {
        "invitation": invitation,
        "form": form,
        "has_account": has_account,
        "error": error,
        "wrong_user": user is not None and user.email.lower() != invitation.email.lower(),
        "role": Role(invitation.role).label,
    }
    return render(request, "accounts/invitation_accept.html", context)
