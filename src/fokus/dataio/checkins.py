"""Many check-ins at once, for the bulk API and the import: validated with the same rules
as ``fokus.kpis.services.checkin_record`` and stored with multi-row INSERTs in one
transaction. A repeated ``(kpi, external_id)`` is never stored twice: the INSERT skips
rows that clash with a stored one (``ON CONFLICT DO NOTHING``, so concurrent requests
cannot double them either) and those are answered with the stored check-in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from fokus.accounts.models import Organisation, User
from fokus.dataio.errors import DataError, RowErrors, RowProblem, row_problem
from fokus.dataio.parsing import VALUE_LIMIT, value_check
from fokus.kpis.errors import KpiError
from fokus.kpis.models import VALUE_PLACES, CheckIn, Kpi, Measure, Source
from fokus.kpis.parsing import check_text

EXTERNAL_ID_MAX = CheckIn._meta.get_field("external_id").max_length or 200
BATCH = 5000

Progress = Callable[[int], None]
Key = tuple[int, str]


class CheckinRow(NamedTuple):
    """One check-in asked for; ``row`` is its file row number or bulk item index."""

    row: int
    kpi: Kpi
    date: dt.date
    value: Decimal
    note: str = ""
    external_id: str | None = None


@dataclass(slots=True)
class StoredCheckin:
    """A check-in inserted by the bulk service (no model instance is built for each of
    thousands of rows): its id once inserted, and what it was inserted with."""

    pk: int | None
    kpi_id: int
    date: dt.date
    value: Decimal
    note: str
    source: str
    external_id: str | None
    created_at: dt.datetime


@dataclass
class BulkResult:
    """How many rows were stored now and how many were there already; with ``returning``
    also per asked-for row (in order) the stored check-in and whether it is new."""

    created: int
    unchanged: int
    checkins: list[tuple[CheckIn | StoredCheckin, bool]]


# Checks ------------------------------------------------------------------------------


def checkin_check(
    *, kpi: Kpi, date: dt.date, note: str, external_id: str | None
) -> list[tuple[str, Exception]]:
    """Every reason ``checkin_record`` would refuse a check-in of this KPI, date, note and
    external id, as (field, error). The value is checked by ``value_check``."""
    problems: list[tuple[str, Exception]] = []
    if kpi.measure == Measure.CHECKLIST:
        problems.append(("kpi", KpiError("checklist_needs_tick", field="value", kpi=kpi.name)))
    if not kpi.start <= date <= kpi.end:
        error = KpiError(
            "checkin_outside_period", field="date", date=date, start=kpi.start, end=kpi.end
        )
        problems.append(("date", error))
    if "\x00" in note:
        problems.append(("note", KpiError("nul_byte", field="note")))
    if external_id is not None:
        try:
            check_text(external_id, field="external_id")
            if len(external_id) > EXTERNAL_ID_MAX:
                raise DataError("too_long", limit=EXTERNAL_ID_MAX)
        except (KpiError, DataError) as error:
            problems.append(("external_id", error))
    return problems


def _fine(row: CheckinRow, period: tuple[dt.date, dt.date] | None) -> bool:
    """The quick test that a row has no problem at all (most rows)."""
    value, external_id = row.value, row.external_id
    if period is None or not period[0] <= row.date <= period[1] or not value.is_finite():
        return False
    exponent = value.as_tuple().exponent
    return (
        isinstance(exponent, int)
        and exponent >= -VALUE_PLACES
        and -VALUE_LIMIT < value < VALUE_LIMIT
        and "\x00" not in row.note
        and (
            external_id is None
            or (len(external_id) <= EXTERNAL_ID_MAX and "\x00" not in external_id)
        )
    )


Periods = dict[int, tuple[dt.date, dt.date] | None]


def row_problems(row: CheckinRow, periods: Periods) -> list[tuple[str, Exception]]:
    """Every problem of one row as (field, error); ``periods`` caches each KPI's period
    (None for a checklist). A quick test passes most rows without building anything."""
    kpi = row.kpi
    if kpi.id not in periods:
        periods[kpi.id] = (kpi.start, kpi.end) if kpi.measure != Measure.CHECKLIST else None
    if _fine(row, periods[kpi.id]):
        return []
    found = checkin_check(kpi=kpi, date=row.date, note=row.note, external_id=row.external_id)
    error = value_check(row.value)
    if error is not None:
        found.append(("value", error))
    return found


def checkins_check(rows: Sequence[CheckinRow]) -> list[RowProblem]:
    """Every problem of every row, with the row's number or index."""
    periods: Periods = {}
    problems: list[RowProblem] = []
    for row in rows:
        for field, error in row_problems(row, periods):
            problems.append(row_problem(row.row, field, error))
    return problems


# Storing -----------------------------------------------------------------------------


def _columns() -> tuple[list[Any], Callable[[StoredCheckin, int | None], list[Any]]]:
    """The check-in table's columns and a fast builder of one row's parameters; fields
    other areas add later get their defaults."""
    ops = connection.ops
    fields = [f for f in CheckIn._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    set_per_row = ("kpi_id", "date", "value", "note", "source", "external_id", "created_by_id")
    unset = ("created_at", "updated_at", "updated_by_id")
    base: list[Any] = [
        None
        if f.attname in set_per_row or f.attname in unset
        else f.get_db_prep_save(f.get_default(), connection)
        for f in fields
    ]
    at = [names.index(n) for n in (*set_per_row, "created_at")]
    i_kpi, i_date, i_value, i_note, i_source, i_external, i_user, i_created = at
    date_of, decimal_of = ops.adapt_datefield_value, ops.adapt_decimalfield_value
    time_of = ops.adapt_datetimefield_value
    times: dict[dt.datetime, Any] = {}

    def values(c: StoredCheckin, user_id: int | None) -> list[Any]:
        row = base.copy()
        row[i_kpi] = c.kpi_id
        row[i_date] = date_of(c.date)
        row[i_value] = decimal_of(c.value)
        row[i_note] = c.note
        row[i_source] = c.source
        row[i_external] = c.external_id
        row[i_user] = user_id
        created = times.get(c.created_at)
        if created is None:
            created = times[c.created_at] = time_of(c.created_at)
        row[i_created] = created
        return row

    return fields, values


def _max_rows(columns: int) -> int:
    limit = connection.features.max_query_params or 30_000
    if connection.vendor == "sqlite":
        import sqlite3

        raw = connection.connection
        if raw is not None and hasattr(raw, "getlimit"):
            limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(limit, 30_000) // columns)


def _insert(new: list[StoredCheckin], *, user: User | None, returning: bool) -> set[Key]:
    """INSERT the new check-ins, skipping any whose (kpi, external_id) is stored already.
    With ``returning`` the inserted ones get their ids and the skipped keys are returned."""
    if not new:
        return set()
    ops = connection.ops
    fields, values = _columns()
    user_id = user.pk if user is not None else None
    table = ops.quote_name(CheckIn._meta.db_table)
    columns = ", ".join(ops.quote_name(str(f.column)) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    skipped: set[Key] = set()
    with connection.cursor() as cursor:
        if not returning:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES {one} ON CONFLICT DO NOTHING",
                [values(c, user_id) for c in new],
            )
            return skipped
        pk = ops.quote_name(str(CheckIn._meta.pk.column))
        size = _max_rows(len(fields))
        for i in range(0, len(new), size):
            chunk = new[i : i + size]
            params = [v for c in chunk for v in values(c, user_id)]
            sql = (
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))} "
                f"ON CONFLICT DO NOTHING RETURNING {pk}, kpi_id, external_id"
            )
            _execute(cursor, sql, params)
            skipped |= _assign_ids(chunk, list(cursor.fetchall()))
    return skipped


def _execute(cursor: Any, sql: str, params: list[Any]) -> None:
    """Run one large INSERT. On SQLite the %s placeholders become ? here at once: Django's
    cursor would rewrite the ten thousand of them with a regular expression per call."""
    if connection.vendor == "sqlite" and "%%" not in sql:
        import sqlite3

        sqlite3.Cursor.execute(cursor.cursor, sql.replace("%s", "?"), params)
    else:
        cursor.execute(sql, params)


def _assign_ids(chunk: list[StoredCheckin], returned: list[tuple[Any, ...]]) -> set[Key]:
    """Match the RETURNING rows to the check-ins. Ids grow in the order of the VALUES rows
    of one INSERT, so in id order the inserted rows follow the chunk; a row whose
    (kpi, external_id) was stored already is missing there. Returns the skipped keys."""
    returned.sort()
    skipped: set[Key] = set()
    n, count = 0, len(returned)
    for checkin in chunk:
        if n < count:
            new_id, kpi_id, external_id = returned[n]
            if kpi_id == checkin.kpi_id and external_id == checkin.external_id:
                checkin.pk = new_id
                n += 1
                continue
        assert checkin.external_id is not None, "only a clashing external id is skipped"
        skipped.add((checkin.kpi_id, checkin.external_id))
    return skipped


def _stored(keys: set[Key]) -> dict[Key, CheckIn]:
    """The stored check-ins with these (kpi, external_id) pairs, in few queries."""
    if not keys:
        return {}
    kpi_ids = sorted({k for k, _e in keys})
    external_ids = sorted({e for _k, e in keys})
    found: dict[Key, CheckIn] = {}
    for i in range(0, len(external_ids), BATCH):
        query = CheckIn.objects.filter(
            kpi_id__in=kpi_ids, external_id__in=external_ids[i : i + BATCH]
        )
        for checkin in query:
            key = (checkin.kpi_id, str(checkin.external_id))
            if key in keys:
                found[key] = checkin
    return found


def _store(rows: Sequence[CheckinRow], *, user: User | None, source: str) -> BulkResult:
    """Insert with RETURNING: every row gets its check-in (new, or the stored one)."""
    now = timezone.now()
    first: dict[Key, StoredCheckin] = {}
    new: list[StoredCheckin] = []
    order: list[tuple[StoredCheckin, bool]] = []
    for row in rows:
        external_id = row.external_id
        key = (row.kpi.id, external_id) if external_id is not None else None
        if key is not None and key in first:  # the same check-in twice in one call
            order.append((first[key], False))
            continue
        checkin = StoredCheckin(
            None, row.kpi.id, row.date, row.value, row.note, source, external_id, now
        )
        if key is not None:
            first[key] = checkin
        new.append(checkin)
        order.append((checkin, True))
    skipped: set[Key] = set()
    for i in range(0, len(new), BATCH):
        skipped |= _insert(new[i : i + BATCH], user=user, returning=True)
    stored = _stored(skipped)
    result: list[tuple[CheckIn | StoredCheckin, bool]] = []
    created = 0
    for checkin, is_new in order:
        key = (checkin.kpi_id, checkin.external_id) if checkin.external_id is not None else None
        if key is not None and key in stored:
            result.append((stored[key], False))
        else:
            result.append((checkin, is_new))
            created += is_new
    return BulkResult(created=created, unchanged=len(rows) - created, checkins=result)


def _store_many(
    rows: Sequence[CheckinRow],
    *,
    user: User | None,
    source: str,
    progress: Progress | None,
) -> BulkResult:
    """Insert without RETURNING (imports of many rows): only the counts come back."""
    now = timezone.now()
    stored = _stored({(r.kpi.id, r.external_id) for r in rows if r.external_id is not None})
    seen: set[Key] = set(stored)
    new: list[StoredCheckin] = []
    for row in rows:
        external_id = row.external_id
        if external_id is not None:
            key = (row.kpi.id, external_id)
            if key in seen:
                continue
            seen.add(key)
        new.append(
            StoredCheckin(None, row.kpi.id, row.date, row.value, row.note, source, external_id, now)
        )
    for i in range(0, len(new), BATCH):
        _insert(new[i : i + BATCH], user=user, returning=False)
        if progress is not None:
            progress(len(new[i : i + BATCH]))
    return BulkResult(created=len(new), unchanged=len(rows) - len(new), checkins=[])


def checkins_bulk_record(
    *,
    rows: Sequence[CheckinRow],
    user: User | None = None,
    source: str = Source.API,
    progress: Progress | None = None,
    returning: bool = True,
    checked: bool = False,
) -> BulkResult:
    """Record every row or none: raises RowErrors listing every bad row.

    A row whose ``(kpi, external_id)`` is stored already, or repeats an earlier row of
    the same call, is not stored again; it is returned with ``created`` False. Without
    ``returning`` the new check-ins get no ids (faster for imports). ``checked`` says the
    rows already passed ``checkins_check`` (the import checks while reading the file).
    """
    problems = [] if checked else checkins_check(rows)
    if problems:
        raise RowErrors(problems)
    with transaction.atomic():
        if returning:
            return _store(rows, user=user, source=source)
        return _store_many(rows, user=user, source=source, progress=progress)


def kpi_lookup(organisation: Organisation) -> Callable[[str], Kpi]:
    """Resolve KPI references (id, slug or exact name, case-insensitive) with one query."""
    kpis = list(Kpi.objects.filter(organisation=organisation, archived_at__isnull=True))
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
            raise DataError("ambiguous_kpi", ref=text[:80])
        raise DataError("unknown_kpi", ref=text[:80])

    return resolve
