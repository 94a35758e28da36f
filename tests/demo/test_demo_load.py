import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.utils import timezone

from fokus.core.contact import DueState
from fokus.core.periods import parse_period
from fokus.customers.models import Customer
from fokus.customers.selectors import customers_due
from fokus.demo.services import DEMO_EMAIL, DEMO_PASSWORD, demo_load
from fokus.kpis.matching import same_kpis
from fokus.kpis.models import Kpi
from fokus.kpis.selectors import kpi_evaluations, kpi_list
from fokus.kpis.services import kpi_spec_of
from fokus.plans.models import FunnelPlan, Plan, PlanKpi
from fokus.plans.review import plan_review

EVERY_LIVE_STATUS = {"on_track", "at_risk", "off_track", "achieved", "no_data"}


@pytest.mark.parametrize(
    "today",
    [dt.date(2027, 1, 1), dt.date(2028, 2, 29), dt.date(2026, 11, 26), dt.date(2027, 12, 31)],
)
def test_the_demo_shows_every_live_status_whatever_the_day(db, today):
    organisation = demo_load(today=today, now=timezone.now())
    kpis = kpi_list(organisation=organisation)
    statuses = {
        e.status
        for e in kpi_evaluations(organisation=organisation, kpis=kpis, as_of=today).values()
    }
    assert statuses >= EVERY_LIVE_STATUS


def test_the_demo_holds_the_articles_examples(db):
    today = dt.date(2027, 6, 15)
    organisation = demo_load(today=today, now=timezone.now())
    kpis = {k.name: k for k in Kpi.objects.filter(organisation=organisation)}
    assert kpis["Omsætning fra 10 nye kunder"].target == 1_000_000
    readers = kpis["100 nye læsere på nyhedsbrevet hver måned"]
    assert (readers.interval, readers.interval_target, readers.target) == ("month", 100, 1200)
    google = [k for name, k in kpis.items() if name.startswith("Top 3 på Google")]
    assert len(google) == 2 and all(k.direction == "decrease" and k.unit == "rank" for k in google)
    linkedin = kpis["Connect på LinkedIn med 15 personer, der kan åbne døre"]
    assert linkedin.measure == "checklist" and linkedin.items.count() == 15
    assert kpis["5.000 følgere på Instagram"].measure == "last"
    # The funnel is stored by the funnel planner; its bottom stage is the demo's own
    # "Nye kunder" (linked, not copied), the upper stages have their quarters' KPIs.
    [funnel] = FunnelPlan.objects.filter(organisation=organisation)
    stages = list(funnel.stages.select_related("kpi").order_by("position"))
    assert [s.required for s in stages] == [8000, 800, 40, 10]
    assert [s.start.month for s in stages] == [1, 4, 7, 10]
    assert [int(s.kpi.target) for s in stages] == [8000, 800, 40, 10]
    assert [s.kpi.start.month for s in stages[:3]] == [1, 4, 7]
    assert stages[-1].kpi == kpis["Nye kunder"]
    # The year's plan is stored by the plan planner, over the demo's own KPIs.
    [plan] = Plan.objects.filter(organisation=organisation)
    linked = {link.kpi.name for link in PlanKpi.objects.filter(period__plan=plan)}
    assert linked == {
        "Nye kunder",
        "Omsætning fra 10 nye kunder",
        "5.000 følgere på Instagram",
        "Connect på LinkedIn med 15 personer, der kan åbne døre",
        "Nævnt som ekspert i navngivne medier",
    }
    assert Customer.objects.filter(organisation=organisation).count() == 25
    due = customers_due(organisation=organisation, as_of=today)
    assert any(d.state == DueState.overdue for _, d in due)
    assert any(d.state == DueState.due_soon for _, d in due)


def test_loading_the_demo_twice_keeps_it_and_reset_rebuilds_it(db):
    first = demo_load(today=dt.date(2027, 3, 1), now=timezone.now())
    count = Kpi.objects.count()
    assert demo_load(today=dt.date(2027, 3, 1), now=timezone.now()).pk == first.pk
    assert Kpi.objects.count() == count
    rebuilt = demo_load(today=dt.date(2027, 3, 1), reset=True, now=timezone.now())
    assert rebuilt.pk != first.pk
    assert Kpi.objects.count() == count
    assert authenticate(username=DEMO_EMAIL, password=DEMO_PASSWORD).email == DEMO_EMAIL


def test_every_kpi_on_the_demos_dashboard_appears_once(db):
    """The funnel and the plan link the demo's KPIs: no second "Nye kunder", no second
    LinkedIn checklist, no separate buyers' KPI."""
    today = dt.date(2026, 12, 4)
    organisation = demo_load(today=today, now=timezone.now())
    year = parse_period("2026")
    kpis = [k for k in kpi_list(organisation=organisation, period=year) if k.customer_id is None]
    names = [k.name for k in kpis]

    assert len(names) == len(set(names)), names
    assert not [n for n in names if n.startswith(("Køber", "Buy", "Tragt"))]
    for kpi in kpis:
        if kpi.kind:
            same = same_kpis(organisation=organisation, spec=kpi_spec_of(kpi), exclude=[kpi.pk])
            assert same == [], (kpi.name, [k.name for k in same])


def test_the_demos_review_names_the_stages_that_fell_short(db):
    """K2 and K3 of the demo's funnel missed their targets and convert below plan: the
    review says so, never that no stage converts below plan."""
    today = dt.date(2026, 12, 4)
    organisation = demo_load(today=today, now=timezone.now())

    review = plan_review(organisation=organisation, period=parse_period("2026-K3"), today=today)

    missed = [m.stage.name for m in review.missed_stages]
    assert missed == [
        "Besøger hjemmesiden, tilmelder sig nyhedsbrevet eller tager kontakt",
        "Beder om et tilbud",
    ]
    below = [(b.upper.position, b.worst) for b in (*review.bottlenecks, *review.slow)]
    assert below == [(0, True), (1, False)]
    assert len(review.funnel_notes) == 4
    assert review.monitors == 2  # the customers' monitors are left out
