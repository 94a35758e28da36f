"""The KPI selectors load only what the evaluation counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fokus.kpis.models import CheckIn
from fokus.kpis.selectors import checkins_by_kpi, kpi_evaluations, kpi_evaluations_with_points
from fokus.kpis.services import checkin_record

pytestmark = pytest.mark.django_db


def test_checkins_after_the_as_of_date_or_outside_the_periods_are_not_loaded(make_kpi):
    kpi = make_kpi(start=dt.date(2027, 1, 1), end=dt.date(2027, 6, 30))
    for day in (
        dt.date(2026, 12, 31),
        dt.date(2027, 3, 1),
        dt.date(2027, 5, 1),
        dt.date(2027, 7, 1),
    ):
        CheckIn.objects.create(kpi=kpi, date=day, value=Decimal(1))  # past the service's check

    points = checkins_by_kpi([kpi], dt.date(2027, 4, 1))

    assert [p.date for p in points[kpi.pk]] == [dt.date(2027, 3, 1)]


def test_evaluations_with_points_equal_the_evaluations(org, make_kpi):
    kpi = make_kpi()
    for day, value in ((dt.date(2027, 2, 1), 3), (dt.date(2027, 5, 1), 2)):
        checkin_record(kpi=kpi, date=day, value=Decimal(value))
    as_of = dt.date(2027, 6, 30)

    evaluations, points = kpi_evaluations_with_points(organisation=org, kpis=[kpi], as_of=as_of)

    assert evaluations == kpi_evaluations(organisation=org, kpis=[kpi], as_of=as_of)
    assert len(points[kpi.pk]) == 2


def test_no_kpis_cost_no_queries(org, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert kpi_evaluations_with_points(
            organisation=org, kpis=[], as_of=dt.date(2027, 1, 1)
        ) == (
            {},
            {},
        )
