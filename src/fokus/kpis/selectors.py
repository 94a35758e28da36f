"""Reads of KPIs and their evaluations, always scoped to one organisation, and what the
KPI pages read, composed from them.

Every read costs a fixed number of queries, however many KPIs, check-ins or changes
there are."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import caches
from django.db.models import CharField, Count, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404

from fokus.accounts.models import Organisation
from fokus.core import kpi as core
from fokus.core.periods import Period
from fokus.errors import NotFound
from fokus.kpis.errors import KpiError
from fokus.kpis.models import (
    CheckIn,
    ChecklistItem,
    Kpi,
    KpiChange,
    KpiDataStamp,
    Measure,
    Milestone,
)
from fokus.ui import periods as ui_periods

KPI_CACHE = "kpis"
# Part of every cache key: raise it when a change to the engine changes its results.
EVALUATION_CACHE_VERSION = 1


# The milestones of many KPIs in one query, as a plain list per KPI (``Kpi.sub_goals``):
# a related manager's queryset per KPI would cost more than the query itself.
MILESTONES = Prefetch(
    "milestones", queryset=Milestone.objects.order_by("date"), to_attr="milestone_list"
)


def kpi_queryset(organisation: Organisation) -> QuerySet[Kpi]:
    """The organisation's KPIs with their milestones; each KPI's ``organisation`` is set
    by ``with_organisation`` (it is the one asked for, so it is not read per row)."""
    return Kpi.objects.filter(organisation=organisation, archived_at__isnull=True).prefetch_related(
        MILESTONES
    )


def with_organisation(kpis: list[Kpi], organisation: Organisation) -> list[Kpi]:
    for kpi in kpis:
        kpi.organisation = organisation
    return kpis


def kpi_get(*, organisation: Organisation, ref: str | int) -> Kpi:
    """A KPI of the organisation by id or slug."""
    text = str(ref).strip()
    lookup = Q(slug=text)
    if text.isdigit():
        lookup |= Q(pk=int(text))
    kpi = kpi_queryset(organisation).filter(lookup).order_by("pk").first()
    if kpi is None:
        raise NotFound("unknown_kpi", ref=ref)
    return with_organisation([kpi], organisation)[0]


def kpi_list(*, organisation: Organisation, period: Period | None = None) -> list[Kpi]:
    """The organisation's KPIs, those overlapping ``period`` when one is given."""
    queryset = kpi_queryset(organisation)
    if period is not None:
        queryset = queryset.filter(start__lte=period.end, end__gte=period.start)
    return with_organisation(list(queryset), organisation)


def goal_list(*, organisation: Organisation, period: Period) -> list[Kpi]:
    """The organisation's goals overlapping ``period``: its KPIs but those that follow a
    customer (a monitor has limits and a state, not a pace or a verdict)."""
    queryset = kpi_queryset(organisation).filter(
        customer__isnull=True, start__lte=period.end, end__gte=period.start
    )
    return with_organisation(list(queryset), organisation)


def periods_with_goals(*, organisation: Organisation, periods: Collection[Period]) -> set[Period]:
    """Those of ``periods`` that some goal of the organisation overlaps (one query)."""
    periods = list(periods)
    if not periods:
        return set()
    goals = Kpi.objects.filter(
        organisation=organisation, archived_at__isnull=True, customer__isnull=True
    )
    counts = goals.aggregate(
        **{
            f"p{i}": Count("pk", filter=Q(start__lte=period.end, end__gte=period.start))
            for i, period in enumerate(periods)
        }
    )
    return {period for i, period in enumerate(periods) if counts[f"p{i}"]}


def _years_with_goals(organisation: Organisation, today: dt.date) -> set[Period]:
    years = [ui_periods.year_of(today.year), ui_periods.year_of(today.year + 1)]
    return periods_with_goals(organisation=organisation, periods=years)


def default_period(*, organisation: Organisation, today: dt.date) -> Period:
    """The period the organisation's pages show and its forms propose by default: the year
    being planned (``fokus.ui.periods.default_period``)."""
    return ui_periods.default_period(today, _years_with_goals(organisation, today))


def dashboard_periods(*, organisation: Organisation, today: dt.date) -> tuple[Period, Period]:
    """The year being planned and the period the dashboard shows by default
    (``fokus.ui.periods.shown_period``), in one query."""
    with_goals = _years_with_goals(organisation, today)
    return (
        ui_periods.default_period(today, with_goals),
        ui_periods.shown_period(today, with_goals),
    )


def kpi_lookup(
    organisation: Organisation, refs: Collection[int | str] | None = None
) -> Callable[[str], Kpi]:
    """Resolve KPI references (id, slug or exact name, case-insensitive).

    Given the ``refs`` to come, one query loads only the KPIs they name by id or slug (a
    bulk request names a few KPIs of an organisation that may have hundreds); all KPIs
    are loaded when some reference is neither, as it may be a name."""
    queryset = Kpi.objects.filter(organisation=organisation, archived_at__isnull=True).order_by()
    kpis: list[Kpi] | None = None
    if refs is not None:
        texts = {str(ref).strip() for ref in refs}
        texts = {text for text in texts if "\x00" not in text}  # never a slug; refused by SQL
        ids = [int(text) for text in texts if text.isdigit() and len(text) <= 18]
        named = list(queryset.filter(Q(pk__in=ids) | Q(slug__in=texts)))
        if texts <= {str(k.pk) for k in named} | {k.slug for k in named}:
            kpis = named
    if kpis is None:
        kpis = list(queryset)
    by_id = {str(k.pk): k for k in kpis}
    by_slug = {k.slug: k for k in kpis}
    by_name: dict[str, list[Kpi]] = {}
    for kpi in kpis:
        by_name.setdefault(kpi.name.strip().casefold(), []).append(kpi)

    def resolve(ref: str) -> Kpi:
        text = str(ref).strip()
        kpi = by_id.get(text) or by_slug.get(text)
        if kpi is not None:
            return kpi
        named = by_name.get(text.casefold(), [])
        if len(named) == 1:
            return named[0]
        if named:
            raise KpiError("ambiguous_kpi", ref=text[:80])
        raise NotFound("unknown_kpi", ref=text[:80])

    return resolve


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
        milestones=tuple(core.Milestone(date=m.date, value=m.value) for m in kpi.sub_goals()),
        interval=core.IntervalKind(kpi.interval) if kpi.interval else None,
        interval_target=kpi.interval_target,
    )


def _window(kpis: list[Kpi], as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The dates any of the KPIs' evaluations as of ``as_of`` can count: from the earliest
    start to ``as_of``, or the latest end when that comes first."""
    return min(k.start for k in kpis), min(as_of, max(k.end for k in kpis))


def checkins_by_kpi(kpis: list[Kpi], as_of: dt.date) -> dict[int, list[core.CheckIn]]:
    """The data points of many KPIs in two queries: check-ins, and ticked checklist items.

    Only what the evaluation as of ``as_of`` counts is loaded: dates within the KPIs'
    periods and not after ``as_of`` (found through the index on the KPI)."""
    points: dict[int, list[core.CheckIn]] = defaultdict(list)
    plain = [k for k in kpis if k.measure != Measure.CHECKLIST]
    checklists = [k for k in kpis if k.measure == Measure.CHECKLIST]
    if plain:
        first, last = _window(plain, as_of)
        # Dates and values come as text and are parsed once per distinct text: with
        # tens of thousands of rows, the ORM's per-row converters cost more than the
        # evaluation itself. (The values are exact either way: SQLite keeps 15 digits.)
        rows = (
            CheckIn.objects.filter(
                kpi_id__in=[k.pk for k in plain], date__gte=first, date__lte=last
            )
            .annotate(date_text=Cast("date", CharField()), value_text=Cast("value", CharField()))
            .values_list("kpi_id", "date_text", "value_text", "id")
            .order_by()
        )
        dates: dict[str, dt.date] = {}
        values: dict[str, Decimal] = {}
        for kpi_id, date_text, value_text, pk in rows.iterator(chunk_size=5000):
            date = dates.get(date_text)
            if date is None:
                date = dates[date_text] = dt.date.fromisoformat(date_text)
            value = values.get(value_text)
            if value is None:
                value = values[value_text] = Decimal(value_text)
            points[kpi_id].append(core.CheckIn(date=date, value=value, seq=pk))
    if checklists:
        first, last = _window(checklists, as_of)
        done = ChecklistItem.objects.filter(
            kpi_id__in=[k.pk for k in checklists], done_on__gte=first, done_on__lte=last
        ).values_list("kpi_id", "done_on", "id")
        for kpi_id, done_on, pk in done:
            assert done_on is not None
            points[kpi_id].append(core.CheckIn(date=done_on, value=Decimal(1), seq=pk))
    return points


def data_tokens(kpis: list[Kpi]) -> dict[int, int]:
    """Each KPI's data stamp (one query); a KPI whose data was never written has none."""
    ids = [k.pk for k in kpis]
    return dict(KpiDataStamp.objects.filter(kpi_id__in=ids).values_list("kpi_id", "token"))


def _evaluation_key(
    kpi: Kpi, token: int | None, as_of: dt.date, thresholds: core.Thresholds
) -> str:
    """The cache key of one evaluation: everything ``core.evaluate`` reads. The KPI's
    data enters as its stamp, the definition and thresholds as a digest."""
    inputs = repr((kpi_definition(kpi), thresholds)).encode()
    digest = hashlib.blake2b(inputs, digest_size=16).hexdigest()
    return f"evaluation:{EVALUATION_CACHE_VERSION}:{kpi.pk}:{token}:{as_of.isoformat()}:{digest}"


def kpi_evaluations(
    *, organisation: Organisation, kpis: list[Kpi], as_of: dt.date
) -> dict[int, core.Evaluation]:
    """The KPIs' evaluations as of ``as_of`` in a fixed number of queries (cached; see
    ``kpi_evaluations_cached``)."""
    return kpi_evaluations_cached(organisation=organisation, kpis=kpis, as_of=as_of)[0]


def kpi_evaluations_cached(
    *, organisation: Organisation, kpis: list[Kpi], as_of: dt.date
) -> tuple[dict[int, core.Evaluation], dict[int, list[core.CheckIn]]]:
    """The KPIs' evaluations as of ``as_of``, and the data points of those that had to be
    evaluated afresh (the others' points were not loaded).

    Evaluations are cached under each KPI's data stamp, which the database changes with
    every write to the KPI's check-ins or checklist items: only KPIs whose data, definition
    or thresholds changed since they were last evaluated for ``as_of`` load their points.
    The stamps are read before any point, so a write racing this read can at worst leave
    an entry under a stamp that is already gone, never a stale one under the current one.
    """
    if not kpis:
        return {}, {}
    thresholds = thresholds_of(organisation)
    tokens = data_tokens(kpis)
    keys = {kpi.pk: _evaluation_key(kpi, tokens.get(kpi.pk), as_of, thresholds) for kpi in kpis}
    store = caches[KPI_CACHE]
    cached = store.get_many(list(keys.values()))
    evaluations = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [kpi for kpi in kpis if kpi.pk not in evaluations]
    points: dict[int, list[core.CheckIn]] = {}
    if missing:
        fresh, loaded = kpi_evaluations_with_points(
            organisation=organisation, kpis=missing, as_of=as_of
        )
        points = {kpi.pk: loaded.get(kpi.pk, []) for kpi in missing}
        store.set_many({keys[pk]: evaluation for pk, evaluation in fresh.items()})
        evaluations.update(fresh)
    return evaluations, points


def kpi_evaluations_with_points(
    *, organisation: Organisation, kpis: list[Kpi], as_of: dt.date
) -> tuple[dict[int, core.Evaluation], dict[int, list[core.CheckIn]]]:
    """The KPIs' evaluations as of ``as_of`` and the data points behind them (for charts),
    in two queries however many KPIs there are."""
    if not kpis:
        return {}, {}
    thresholds = thresholds_of(organisation)
    points = checkins_by_kpi(kpis, as_of)
    evaluations = {
        kpi.pk: core.evaluate(kpi_definition(kpi), points.get(kpi.pk, ()), as_of, thresholds)
        for kpi in kpis
    }
    return evaluations, points


def kpi_evaluate(*, kpi: Kpi, as_of: dt.date) -> core.Evaluation:
    return kpi_evaluations(organisation=kpi.organisation, kpis=[kpi], as_of=as_of)[kpi.pk]


# --- What the pages read ------------------------------------------------------------


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
    the first focus KPI, else the first KPI. A KPI that follows a customer is no goal and
    is left out (the customer register shows its monitors: ``fokus.kpis.signals``)."""
    kpis = goal_list(organisation=organisation, period=period)
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
    monitors: int = 0  # the customers' monitors of the period, left out


def review(
    *, organisation: Organisation, period: Period, next_period: Period, today: dt.date
) -> Review:
    """Every KPI of the period: those that have ended with their verdict, the others
    where they stood at the period's end (or today, while the period runs); and the KPIs
    already set for the next period. A KPI that follows a customer is a monitor of the
    customer register, not a goal: it gets no verdict here (only their number is told;
    they are on the customers' pages)."""
    as_of = min(today, period.end)
    listed = kpi_list(organisation=organisation, period=period)
    kpis = [k for k in listed if k.customer_id is None]
    ended = [k for k in kpis if k.end < today and k.end <= period.end]
    running = [k for k in kpis if not (k.end < today and k.end <= period.end)]
    # Any date after a KPI's end gives its verdict (computed as of the end).
    evaluations = kpi_evaluations(organisation=organisation, kpis=ended, as_of=today)
    evaluations.update(kpi_evaluations(organisation=organisation, kpis=running, as_of=as_of))
    next_kpis = [
        k
        for k in kpi_list(organisation=organisation, period=next_period)
        if k.start >= next_period.start and k.customer_id is None
    ]
    monitors = len(listed) - len(kpis)
    return Review(period, as_of, kpis, evaluations, next_period, next_kpis, monitors)
