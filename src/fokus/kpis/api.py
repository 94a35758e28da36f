"""KPIs and check-ins over the REST API: the same services and selectors as the web UI
and the CLI. Another organisation's KPI is a 404; viewers may only read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal, NotRequired

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, HeaderEx, P, Router, Schema, Status
from pydantic import BaseModel
from typing_extensions import TypedDict

from fokus.accounts.http import ApiRequest
from fokus.accounts.models import Organisation
from fokus.api.common import require_editor
from fokus.api.idempotency import HEADER, MAX_KEY, idempotent
from fokus.api.schemas import problems
from fokus.core.periods import parse_period
from fokus.errors import InputError, NotFound, ProductError, RowErrors, RowProblem, row_problem
from fokus.kpis import services
from fokus.kpis.bulk import CheckinRow, checkins_bulk_record, checkins_check
from fokus.kpis.errors import KpiError
from fokus.kpis.models import CheckIn, Kpi, Source
from fokus.kpis.selectors import kpi_evaluations, kpi_get, kpi_list, kpi_lookup
from fokus.kpis.shapes import BulkOut, CheckinOut, KpiOut, checkin_to_dict, kpi_to_dict
from fokus.values import VALUE_PLACES, check_text, external_id_of, kept_decimal, parse_value

kpis_router = Router(tags=["KPIs"])
checkins_router = Router(tags=["Check-ins"])

BULK_LIMIT = 1000

Category = Literal["sales", "marketing", "service", "other"]
UnitName = Literal["count", "currency", "percent", "rank", "number"]
DirectionName = Literal["increase", "decrease"]
MeasureName = Literal["sum", "last", "average", "checklist"]
IntervalName = Literal["week", "month", "quarter"]
CadenceName = Literal["weekly", "monthly", ""]


class MilestoneIn(Schema):
    date: dt.date
    value: Decimal


class KpiIn(Schema):
    name: str
    period: str | None = Field(None, description="2027, 2027-K2, 2027-Q2 or 2027-05")
    start: dt.date | None = None
    end: dt.date | None = None
    target: Decimal | None = None
    baseline: Decimal = Decimal(0)
    unit: UnitName = "count"
    unit_label: str = ""
    direction: DirectionName = "increase"
    measure: MeasureName = "sum"
    milestones: list[MilestoneIn] = []
    interval: IntervalName | None = None
    interval_target: Decimal | None = None
    items: list[str] = []
    category: Category = "other"
    description: str = ""
    cadence: CadenceName | None = Field("", description='null or "": no reminder cadence')
    focus: bool = False
    customer: int | None = None
    allow_duplicate: bool = Field(
        False,
        description="create the KPI even when one of the same name and period exists "
        "(else that is refused: 422, code kpi_exists, field name)",
    )


class KpiPatch(Schema):
    name: str | None = None
    period: str | None = Field(None, description="sets start and end: 2027, 2027-K2 or 2027-05")
    description: str | None = None
    category: Category | None = None
    unit: UnitName | None = None
    unit_label: str | None = None
    direction: DirectionName | None = None
    measure: MeasureName | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    baseline: Decimal | None = None
    target: Decimal | None = None
    milestones: list[MilestoneIn] | None = None
    interval: IntervalName | None = None
    interval_target: Decimal | None = None
    cadence: CadenceName | None = None
    focus: bool | None = None
    customer: int | None = None


NULLABLE = {"interval", "interval_target", "customer", "cadence"}

# The optional header of the POSTs that support it, declared for the schema only:
# ``idempotent`` reads and checks it from the request itself.
IdempotencyKey = HeaderEx[
    str | None,
    P(
        alias=HEADER,
        description=f"Optional. A repeated request with the same key (at most {MAX_KEY} "
        "printable characters, kept 24 hours) gets the first answer and writes nothing "
        "again; the same key with another body is refused (422).",
    ),
]


class CheckinIn(Schema):
    date: dt.date | None = Field(None, description="default: today")
    value: Decimal
    note: str = ""
    external_id: str | None = None


class CheckinPatch(Schema):
    date: dt.date | None = None
    value: Decimal | None = None
    note: str | None = None


class BulkItem(TypedDict):
    """One check-in of a bulk request (a typed dict: a thousand of them are validated per
    request, and a dict is built faster than a model instance)."""

    kpi: Annotated[int | str, Field(description="id or slug")]
    date: dt.date
    value: Decimal
    note: NotRequired[str]
    external_id: NotRequired[str | None]


class BulkIn(BaseModel):
    checkins: list[BulkItem] = Field(json_schema_extra={"maxItems": BULK_LIMIT})


def _kpi(request: ApiRequest, ref: str) -> Kpi:
    if "\x00" in ref:
        raise NotFound("unknown_kpi", ref=ref.replace("\x00", ""))
    return kpi_get(organisation=request.organisation, ref=ref)


def _value(raw: Decimal | None, field: str) -> Decimal | None:
    return None if raw is None else parse_value(raw, field=field)


def _with_evaluation(request: ApiRequest, kpi: Kpi, as_of: dt.date | None) -> KpiOut:
    organisation = request.organisation
    kpi = kpi_get(organisation=organisation, ref=kpi.pk)
    day = as_of or request.today
    evaluation = kpi_evaluations(organisation=organisation, kpis=[kpi], as_of=day)[kpi.pk]
    return kpi_to_dict(kpi, evaluation)


@kpis_router.get("", response={200: list[KpiOut], **problems(422)}, summary="List KPIs")
def list_kpis(request: ApiRequest, period: str | None = None, as_of: dt.date | None = None) -> Any:
    """The organisation's KPIs (those overlapping ``period`` when given), each with its
    evaluation as of ``as_of`` (default today)."""
    organisation = request.organisation
    chosen = parse_period(check_text(period, field="period")) if period else None
    kpis = kpi_list(organisation=organisation, period=chosen)
    day = as_of or request.today
    evaluations = kpi_evaluations(organisation=organisation, kpis=kpis, as_of=day)
    return [kpi_to_dict(kpi, evaluations[kpi.pk]) for kpi in kpis]


@kpis_router.post("", response={201: KpiOut, **problems(403, 422)}, summary="Create a KPI")
def create_kpi(request: ApiRequest, payload: KpiIn, idempotency_key: IdempotencyKey = None) -> Any:
    """A concrete number and a period: give ``period`` or both ``start`` and ``end``.
    A KPI with the name (case and spaces aside) and the period of one the organisation
    has already is refused with 422 (code ``kpi_exists``, field ``name``, naming the
    existing KPI), so that nothing is recorded twice; send ``"allow_duplicate": true``
    to create it all the same. Supports ``Idempotency-Key``."""
    require_editor(request)
    organisation = request.organisation

    def create() -> tuple[int, Any]:
        if payload.period:
            if payload.start or payload.end:
                raise KpiError("period_required", field="period")
            period = parse_period(check_text(payload.period, field="period"))
            start, end = period.start, period.end
        elif payload.start and payload.end:
            start, end = payload.start, payload.end
        else:
            raise KpiError("period_required", field="period")
        spec = services.KpiSpec(
            name=payload.name,
            start=start,
            end=end,
            target=_value(payload.target, "target"),
            baseline=parse_value(payload.baseline, field="baseline"),
            unit=payload.unit,
            unit_label=payload.unit_label,
            direction=payload.direction,
            measure=payload.measure,
            milestones=[
                (m.date, parse_value(m.value, field="milestones")) for m in payload.milestones
            ],
            interval=payload.interval,
            interval_target=_value(payload.interval_target, "interval_target"),
            items=payload.items,
            category=payload.category,
            description=payload.description,
            cadence=payload.cadence or "",
            focus=payload.focus,
            customer_id=payload.customer,  # another organisation's: refused by the service
        )
        kpi = services.kpi_create(
            organisation=organisation,
            spec=spec,
            user=request.user,
            allow_duplicate=payload.allow_duplicate,
        )
        return 201, _with_evaluation(request, kpi, None)

    return idempotent(request, create)


@kpis_router.get("/{ref}", response={200: KpiOut, **problems(404, 422)}, summary="Read a KPI")
def read_kpi(request: ApiRequest, ref: str, as_of: dt.date | None = None) -> Any:
    """One KPI (id or slug) with its evaluation as of ``as_of`` (default today)."""
    kpi = _kpi(request, ref)
    return _with_evaluation(request, kpi, as_of)


@kpis_router.patch(
    "/{ref}", response={200: KpiOut, **problems(403, 404, 422)}, summary="Change a KPI"
)
def update_kpi(request: ApiRequest, ref: str, payload: KpiPatch) -> Any:
    """Change fields of a KPI; every change of its target or definition is recorded."""
    require_editor(request)
    kpi = _kpi(request, ref)
    changes: dict[str, Any] = {}
    data = payload.dict(exclude_unset=True)
    if data.get("period") is not None:
        if "start" in data or "end" in data:
            raise KpiError("period_required", field="period")
        period = parse_period(check_text(data.pop("period"), field="period"))
        data.update(start=period.start, end=period.end)
    for name, value in data.items():
        if value is None and name not in NULLABLE:
            raise InputError("required", field=name)
        if name in ("target", "baseline", "interval_target"):
            value = _value(value, name)
        elif name == "milestones":
            value = [(m["date"], parse_value(m["value"], field="milestones")) for m in value]
        elif name == "customer":
            name = "customer_id"  # the service refuses another organisation's customer
        elif name == "cadence":
            value = value or ""  # read as null when there is none
        changes[name] = value
    if "interval" in changes and changes["interval"] is None:
        changes.setdefault("interval_target", None)
    services.kpi_update(kpi=kpi, user=request.user, **changes)
    return _with_evaluation(request, kpi, None)


@kpis_router.delete("/{ref}", response={204: None, **problems(403, 404)}, summary="Archive a KPI")
def archive_kpi(request: ApiRequest, ref: str) -> Any:
    """Archive: the KPI leaves lists and the API; its history stays."""
    require_editor(request)
    kpi = _kpi(request, ref)
    services.kpi_archive(kpi=kpi, user=request.user, now=timezone.now())
    return Status(204, None)


@kpis_router.get(
    "/{ref}/checkins", response={200: list[CheckinOut], **problems(404, 422)}, summary="Check-ins"
)
def list_checkins(
    request: ApiRequest,
    ref: str,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: Annotated[int, Field(ge=1, le=10000)] = 1000,
    offset: Annotated[int, Field(ge=0, le=10_000_000)] = 0,
) -> Any:
    """The KPI's check-ins in date order (``since``/``until`` inclusive)."""
    kpi = _kpi(request, ref)
    rows = CheckIn.objects.filter(kpi=kpi).order_by("date", "id")
    if since:
        rows = rows.filter(date__gte=since)
    if until:
        rows = rows.filter(date__lte=until)
    return [checkin_to_dict(c) for c in rows[offset : offset + limit]]


@kpis_router.post(
    "/{ref}/checkins",
    response={200: CheckinOut, 201: CheckinOut, **problems(403, 404, 422)},
    summary="Add a check-in",
)
def add_checkin(
    request: ApiRequest, ref: str, payload: CheckinIn, idempotency_key: IdempotencyKey = None
) -> Any:
    """Record one check-in (201); one with the ``external_id`` of a stored check-in of
    the same KPI is not stored again (200 with the stored one). Supports
    ``Idempotency-Key``."""
    require_editor(request)
    kpi = _kpi(request, ref)

    def record() -> tuple[int, Any]:
        checkin, created = services.checkin_record(
            kpi=kpi,
            date=payload.date or request.today,
            value=parse_value(payload.value),
            user=request.user,
            source=Source.API,
            note=payload.note,
            external_id=payload.external_id,
        )
        return (201 if created else 200), checkin_to_dict(checkin)

    return idempotent(request, record)


def _bulk_rows(organisation: Organisation, items: list[BulkItem]) -> list[CheckinRow]:
    resolve = kpi_lookup(organisation, refs={item["kpi"] for item in items})
    known: dict[int | str, Any] = {}
    rows: list[CheckinRow] = []
    bad: list[RowProblem] = []
    for index, item in enumerate(items):
        ref = item["kpi"]
        kpi = known.get(ref)
        if kpi is None:
            try:
                kpi = known[ref] = resolve(str(ref))
            except ProductError as error:
                bad.append(row_problem(index, "kpi", error))
                continue
        rows.append(
            CheckinRow(
                index,
                kpi,
                item["date"],
                kept_decimal(item["value"], VALUE_PLACES),
                item.get("note", ""),
                external_id_of(item.get("external_id")),
            )
        )
    if bad:
        raise RowErrors(sorted([*bad, *checkins_check(rows)], key=lambda p: p.row))
    return rows


@checkins_router.post(
    "/bulk",
    response={200: BulkOut, 201: BulkOut, **problems(403, 422)},
    summary="Add many check-ins",
)
def bulk_checkins(
    request: ApiRequest, payload: BulkIn, idempotency_key: IdempotencyKey = None
) -> HttpResponse:
    """At most 1,000 check-ins, all or nothing: a bad item fails the request with a
    problem listing every bad item (``index``, ``field``, ``message``). Items whose
    ``(kpi, external_id)`` is stored already are not stored again. With an
    ``Idempotency-Key`` (kept 24 hours) a repeated request gets the first answer."""
    require_editor(request)
    organisation = request.organisation
    count = len(payload.checkins)
    if count > BULK_LIMIT:
        raise KpiError("too_many_items", field="checkins", limit=BULK_LIMIT, count=count)
    if not count:
        raise KpiError("no_items", field="checkins")

    def record() -> tuple[int, Any]:
        rows = _bulk_rows(organisation, payload.checkins)
        result = checkins_bulk_record(
            rows=rows, user=request.user, source=Source.API, now=timezone.now()
        )
        body = {
            "created": result.created,
            "unchanged": result.unchanged,
            "checkins": [
                {"id": pk, "external_id": external_id, "created": new}
                for pk, external_id, new in result.checkins
            ],
        }
        return (201 if result.created else 200), body

    return idempotent(request, record)


def _checkin(request: ApiRequest, pk: int) -> CheckIn:
    checkin = (
        CheckIn.objects.select_related("kpi")
        .filter(pk=pk, kpi__organisation=request.organisation, kpi__archived_at__isnull=True)
        .first()
    )
    if checkin is None:
        raise NotFound("unknown_checkin", ref=pk)
    return checkin


@checkins_router.patch(
    "/{pk}", response={200: CheckinOut, **problems(403, 404, 422)}, summary="Correct a check-in"
)
def update_checkin(request: ApiRequest, pk: int, payload: CheckinPatch) -> Any:
    require_editor(request)
    checkin = _checkin(request, pk)
    data = payload.dict(exclude_unset=True)
    for name in ("date", "value", "note"):
        if name in data and data[name] is None:
            raise InputError("required", field=name)
    services.checkin_update(
        checkin=checkin,
        user=request.user,
        date=data.get("date"),
        value=_value(data.get("value"), "value"),
        note=data.get("note"),
        now=timezone.now(),
    )
    return checkin_to_dict(checkin)


@checkins_router.delete(
    "/{pk}", response={204: None, **problems(403, 404)}, summary="Delete a check-in"
)
def delete_checkin(request: ApiRequest, pk: int) -> Any:
    require_editor(request)
    services.checkin_delete(checkin=_checkin(request, pk))
    return Status(204, None)
