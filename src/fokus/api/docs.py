"""The API docs page (Swagger UI) served entirely by the app: the Swagger UI files come
from the installed django-ninja package through this view, never from a CDN, and the
page needs no inline script (the Content-Security-Policy allows none)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import Swagger

ASSETS_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon.png": "image/png",
}


def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    content_type = ASSETS.get(name)
    if content_type is None:
        raise Http404
    response = FileResponse((ASSETS_DIR / name).open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


class LocalSwagger(Swagger):
    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        namespace = api.urls_namespace
        assets = {
            name.replace("-", "_").replace(".", "_"): reverse(
                f"{namespace}:docs-asset", kwargs={**kwargs, "name": name}
            )
            for name in ASSETS
        }
        context = {"swagger_settings": json.dumps(self.settings), "api": api, **assets}
        return render(request, "api/docs.html", context)
