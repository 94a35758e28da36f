"""Reads of the web pages, composed from the KPI selectors.

Every read is scoped to one organisation and costs a fixed number of queries, however
many KPIs, check-ins or changes there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from fokus.accounts.models import Organisation
from fokus.core import kpi as core
from fokus.core.periods import Period
from fokus.kpis.models import CheckIn, ChecklistItem, Kpi, KpiChange, Measure
from fokus.kpis.selectors import (
    checkins_by_kpi,
    kpi_evaluations,
    kpi_evaluations_cached,
    kpi_evaluations_with_points,
    kpi_list,
    kpi_queryset,
    with_organisation,
)


@dataclass(frozen=True, slots=True)
class KpiData:
    """A KPI with its evaluation as of ``today`` and the data points behind it."""

    kpi: Kpi
    evaluation: core.Evaluation
    points: list[core.CheckIn]


@dataclass(frozen=True, slots=True)
class Dashboard:
    kpis: list[Kpi]
    evaluations: dict[int, core.Evaluation]
    chart: KpiData | None
    open_items: dict[int, list[ChecklistItem]]

    @property
    def focus_count(self) -> int:
        return sum(1 for kpi in self.kpis if kpi.focus)


def open_items(kpis: list[Kpi]) -> dict[int, list[ChecklistItem]]:
    """The items still to tick of the checklist KPIs among ``kpis`` (one query)."""
    ids = [k.pk for k in kpis if k.measure == Measure.CHECKLIST]
    result: dict[int, list[ChecklistItem]] = {pk: [] for pk in ids}
    if ids:
        for item in ChecklistItem.objects.filter(kpi_id__in=ids, done_on__isnull=True):
            result[item.kpi_id].append(item)
    return result


def dashboard(*, organisation: Organisation, period: Period, today: dt.date) -> Dashboard:
    """The period's KPIs (focus first) evaluated in bulk, and the data of the one charted:
    the first focus KPI, else the first KPI."""
    kpis = kpi_list(organisation=organisation, period=period)
    evaluations, loaded = kpi_evaluations_cached(organisation=organisation, kpis=kpis, as_of=today)
    chart = None
    if kpis:
        first = kpis[0]  # the model orders focus KPIs first
        points = loaded.get(first.pk)
        if points is None:  # evaluated from the cache: its points are still to load
            points = checkins_by_kpi([first], today).get(first.pk, [])
        chart = KpiData(first, evaluations[first.pk], points)
    return Dashboard(kpis=kpis, evaluations=evaluations, chart=chart, open_items=open_items(kpis))


def kpi_for(*, organisation: Organisation, pk: int) -> Kpi:
    """One (not archived) KPI of the organisation; 404 for any other."""
    kpi = get_object_or_404(kpi_queryset(organisation), pk=pk)
    return with_organisation([kpi], organisation)[0]


def kpi_data(*, organisation: Organisation, pk: int, today: dt.date) -> KpiData:
    """One KPI of the organisation with its evaluation; 404 for any other KPI."""
    kpi = kpi_for(organisation=organisation, pk=pk)
    return kpi_data_of(kpi, today)


def kpi_data_of(kpi: Kpi, today: dt.date) -> KpiData:
    evaluations, points = kpi_evaluations_with_points(
        organisation=kpi.organisation, kpis=[kpi], as_of=today
    )
    return KpiData(kpi, evaluations[kpi.pk], points.get(kpi.pk, []))


def kpi_checkins(kpi: Kpi) -> QuerySet[CheckIn]:
    """The KPI's check-ins, newest first, with who recorded and changed them."""
    return (
        CheckIn.objects.filter(kpi=kpi)
        .select_related("created_by", "updated_by")
        .order_by("-date", "-id")
    )


def kpi_items(kpi: Kpi) -> QuerySet[ChecklistItem]:
    """The items of a checklist KPI, in their order, with who ticked them."""
    if kpi.measure != Measure.CHECKLIST:
        return ChecklistItem.objects.none()
    return kpi.items.select_related("done_by").order_by("position", "id")


def kpi_changes(kpi: Kpi) -> QuerySet[KpiChange]:
    """The history of the KPI's target and definition, newest first."""
    return kpi.changes.select_related("user").order_by("-changed_at", "-id")


def checkin_for(*, organisation: Organisation, pk: int) -> CheckIn:
    """A check-in of one of the organisation's KPIs; 404 for any other."""
    checkin = get_object_or_404(
        CheckIn.objects.select_related("kpi", "kpi__organisation"),
        pk=pk,
        kpi__organisation=organisation,
        kpi__archived_at__isnull=True,
    )
    return checkin


def item_for(*, kpi: Kpi, pk: int) -> ChecklistItem:
    return get_object_or_404(ChecklistItem, pk=pk, kpi=kpi)


@dataclass(frozen=True, slots=True)
class Review:
    period: Period
    as_of: dt.date
    kpis: list[Kpi]
    evaluations: dict[int, core.Evaluation]
    next_period: Period
    next_kpis: list[Kpi]


def review(
    *, organisation: Organisation, period: Period, next_period: Period, today: dt.date
) -> Review:
    """Every KPI of the period: those that have ended with their verdict, the others
    where they stood at the period's end (or today, while the period runs); and the KPIs
    already set for the next period."""
    as_of = min(today, period.end)
    kpis = kpi_list(organisation=organisation, period=period)
    ended = [k for k in kpis if k.end < today and k.end <= period.end]
    running = [k for k in kpis if not (k.end < today and k.end <= period.end)]
    # Any date after a KPI's end gives its verdict (computed as of the end).
    evaluations = kpi_evaluations(organisation=organisation, kpis=ended, as_of=today)
    evaluations.update(kpi_evaluations(organisation=organisation, kpis=running, as_of=as_of))
    next_kpis = [
        k
        for k in kpi_list(organisation=organisation, period=next_period)
        if k.start >= next_period.start
    ]
    return Review(period, as_of, kpis, evaluations, next_period, next_kpis)
