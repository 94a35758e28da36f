"""Plans over two periods: leading indicators first, then sales, one primary goal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from fokus.kpis.models import Kpi
from fokus.plans.models import Plan, PlanKpi


def create(client, **fields):
    data = {
        "name": "Året 2027",
        "goal": "10 nye kunder",
        "leading": "2027-01-01..2027-06-30",
        "sales": "2027-07-01..2027-12-31",
        "leading_templates": ["followers", "linkedin-15", "named-media"],
        "sales_templates": ["new-customers"],
        **fields,
    }
    return client.post(reverse("plans:plan_new"), data)


def test_a_plan_over_two_periods_makes_leading_kpis_that_feed_the_sales_kpi(alice_client):
    response = create(alice_client)

    plan = Plan.objects.get()
    assert response["Location"] == reverse("plans:plan_detail", args=[plan.pk])
    first, second = plan.periods.order_by("position")
    leading = [link.kpi for link in first.links.select_related("kpi", "feeds")]
    [sales] = [link.kpi for link in second.links.all()]
    assert {k.end for k in leading} == {dt.date(2027, 6, 30)}
    assert sales.start == dt.date(2027, 7, 1) and int(sales.target) == 10
    assert {link.feeds for link in first.links.all()} == {sales}

    page = alice_client.get(response["Location"]).content.decode()
    assert page.count('data-role="leading"') == 1 and page.count('data-role="sales"') == 1
    assert f"→ {sales.name}" in page


def test_the_second_period_must_come_after_the_first(alice_client):
    response = create(alice_client, sales="2027-03-01..2027-12-31")
    assert response.status_code == 200 and b"field-error" in response.content
    assert Plan.objects.count() == 0 and Kpi.objects.count() == 0


def test_an_existing_kpi_of_the_period_can_join_and_leave_the_plan(alice_client, make_kpi):
    create(alice_client)
    plan = Plan.objects.get()
    first = plan.periods.get(position=0)
    extra = make_kpi(
        name="Nyhedsbrev", start=dt.date(2027, 1, 1), end=dt.date(2027, 6, 30), target=Decimal(600)
    )

    alice_client.post(
        reverse("plans:plan_link", args=[plan.pk]), {"period": first.pk, "kpi": extra.pk}
    )
    link = PlanKpi.objects.get(kpi=extra)
    alice_client.post(reverse("plans:plan_unlink", args=[plan.pk, link.pk]))

    assert not PlanKpi.objects.filter(kpi=extra).exists()
    assert Kpi.objects.filter(pk=extra.pk).exists()


def test_an_outsider_cannot_see_or_change_the_plan(client, charlie, alice_client, today):
    create(alice_client)
    plan = Plan.objects.get()
    client.force_login(charlie)
    assert client.get(reverse("plans:plan_detail", args=[plan.pk])).status_code == 404
    link = PlanKpi.objects.first()
    assert client.post(reverse("plans:plan_unlink", args=[plan.pk, link.pk])).status_code == 404


def test_a_viewer_cannot_make_a_plan(vera_client, today):
    assert create(vera_client).status_code == 403
    assert Plan.objects.count() == 0
