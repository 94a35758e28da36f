"""Reads of the web pages, composed from the KPI selectors.

Every read is scoped to one organisation and costs a fixed number of queries, however
many KPIs the organisation has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from fokus.accounts.models import Organisation
from fokus.core import kpi as core
from fokus.core.periods import Period
from fokus.kpis.models import CheckIn, ChecklistItem, Kpi, Measure
from fokus.kpis.selectors import checkins_by_kpi, kpi_evaluations, kpi_list, kpi_queryset


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

    @property
    def focus_count(self) -> int:
        return sum(1 for kpi in self.kpis if kpi.focus)


def _attach(kpis: list[Kpi], organisation: Organisation) -> None:
    """The KPIs all belong to ``organisation``: share it instead of one query per KPI."""
    for kpi in kpis:
        kpi.organisation = organisation


def _points(kpi: Kpi, today: dt.date) -> list[core.CheckIn]:
    return checkins_by_kpi([kpi], today).get(kpi.pk, [])


def dashboard(*, organisation: Organisation, period: Period, today: dt.date) -> Dashboard:
    """The period's KPIs (focus first) evaluated in bulk, and the data of the one charted:
    the first focus KPI, else the first KPI."""
    kpis = kpi_list(organisation=organisation, period=period)
    _attach(kpis, organisation)
    evaluations = kpi_evaluations(organisation=organisation, kpis=kpis, as_of=today)
    chart = None
    if kpis:
        first = kpis[0]  # the model orders focus KPIs first
        chart = KpiData(first, evaluations[first.pk], _points(first, today))
    return Dashboard(kpis=kpis, evaluations=evaluations, chart=chart)


def kpi_data(*, organisation: Organisation, pk: int, today: dt.date) -> KpiData:
    """One KPI of the organisation with its evaluation; 404 for any other KPI."""
    kpi = get_object_or_404(kpi_queryset(organisation), pk=pk)
    _attach([kpi], organisation)
    evaluation = kpi_evaluations(organisation=organisation, kpis=[kpi], as_of=today)[kpi.pk]
    return KpiData(kpi, evaluation, _points(kpi, today))


def kpi_checkins(kpi: Kpi) -> QuerySet[CheckIn]:
    """The KPI's check-ins, newest first."""
    return CheckIn.objects.filter(kpi=kpi).order_by("-date", "-id")


def kpi_items(kpi: Kpi) -> QuerySet[ChecklistItem]:
    """The items of a checklist KPI, in their order."""
    if kpi.measure != Measure.CHECKLIST:
        return ChecklistItem.objects.none()
    return kpi.items.order_by("position", "id")
