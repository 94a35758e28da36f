"""Deleting a funnel or a two-period plan: editors only, a confirm page that says what
goes and that the KPIs stay, a POST that deletes, and the KPIs (with their check-ins and
history) left alone. Another organisation's funnel or plan is a 404; the API's DELETE
answers the same way."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.test import Client
from django.urls import reverse

from fokus.core.periods import parse_period
from fokus.kpis.models import CheckIn, Kpi, KpiChange
from fokus.plans.models import FunnelPlan, FunnelStage, Plan, PlanKpi, PlanPeriod
from fokus.plans.selectors import plan_get
from fokus.plans.services import plan_create


@pytest.fixture
def two_period_plan(org, alice):
    plan, _planned = plan_create(
        organisation=org,
        user=alice,
        name="Året 2027",
        goal="10 nye kunder",
        leading=parse_period("2027-01-01..2027-06-30"),
        sales=parse_period("2027-07-01..2027-12-31"),
    )
    return plan_get(organisation=org, pk=plan.pk)


def plan_kpis(plan) -> list[Kpi]:
    return [link.kpi for period in plan.periods.all() for link in period.links.all()]


def text(response) -> str:
    return html.unescape(response.content.decode())


# --- Funnels ----------------------------------------------------------------------------


def test_the_funnel_page_offers_delete_to_editors_only(client, alice, vera, article_funnel, today):
    url = reverse("plans:funnel_delete", args=[article_funnel.pk])
    client.force_login(alice)
    assert (
        f'href="{url}"'
        in client.get(reverse("plans:funnel_detail", args=[article_funnel.pk])).content.decode()
    )
    client.force_login(vera)
    assert (
        url
        not in client.get(reverse("plans:funnel_detail", args=[article_funnel.pk])).content.decode()
    )


def test_the_confirm_page_lists_the_stages_and_says_the_kpis_stay(
    alice_client, article_funnel, stage_kpis
):
    response = alice_client.get(reverse("plans:funnel_delete", args=[article_funnel.pk]))

    assert response.status_code == 200
    page = text(response)
    assert f"Slet salgstragten “{article_funnel.name}”?" in page
    for stage in article_funnel.stages.all():
        assert stage.name in page
    assert "8.000" in page  # the top stage's planned number
    assert "KPI'erne bevares" in page
    for kpi in stage_kpis:
        assert f'href="{reverse("kpi_detail", args=[kpi.pk])}"' in page
    # A plain form: CSRF protected, posting to the same page, no htmx needed.
    assert 'method="post"' in page and "csrfmiddlewaretoken" in page
    assert '<button type="submit" class="button button-danger">' in page
    assert FunnelPlan.objects.filter(pk=article_funnel.pk).exists()


def test_the_owner_deletes_a_funnel_and_its_stage_kpis_and_check_ins_stay(
    alice_client, article_funnel, stage_kpis, record
):
    top = stage_kpis[0]
    checkin = record(top, dt.date(2027, 2, 10), 3000)
    history = KpiChange.objects.filter(kpi__in=stage_kpis).count()

    response = alice_client.post(
        reverse("plans:funnel_delete", args=[article_funnel.pk]), follow=True
    )

    assert response.redirect_chain == [(reverse("plans:index"), 302)]
    assert f"Salgstragten “{article_funnel.name}” er slettet; dens KPI'er bevares." in text(
        response
    )
    assert not FunnelPlan.objects.filter(pk=article_funnel.pk).exists()
    assert not FunnelStage.objects.filter(funnel_id=article_funnel.pk).exists()
    kept = Kpi.objects.filter(pk__in=[k.pk for k in stage_kpis], archived_at__isnull=True)
    assert kept.count() == len(stage_kpis) == 4
    assert CheckIn.objects.filter(pk=checkin.pk, kpi=top).exists()
    assert KpiChange.objects.filter(kpi__in=stage_kpis).count() == history
    assert alice_client.get(reverse("kpi_detail", args=[top.pk])).status_code == 200


def test_a_member_may_delete_a_funnel_too(bob_client, article_funnel, today):
    response = bob_client.post(reverse("plans:funnel_delete", args=[article_funnel.pk]))
    assert response.status_code == 302
    assert not FunnelPlan.objects.exists()


def test_a_viewer_cannot_delete_a_funnel(vera_client, article_funnel, today):
    url = reverse("plans:funnel_delete", args=[article_funnel.pk])
    assert vera_client.get(url).status_code == 403
    assert vera_client.post(url).status_code == 403
    assert FunnelPlan.objects.filter(pk=article_funnel.pk).exists()


def test_another_organisations_funnel_is_not_found(charlie_client, article_funnel, today):
    url = reverse("plans:funnel_delete", args=[article_funnel.pk])
    assert charlie_client.get(url).status_code == 404
    assert charlie_client.post(url).status_code == 404
    assert FunnelPlan.objects.filter(pk=article_funnel.pk).exists()


def test_deleting_needs_the_csrf_token(alice, article_funnel, today):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = reverse("plans:funnel_delete", args=[article_funnel.pk])
    assert client.post(url).status_code == 403
    assert FunnelPlan.objects.filter(pk=article_funnel.pk).exists()

    token = client.get(url).context["csrf_token"]
    assert client.post(url, {"csrfmiddlewaretoken": str(token)}).status_code == 302
    assert not FunnelPlan.objects.filter(pk=article_funnel.pk).exists()


def test_other_methods_are_refused(alice_client, article_funnel):
    url = reverse("plans:funnel_delete", args=[article_funnel.pk])
    assert alice_client.put(url).status_code == 405
    assert alice_client.delete(url).status_code == 405
    assert FunnelPlan.objects.filter(pk=article_funnel.pk).exists()


# --- Plans over two periods --------------------------------------------------------------


def test_the_plan_page_offers_delete_to_editors_only(client, alice, vera, two_period_plan, today):
    url = reverse("plans:plan_delete", args=[two_period_plan.pk])
    detail = reverse("plans:plan_detail", args=[two_period_plan.pk])
    client.force_login(alice)
    assert f'href="{url}"' in client.get(detail).content.decode()
    client.force_login(vera)
    assert url not in client.get(detail).content.decode()


def test_the_plan_confirm_page_lists_the_periods_and_says_the_kpis_stay(
    alice_client, two_period_plan
):
    response = alice_client.get(reverse("plans:plan_delete", args=[two_period_plan.pk]))

    assert response.status_code == 200
    page = text(response)
    assert "Slet planen “Året 2027”?" in page
    assert "10 nye kunder" in page
    assert "Periode 1: Ledende indikatorer" in page and "Periode 2: Salg" in page
    assert "KPI'erne bevares" in page
    kpis = plan_kpis(two_period_plan)
    assert len(kpis) == 5
    for kpi in kpis:
        assert f'href="{reverse("kpi_detail", args=[kpi.pk])}"' in page
    assert 'method="post"' in page and "csrfmiddlewaretoken" in page


def test_the_owner_deletes_a_plan_and_its_kpis_and_check_ins_stay(
    alice_client, two_period_plan, record
):
    kpis = plan_kpis(two_period_plan)
    sales = two_period_plan.periods.get(position=1).links.first().kpi
    checkin = record(sales, dt.date(2027, 7, 10), 1)

    response = alice_client.post(
        reverse("plans:plan_delete", args=[two_period_plan.pk]), follow=True
    )

    assert response.redirect_chain == [(reverse("plans:index"), 302)]
    assert "Planen “Året 2027” er slettet; dens KPI'er bevares." in text(response)
    assert not Plan.objects.exists()
    assert not PlanPeriod.objects.exists() and not PlanKpi.objects.exists()
    assert Kpi.objects.filter(pk__in=[k.pk for k in kpis], archived_at__isnull=True).count() == 5
    assert CheckIn.objects.filter(pk=checkin.pk, kpi=sales).exists()


def test_a_viewer_cannot_delete_a_plan(vera_client, two_period_plan, today):
    url = reverse("plans:plan_delete", args=[two_period_plan.pk])
    assert vera_client.get(url).status_code == 403
    assert vera_client.post(url).status_code == 403
    assert Plan.objects.filter(pk=two_period_plan.pk).exists()
    assert PlanKpi.objects.count() == 5


def test_another_organisations_plan_is_not_found(charlie_client, two_period_plan, today):
    url = reverse("plans:plan_delete", args=[two_period_plan.pk])
    assert charlie_client.get(url).status_code == 404
    assert charlie_client.post(url).status_code == 404
    assert Plan.objects.filter(pk=two_period_plan.pk).exists()


def test_deleting_a_funnel_leaves_a_plan_sharing_its_kpi_alone(
    alice_client, article_funnel, stage_kpis, two_period_plan
):
    bottom = stage_kpis[-1]
    # The plan made after the funnel links the funnel's buyers as its new customers.
    sales = two_period_plan.periods.get(position=1)
    assert PlanKpi.objects.filter(period=sales, kpi=bottom).exists()

    alice_client.post(reverse("plans:funnel_delete", args=[article_funnel.pk]))

    assert PlanKpi.objects.filter(kpi=bottom).exists()
    assert Kpi.objects.filter(pk=bottom.pk).exists()


# --- API ---------------------------------------------------------------------------------


def test_the_api_deletes_a_funnel_and_its_stage_kpis_stay(alice_api, article_funnel, stage_kpis):
    response = alice_api.delete(f"/plans/funnel/{article_funnel.pk}")

    assert response.status_code == 204
    assert not FunnelPlan.objects.exists()
    assert Kpi.objects.filter(pk__in=[k.pk for k in stage_kpis]).count() == 4
    assert alice_api.get("/plans/funnel").json() == []
    assert alice_api.get(f"/plans/funnel/{article_funnel.pk}").status_code == 404
    assert alice_api.delete(f"/plans/funnel/{article_funnel.pk}").status_code == 404


def test_a_viewer_token_cannot_delete_a_funnel(vera_api, article_funnel):
    response = vera_api.delete(f"/plans/funnel/{article_funnel.pk}")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert FunnelPlan.objects.filter(pk=article_funnel.pk).exists()


def test_the_api_does_not_find_another_organisations_funnel(charlie_api, article_funnel):
    response = charlie_api.delete(f"/plans/funnel/{article_funnel.pk}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert FunnelPlan.objects.filter(pk=article_funnel.pk).exists()
