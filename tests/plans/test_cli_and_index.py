"""`fokus funnel plan --create` uses the same service as the web and the API; the Plans
page lists what has been planned."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from fokus.kpis.models import Kpi
from fokus.plans.models import FunnelPlan


def test_the_cli_creates_the_funnel_and_its_stage_kpis(org, alice):
    out = StringIO()
    call_command(
        "funnel",
        "plan",
        "--goal",
        "10",
        "--rates",
        "0.10,0.05,0.25",
        "--period",
        "2027",
        "--create",
        "--name",
        "Året",
        "--json",
        stdout=out,
    )
    plan = json.loads(out.getvalue())
    assert plan["name"] == "Året" and FunnelPlan.objects.get().pk == plan["id"]
    assert [s["required"] for s in plan["stages"]] == [8000, 800, 40, 10]
    assert [Kpi.objects.get(pk=s["kpi"]).target for s in plan["stages"]] == [8000, 800, 40, 10]


def test_a_bad_rate_on_the_cli_saves_nothing(org, alice):
    with pytest.raises(CommandError):
        call_command("funnel", "plan", "--goal", "10", "--rates", "0.1,2", "--create")
    assert FunnelPlan.objects.count() == 0 and Kpi.objects.count() == 0


def test_the_plans_page_lists_funnels_and_plans(alice_client, article_funnel):
    page = alice_client.get(reverse("plans:index"))
    assert page.status_code == 200
    assert reverse("plans:funnel_detail", args=[article_funnel.pk]) in page.content.decode()
    assert alice_client.get(reverse("plans:plan_new")).status_code == 200


def test_the_plans_page_needs_a_login(client):
    assert client.get(reverse("plans:index")).status_code == 302
