"""Security headers and checks: CSP with nonces, CSRF on forms and htmx requests."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.template import Context, Template
from django.test import Client

pytestmark = pytest.mark.django_db


def test_every_page_has_a_strict_script_policy(alice_client, today, on_track_kpi):
    response = alice_client.get("/")

    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy).group(1)
    assert "'self'" in script_src
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy


def test_pages_carry_no_inline_script_that_would_need_unsafe_inline(
    alice_client, today, on_track_kpi
):
    for url in ("/", f"/kpis/{on_track_kpi.pk}/", "/kpis/new/", "/review/"):
        content = alice_client.get(url).content.decode()
        for tag in re.findall(r"<script[^>]*>", content):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)


def test_a_page_script_with_the_nonce_is_allowed(rf, alice, org):
    """Other pages put their scripts in {% block scripts %} with the request's nonce."""
    request = rf.get("/")
    middleware = CSPMiddleware(lambda r: None)
    middleware.process_request(request)
    html = Template('<script nonce="{{ request.csp_nonce }}">x()</script>').render(
        Context({"request": request})
    )

    response = middleware.process_response(request, HttpResponse(html))
    nonce = re.search(r'nonce="([^"]+)"', html).group(1)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_an_htmx_check_in_without_the_csrf_token_is_refused(alice, today, on_track_kpi):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    prefix = f"k{on_track_kpi.pk}"

    response = client.post(
        f"/kpis/{on_track_kpi.pk}/checkin/",
        {f"{prefix}-value": "1", f"{prefix}-date": "2027-06-30"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 403
    assert on_track_kpi.checkins.count() == 3


def test_htmx_requests_send_the_csrf_token_in_a_header(alice, today, on_track_kpi):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    page = client.get("/").content.decode()
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    prefix = f"k{on_track_kpi.pk}"

    response = client.post(
        f"/kpis/{on_track_kpi.pk}/checkin/",
        {f"{prefix}-value": "1", f"{prefix}-date": "2027-06-30"},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == 200
    assert on_track_kpi.checkins.count() == 4


def test_secure_cookies_when_served_over_https():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='fokus.settings'; "
        "from django.conf import settings; "
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
    )
    env = {**os.environ, "FOKUS_BASE_URL": "https://fokus.example.dk"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "True"]


def test_the_navigation_hides_links_to_areas_that_are_not_there(settings, alice, today, client):
    html = Template('{% load fokus_nav %}[{% optional_url "nowhere:list" %}]').render(Context())

    assert html == "[]"
