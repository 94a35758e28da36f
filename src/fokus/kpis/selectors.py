"""Reads of KPIs and their evaluations, always scoped to one organisation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from fokus.accounts.models import Organisation
from fokus.core import kpi as core
from fokus.core.periods import Period
from fokus.kpis.errors import KpiError
from fokus.kpis.models import CheckIn, ChecklistItem, Kpi, Measure, Milestone


def kpi_queryset(organisation: Organisation) -> QuerySet[Kpi]:
    return (
        Kpi.objects.filter(organisation=organisation, archived_at__isnull=True)
        .select_related("organisation")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("date")))
    )


def kpi_get(*, organisation: Organisation, ref: str | int) -> Kpi:
    """A KPI of the organisation by id or slug."""
    text = str(ref).strip()
    lookup = Q(slug=text)
    if text.isdigit():
        lookup |= Q(pk=int(text))
    kpi = kpi_queryset(organisation).filter(lookup).order_by("pk").first()
    if kpi is None:
        raise KpiError("unknown_kpi", field="kpi", ref=ref)
    return kpi


def kpi_list(*, organisation: Organisation, period: Period | None = None) -> list[Kpi]:
    """The organisation's KPIs, those overlapping ``period`` when one is given."""
    queryset = kpi_queryset(organisation)
    if period is not None:
        queryset = queryset.filter(start__lte=period.end, end__gte=period.start)
    return list(queryset)


def thresholds_of(organisation: Organisation) -> core.Thresholds:
    return core.Thresholds(
        on_track=Decimal(organisation.on_track_ratio), at_risk=Decimal(organisation.at_risk_ratio)
    )


def kpi_definition(kpi: Kpi) -> core.KpiDefinition:
    return core.KpiDefinition(
        start=kpi.start,
        end=kpi.end,
        baseline=kpi.baseline,
        target=kpi.target,
        direction=core.Direction(kpi.direction),
        measure=core.Measure(kpi.measure),
        milestones=tuple(core.Milestone(date=m.date, value=m.value) for m in kpi.milestones.all()),
        interval=core.IntervalKind(kpi.interval) if kpi.interval else None,
        interval_target=kpi.interval_target,
    )


def checkins_by_kpi(kpis: list[Kpi], as_of: dt.date) -> dict[int, list[core.CheckIn]]:
    """The data points of many KPIs in two queries: check-ins, and ticked checklist items."""
    points: dict[int, list[core.CheckIn]] = defaultdict(list)
    plain = [k.pk for k in kpis if k.measure != Measure.CHECKLIST]
    checklists = [k.pk for k in kpis if k.measure == Measure.CHECKLIST]
    if plain:
        rows = CheckIn.objects.filter(kpi_id__in=plain, date__lte=as_of).values_list(
            "kpi_id", "date", "value", "id"
        )
        for kpi_id, date, value, pk in rows.iterator(chunk_size=5000):
            points[kpi_id].append(core.CheckIn(date=date, value=value, seq=pk))
    if checklists:
        done = ChecklistItem.objects.filter(
            kpi_id__in=checklists, done_on__isnull=False, done_on__lte=as_of
        ).values_list("kpi_id", "done_on", "id")
        for kpi_id, done_on, pk in done:
            assert done_on is not None
            points[kpi_id].append(core.CheckIn(date=done_on, value=Decimal(1), seq=pk))
    return points


def kpi_evaluations(
    *, organisation: Organisation, kpis: list[Kpi], as_of: dt.date
) -> dict[int, core.Evaluation]:
    thresholds = thresholds_of(organisation)
    points = checkins_by_kpi(kpis, as_of)
    return {
        kpi.pk: core.evaluate(kpi_definition(kpi), points.get(kpi.pk, ()), as_of, thresholds)
        for kpi in kpis
    }


def kpi_evaluate(*, kpi: Kpi, as_of: dt.date) -> core.Evaluation:
    return kpi_evaluations(organisation=kpi.organisation, kpis=[kpi], as_of=as_of)[kpi.pk]


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def kpi_to_dict(kpi: Kpi, evaluation: core.Evaluation | None = None) -> dict[str, Any]:
    """The KPI JSON shared by the UI, the CLI ``--json`` and the API."""
    data: dict[str, Any] = {
        "id": kpi.pk,
        "slug": kpi.slug,
        "name": kpi.name,
        "description": kpi.description,
        "category": kpi.category,
        "unit": kpi.unit,
        "unit_label": kpi.unit_label,
        "direction": kpi.direction,
        "measure": kpi.measure,
        "start": kpi.start.isoformat(),
        "end": kpi.end.isoformat(),
        "baseline": _number(kpi.baseline),
        "target": _number(kpi.target),
        "interval": kpi.interval or None,
        "interval_target": _number(kpi.interval_target),
        "milestones": [
            {"date": m.date.isoformat(), "value": _number(m.value)} for m in kpi.milestones.all()
        ],
        "cadence": kpi.cadence or None,
        "focus": kpi.focus,
        "customer": kpi.customer_id,
    }
    if evaluation is not None:
        data["evaluation"] = evaluation.as_dict()
    return data


def checkin_to_dict(checkin: CheckIn) -> dict[str, Any]:
    return {
        "id": checkin.pk,
        "kpi": checkin.kpi_id,
        "date": checkin.date.isoformat(),
        "value": _number(checkin.value),
        "note": checkin.note,
        "source": checkin.source,
        "external_id": checkin.external_id,
        "created_at": checkin.created_at.isoformat(),
    }
