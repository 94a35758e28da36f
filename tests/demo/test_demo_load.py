import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.utils import timezone

from fokus.core.contact import DueState
from fokus.customers.models import Customer
from fokus.customers.selectors import customers_due
from fokus.demo.services import DEMO_EMAIL, DEMO_PASSWORD, demo_load
from fokus.kpis.models import Kpi
from fokus.kpis.selectors import kpi_evaluations, kpi_list

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
    funnel = sorted((k for n, k in kpis.items() if n.startswith("Tragt")), key=lambda k: k.start)
    assert [int(k.target) for k in funnel] == [8000, 800, 40, 10]
    assert [k.start.month for k in funnel] == [1, 4, 7, 10]
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
