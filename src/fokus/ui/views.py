"""Page flows several areas share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def confirm_delete(
    request: HttpRequest,
    *,
    template: str,
    context: Callable[[], dict[str, Any]],
    delete: Callable[[], str],
    then: str,
) -> HttpResponse:
    """A deletion that asks first. GET (and HEAD) show ``template`` with ``context()``: what
    goes, what stays and a form that confirms. POST runs ``delete()``, shows the sentence
    it returns and goes on to ``then`` (an address or the name of a page)."""
    if request.method == "POST":
        messages.success(request, delete())
        return redirect(then)
    return render(request, template, context())
