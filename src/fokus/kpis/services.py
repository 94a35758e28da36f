"""State changes of KPIs, milestones, checklist items and check-ins.

Every write of the web UI, the API and the CLI goes through these functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction

from fokus.accounts.models import Organisation, User
from fokus.core import kpi as core
from fokus.errors import InputError, NotFound, ProductError
from fokus.kpis.errors import KpiError
from fokus.kpis.models import (
    Category,
    CheckIn,
    ChecklistItem,
    Direction,
    Interval,
    Kpi,
    KpiChange,
    Measure,
    Milestone,
    Source,
    Unit,
)
from fokus.text import danish_slugify
from fokus.values import check_choice, check_text, external_id_of, value_check


@dataclass
class KpiSpec:
    """What a user asks for when creating or redefining a KPI."""

    name: str
    start: dt.date
    end: dt.date
    target: Decimal | None
    baseline: Decimal = Decimal(0)
    unit: str = Unit.COUNT
    unit_label: str = ""
    direction: str = Direction.INCREASE
    measure: str = Measure.SUM
    milestones: Sequence[tuple[dt.date, Decimal]] = ()
    interval: str | None = None
    interval_target: Decimal | None = None
    items: Sequence[str] = ()
    category: str = Category.OTHER
    description: str = ""
    cadence: str = ""
    focus: bool = False
    customer_id: int | None = None
    kind: str = ""  # what it measures: a template's key (``Kpi.kind``)
    errors: list[KpiError] = field(default_factory=list)


def kpi_check(spec: KpiSpec) -> core.KpiDefinition:
    """Every definition check of docs/engine.md plus the product's own; raises the first failure."""
    name = check_text(spec.name, field="name").strip()
    if not name:
        raise KpiError("name_required", field="name")
    for text_field in ("description", "unit_label"):
        check_text(getattr(spec, text_field), field=text_field)
    for item in spec.items:
        check_text(item, field="items")
    check_choice(spec.unit, Unit.values, field="unit")
    check_choice(spec.direction, Direction.values, field="direction")
    check_choice(spec.measure, Measure.values, field="measure")
    if spec.interval is not None:
        check_choice(spec.interval, Interval.values, field="interval")
    check_choice(spec.category, Category.values, field="category")
    stripped = [item.strip() for item in spec.items if item.strip()]
    if len(set(stripped)) != len(stripped):
        duplicate = next(item for item in stripped if stripped.count(item) > 1)
        raise KpiError("duplicate_item", field="items", item=duplicate)
    if not spec.interval and spec.interval_target is not None:
        raise KpiError("interval_target_needs_interval", field="interval")
    target = spec.target
    if target is None and spec.interval and spec.interval_target is not None:
        target = core.recurring_target(
            spec.start, spec.end, core.IntervalKind(spec.interval), spec.interval_target
        )
    if target is None and spec.measure == Measure.CHECKLIST and stripped:
        target = spec.baseline + len(stripped)
    if target is None:
        raise KpiError("target_required", field="target")
    spec.target = target
    definition = core.KpiDefinition(
        start=spec.start,
        end=spec.end,
        baseline=spec.baseline,
        target=target,
        direction=core.Direction(spec.direction),
        measure=core.Measure(spec.measure),
        milestones=tuple(core.Milestone(date=d, value=v) for d, v in sorted(spec.milestones)),
        interval=core.IntervalKind(spec.interval) if spec.interval else None,
        interval_target=spec.interval_target,
    )
    core.check_definition(definition)
    return definition


def _check_customer(organisation_id: int, customer_id: int | None) -> None:
    """A KPI may only follow a customer of its own organisation; another organisation's
    customer is refused as unknown (its existence is not revealed). The customer register
    builds on the KPIs (a monitor is a KPI of a customer), so the customer is looked up
    through the KPI's relation, not by importing the register."""
    customers = Kpi._meta.get_field("customer").related_model._default_manager
    if (
        customer_id is not None
        and not customers.filter(organisation_id=organisation_id, pk=customer_id).exists()
    ):
        raise NotFound("unknown_customer", field="customer", ref=customer_id)


def _unique_slug(organisation: Organisation, name: str) -> str:
    base = danish_slugify(name) or "kpi"
    taken = set(
        Kpi.objects.filter(organisation=organisation, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def folded_name(name: str) -> str:
    """A name as KPIs are compared: case and runs of spaces do not count."""
    return " ".join(name.split()).casefold()


def kpi_duplicates(
    *, organisation: Organisation, spec: KpiSpec, exclude: Sequence[int] = ()
) -> list[Kpi]:
    """The KPIs with ``spec``'s name and period, following the same customer (or none);
    archived ones aside."""
    name = folded_name(spec.name)
    rows = Kpi.objects.filter(
        organisation=organisation, archived_at__isnull=True, start=spec.start, end=spec.end
    )
    if spec.customer_id is None:
        rows = rows.filter(customer__isnull=True)
    else:
        rows = rows.filter(customer_id=spec.customer_id)
    rows = rows.exclude(pk__in=list(exclude)).order_by("pk")
    return [kpi for kpi in rows if folded_name(kpi.name) == name]


@transaction.atomic
def kpi_create(
    *,
    organisation: Organisation,
    spec: KpiSpec,
    user: User | None = None,
    allow_duplicate: bool = True,
) -> Kpi:
    """Create a KPI. With ``allow_duplicate`` False one with the name and period of an
    existing KPI is refused (``kpi_exists``): the API and the CLI ask for it to be said."""
    _check_customer(organisation.pk, spec.customer_id)
    kpi_check(spec)
    if not allow_duplicate:
        existing = kpi_duplicates(organisation=organisation, spec=spec)
        if existing:
            raise KpiError(
                "kpi_exists",
                field="name",
                kpi=existing[0].name,
                id=existing[0].pk,
                start=spec.start.isoformat(),
                end=spec.end.isoformat(),
            )
    kpi = Kpi.objects.create(
        organisation=organisation,
        slug=_unique_slug(organisation, spec.name),
        name=spec.name.strip(),
        description=spec.description,
        category=spec.category,
        owner=user,
        unit=spec.unit,
        unit_label=spec.unit_label,
        direction=spec.direction,
        measure=spec.measure,
        start=spec.start,
        end=spec.end,
        baseline=spec.baseline,
        target=spec.target,
        interval=spec.interval or None,
        interval_target=spec.interval_target if spec.interval else None,
        cadence=spec.cadence,
        focus=spec.focus,
        customer_id=spec.customer_id,
        kind=spec.kind[: Kpi._meta.get_field("kind").max_length or 40],
    )
    Milestone.objects.bulk_create(
        [Milestone(kpi=kpi, date=d, value=v) for d, v in sorted(spec.milestones)]
    )
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(kpi=kpi, name=name.strip(), position=i)
            for i, name in enumerate(item for item in spec.items if item.strip())
        ]
    )
    return kpi


TRACKED_FIELDS = (
    "name",
    "start",
    "end",
    "baseline",
    "target",
    "direction",
    "measure",
    "interval",
    "interval_target",
    "unit",
    "unit_label",
)


def kpi_spec_of(kpi: Kpi) -> KpiSpec:
    """The spec a KPI was made from, for editing it."""
    return KpiSpec(
        name=kpi.name,
        start=kpi.start,
        end=kpi.end,
        target=kpi.target,
        baseline=kpi.baseline,
        unit=kpi.unit,
        unit_label=kpi.unit_label,
        direction=kpi.direction,
        measure=kpi.measure,
        milestones=[(m.date, m.value) for m in kpi.sub_goals()],
        interval=kpi.interval,
        interval_target=kpi.interval_target,
        category=kpi.category,
        description=kpi.description,
        cadence=kpi.cadence,
        focus=kpi.focus,
        customer_id=kpi.customer_id,
        kind=kpi.kind,
    )


def _history_text(value: object) -> str:
    """A field's value as the history keeps it: a number without the trailing zeros of
    its column (800, not 800.0000000000), so an unchanged number is no change."""
    if isinstance(value, Decimal) and value.is_finite():
        return format(value.normalize(), "f") if value else "0"
    return "" if value is None else str(value)


@transaction.atomic
def kpi_update(*, kpi: Kpi, user: User | None, **changes: object) -> Kpi:
    """Change a KPI's definition; each changed target/definition field is recorded."""
    spec = kpi_spec_of(kpi)
    old_milestones = list(spec.milestones)
    for name, value in changes.items():
        if not hasattr(spec, name) or name in ("items", "errors"):
            raise TypeError(f"kpi_update() got an unexpected field {name!r}")
        setattr(spec, name, value)
    if spec.customer_id != kpi.customer_id:
        _check_customer(kpi.organisation_id, spec.customer_id)
    kpi_check(spec)
    history = []
    for name in TRACKED_FIELDS:
        old, new = getattr(kpi, name), getattr(spec, name)
        if _history_text(old) != _history_text(new):
            history.append(
                KpiChange(
                    kpi=kpi, user=user, field=name, old=_history_text(old), new=_history_text(new)
                )
            )
    if sorted(old_milestones) != sorted(spec.milestones):
        Milestone.objects.filter(kpi=kpi).delete()
        kpi.milestone_list = Milestone.objects.bulk_create(  # type: ignore[attr-defined]
            [Milestone(kpi=kpi, date=d, value=v) for d, v in sorted(spec.milestones)]
        )
        history.append(
            KpiChange(
                kpi=kpi,
                user=user,
                field="milestones",
                old=", ".join(f"{d}:{v}" for d, v in sorted(old_milestones)),
                new=", ".join(f"{d}:{v}" for d, v in sorted(spec.milestones)),
            )
        )
    extra = ("category", "description", "cadence", "focus", "customer_id", "kind")
    for name in (*TRACKED_FIELDS, *extra):
        setattr(kpi, name, getattr(spec, name))
    kpi.save()
    KpiChange.objects.bulk_create(history)
    return kpi


EXTERNAL_ID_MAX = CheckIn._meta.get_field("external_id").max_length or 200


def checkin_problems(
    *, kpi: Kpi, value: Decimal, note: str, external_id: str | None
) -> list[tuple[str, ProductError]]:
    """Every reason a check-in of ``kpi`` with this value, note and external id is refused,
    as (the field a table of check-ins shows it at, error); none when it can be recorded.
    The one rule of a valid check-in: ``checkin_record``, the bulk path (the API's and the
    import's) and the import's preview all check with it. Any date is taken: one outside
    the KPI's period is kept but does not count (``Kpi.in_period``)."""
    problems: list[tuple[str, ProductError]] = []
    if kpi.measure == Measure.CHECKLIST:
        problems.append(("kpi", KpiError("checklist_needs_tick", field="value", kpi=kpi.name)))
    texts = (("note", note, None), ("external_id", external_id, EXTERNAL_ID_MAX))
    for name, text, limit in texts:
        if text is None:
            continue
        try:
            check_text(text, field=name, limit=limit)
        except InputError as refused:
            problems.append((name, refused))
    error = value_check(value)
    if error is not None:
        problems.append(("value", error))
    return problems


def checkin_record(
    *,
    kpi: Kpi,
    date: dt.date,
    value: Decimal,
    user: User | None = None,
    source: str = Source.MANUAL,
    note: str = "",
    external_id: str | None = None,
) -> tuple[CheckIn, bool]:
    """Record one check-in. Returns (check-in, created); a repeated external_id is not
    stored twice. A check-in dated outside the KPI's period is stored but does not count
    (docs/engine.md counts only check-ins with ``start <= date <= t``): see ``Kpi.in_period``."""
    external_id = external_id_of(external_id)
    problems = checkin_problems(kpi=kpi, value=value, note=note, external_id=external_id)
    if problems:
        raise problems[0][1]
    if external_id is not None:
        existing = CheckIn.objects.filter(kpi=kpi, external_id=external_id).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                kpi=kpi,
                date=date,
                value=value,
                note=note,
                source=source,
                external_id=external_id,
                created_by=user,
            )
    except IntegrityError:
        # A concurrent request stored the same (kpi, external_id) first.
        return CheckIn.objects.get(kpi=kpi, external_id=external_id), False
    return checkin, True


def checkin_update(
    *,
    checkin: CheckIn,
    user: User | None,
    date: dt.date | None = None,
    value: Decimal | None = None,
    note: str | None = None,
    now: dt.datetime,
) -> CheckIn:
    """Correct a check-in; who changed it and when is kept on the row."""
    if date is not None:
        checkin.date = date
    if value is not None:
        checkin.value = value
    if note is not None:
        checkin.note = check_text(note, field="note")
    checkin.updated_by = user
    checkin.updated_at = now
    checkin.save(update_fields=["date", "value", "note", "updated_by", "updated_at"])
    return checkin


@transaction.atomic
def checkin_delete(*, checkin: CheckIn, user: User | None = None) -> None:
    """Delete a check-in; with a ``user`` the deletion is kept in the KPI's history."""
    if user is not None:
        KpiChange.objects.create(
            kpi_id=checkin.kpi_id,
            user=user,
            field="checkin_deleted",
            old=f"{checkin.date.isoformat()}: {checkin.value}",
            new="",
        )
    checkin.delete()


def kpi_archive(*, kpi: Kpi, user: User | None, now: dt.datetime) -> Kpi:
    """Archive a KPI: it leaves lists and the API, its history stays."""
    if kpi.archived_at is None:
        kpi.archived_at = now
        kpi.save(update_fields=["archived_at"])
        KpiChange.objects.create(kpi=kpi, user=user, field="archived", old="", new="archived")
    return kpi


def checklist_find_item(*, kpi: Kpi, ref: str) -> ChecklistItem:
    if kpi.measure != Measure.CHECKLIST:
        raise KpiError("not_a_checklist", field="item", kpi=kpi.name)
    items = kpi.items.all()
    item = items.filter(name__iexact=ref.strip()).first()
    if item is None and ref.strip().isdigit():
        item = items.filter(pk=int(ref)).first()
    if item is None:
        raise KpiError("unknown_item", field="item", kpi=kpi.name, ref=ref)
    return item


def checklist_tick(
    *, kpi: Kpi, item: ChecklistItem, date: dt.date, user: User | None = None
) -> ChecklistItem:
    if item.kpi_id != kpi.pk:
        raise KpiError("unknown_item", field="item", kpi=kpi.name, ref=item.name)
    if not kpi.in_period(date):  # an item ticked off before the period could never count
        raise KpiError(
            "checkin_outside_period", field="date", date=date, start=kpi.start, end=kpi.end
        )
    if item.done_on is not None:
        raise KpiError("item_already_done", field="item", item=item.name, date=item.done_on)
    item.done_on = date
    item.done_by = user
    item.save(update_fields=["done_on", "done_by"])
    return item


def checklist_untick(*, item: ChecklistItem) -> ChecklistItem:
    item.done_on = None
    item.done_by = None
    item.save(update_fields=["done_on", "done_by"])
    return item


__all__ = [
    "KpiSpec",
    "checkin_delete",
    "checkin_record",
    "checkin_update",
    "checklist_find_item",
    "checklist_tick",
    "checklist_untick",
    "folded_name",
    "kpi_archive",
    "kpi_check",
    "kpi_create",
    "kpi_duplicates",
    "kpi_spec_of",
    "kpi_update",
]
