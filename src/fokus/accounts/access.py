"""Who may do what, checked on the server for every request (never only by hiding
buttons): members see their organisation, editors (all but viewers) change its data,
owners and administrators manage its settings and members. A guarded view gets an
``AuthenticatedHttpRequest`` (``fokus.accounts.http``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fokus.accounts.models import Membership

View = TypeVar("View", bound=Callable[..., HttpResponse])


def _guard(check: Callable[[Membership], bool] | None) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership: Membership | None = getattr(request, "membership", None)
            if membership is None:
                return render(request, "accounts/no_organisation.html", status=403)
            if check is not None and not check(membership):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return cast(View, wrapper)

    return decorator


member_required = _guard(None)
editor_required = _guard(lambda membership: membership.can_edit)
manager_required = _guard(lambda membership: membership.can_manage)
