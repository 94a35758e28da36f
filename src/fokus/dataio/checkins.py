"""Many check-ins at once, for the bulk API and the import: validated with the same rules
as ``fokus.kpis.services.checkin_record`` and stored with multi-row INSERTs in one
transaction. A repeated ``(kpi, external_id)`` is never stored twice: the INSERT skips
rows that clash with a stored one (``ON CONFLICT DO NOTHING``, so concurrent requests
cannot double them either) and those are answered with the stored check-in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple, cast

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from fokus.accounts.models import Organisation, User
from fokus.dataio.errors import DataError, RowErrors, RowProblem, row_problem
from fokus.dataio.parsing import VALUE_LIMIT, value_check
from fokus.kpis.errors import KpiError
from fokus.kpis.models import CheckIn, Kpi, Measure, Source
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


@dataclass
class BulkResult:
    """How many rows were stored now and how many were there already; with ``returning``
    also per asked-for row (in order) its check-in's id, external id and whether it is
    new."""

    created: int
    unchanged: int
    checkins: list[tuple[int, str | None, bool]]


# Checks ------------------------------------------------------------------------------


def checkin_check(*, kpi: Kpi, note: str, external_id: str | None) -> list[tuple[str, Exception]]:
    """Every reason ``checkin_record`` would refuse a check-in of this KPI, note and
    external id, as (field, error). The value is checked by ``value_check``; any date is
    taken (one outside the KPI's period is kept but does not count)."""
    problems: list[tuple[str, Exception]] = []
    if kpi.measure == Measure.CHECKLIST:
        problems.append(("kpi", KpiError("checklist_needs_tick", field="value", kpi=kpi.name)))
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


def _fine(row: CheckinRow) -> bool:
    """The quick test that a row has no problem at all (most rows)."""
    value, external_id = row.value, row.external_id
    if not value.is_finite() or row.kpi.measure == Measure.CHECKLIST:
        return False
    return (
        -VALUE_LIMIT < value < VALUE_LIMIT
        and "\x00" not in row.note
        and (
            external_id is None
            or (len(external_id) <= EXTERNAL_ID_MAX and "\x00" not in external_id)
        )
    )


def row_problems(row: CheckinRow) -> list[tuple[str, Exception]]:
    """Every problem of one row as (field, error). A quick test passes most rows without
    building anything."""
    if _fine(row):
        return []
    found = checkin_check(kpi=row.kpi, note=row.note, external_id=row.external_id)
    error = value_check(row.value)
    if error is not None:
        found.append(("value", error))
    return found


def checkins_check(rows: Sequence[CheckinRow]) -> list[RowProblem]:
    """Every problem of every row, with the row's number or index."""
    problems: list[RowProblem] = []
    for row in rows:
        for field, error in row_problems(row):
            problems.append(row_problem(row.row, field, error))
    return problems


# Storing -----------------------------------------------------------------------------

# The columns each row sets; every other column of the table is the same for the whole
# call (source, who, when) or its field's default.
_PER_ROW = ("kpi_id", "date", "value", "note", "external_id")
_PER_CALL = ("source", "created_by_id", "created_at")


@dataclass(frozen=True)
class _Insert:
    """One multi-row INSERT of check-ins: its column list and the parameters that are the
    same for every row, in column order after the per-row ones."""

    columns: str
    shared: tuple[Any, ...]
    width: int

    @classmethod
    def of(cls, *, user: User | None, source: str, now: dt.datetime) -> _Insert:
        ops = connection.ops
        fields = {f.attname: f for f in CheckIn._meta.concrete_fields if not f.primary_key}
        unset = {"updated_at", "updated_by_id"}
        rest = [n for n in fields if n not in _PER_ROW and n not in _PER_CALL and n not in unset]
        shared = (
            source,
            user.pk if user is not None else None,
            ops.adapt_datetimefield_value(now),
            *(fields[n].get_db_prep_save(fields[n].get_default(), connection) for n in rest),
        )
        names = [*_PER_ROW, *_PER_CALL, *rest]
        columns = ", ".join(ops.quote_name(str(fields[n].column)) for n in names)
        return cls(columns, shared, len(names))

    def params(self, rows: Sequence[CheckinRow]) -> list[Any]:
        """The parameters of ``rows``, flat, as one multi-row INSERT takes them."""
        date_of = connection.ops.adapt_datefield_value
        dates: dict[dt.date, Any] = {}
        shared = self.shared
        params: list[Any] = []
        extend = params.extend
        for row in rows:
            date = dates.get(row.date)
            if date is None:
                date = dates[row.date] = date_of(row.date)
            extend((row.kpi.id, date, row.value, row.note, row.external_id))
            extend(shared)
        return params

    def sql(self, count: int, *, returning: bool) -> str:
        return _insert_sql(connection.vendor, self.columns, self.width, count, returning)


@lru_cache(maxsize=32)
def _insert_sql(vendor: str, columns: str, width: int, count: int, returning: bool) -> str:
    """The INSERT of ``count`` rows (built once per size: a thousand rows make a 40 kB
    statement). SQLite gets its own ``?`` placeholders: Django's cursor would rewrite the
    ten thousand ``%s`` with a regular expression on every call."""
    ops = connection.ops
    mark = "?" if vendor == "sqlite" else "%s"
    one = "(" + ", ".join([mark] * width) + ")"
    sql = (
        f"INSERT INTO {ops.quote_name(CheckIn._meta.db_table)} ({columns}) "
        f"VALUES {', '.join([one] * count)} ON CONFLICT DO NOTHING"
    )
    if returning:
        sql += f" RETURNING {ops.quote_name(str(CheckIn._meta.pk.column))}, kpi_id, external_id"
    return sql


def _max_rows(columns: int) -> int:
    limit = connection.features.max_query_params or 30_000
    if connection.vendor == "sqlite":
        import sqlite3

        raw = connection.connection
        if raw is not None and hasattr(raw, "getlimit"):
            limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(limit, 30_000) // columns)


def _execute(cursor: Any, sql: str, params: list[Any]) -> None:
    """Run one large INSERT from ``_insert_sql`` (on SQLite straight on the driver's
    cursor: its ``?`` placeholders need no rewriting)."""
    if connection.vendor == "sqlite":
        import sqlite3

        sqlite3.Cursor.execute(cursor.cursor, sql, params)
    else:
        cursor.execute(sql, params)


def _insert_returning(insert: _Insert, rows: Sequence[CheckinRow]) -> list[int | None]:
    """INSERT ``rows`` and return each one's new id, None for a row skipped because its
    (kpi, external_id) is stored already or repeats an earlier row.

    Ids grow in the order of the VALUES rows of one INSERT, so in id order the inserted
    rows follow ``rows``; a skipped row is missing there."""
    ids: list[int | None] = []
    size = _max_rows(insert.width)
    with connection.cursor() as cursor:
        for i in range(0, len(rows), size):
            chunk = rows[i : i + size]
            _execute(cursor, insert.sql(len(chunk), returning=True), insert.params(chunk))
            returned = sorted(cursor.fetchall())
            if len(returned) == len(chunk):  # all new (most calls)
                ids += [new_id for new_id, _kpi_id, _external_id in returned]
                continue
            n, count = 0, len(returned)
            for row in chunk:
                if n < count:
                    new_id, kpi_id, external_id = returned[n]
                    if kpi_id == row.kpi.id and external_id == row.external_id:
                        ids.append(new_id)
                        n += 1
                        continue
                assert row.external_id is not None, "only a clashing external id is skipped"
                ids.append(None)
    return ids


def _insert(insert: _Insert, rows: Sequence[CheckinRow]) -> None:
    """INSERT ``rows`` without reading ids back (imports), skipping stored external ids."""
    size = _max_rows(insert.width)
    with connection.cursor() as cursor:
        for i in range(0, len(rows), size):
            chunk = rows[i : i + size]
            _execute(cursor, insert.sql(len(chunk), returning=False), insert.params(chunk))


def _stored(keys: set[Key]) -> dict[Key, int]:
    """The ids of the stored check-ins with these (kpi, external_id) pairs, in few queries."""
    if not keys:
        return {}
    kpi_ids = sorted({k for k, _e in keys})
    external_ids = sorted({e for _k, e in keys})
    found: dict[Key, int] = {}
    for i in range(0, len(external_ids), BATCH):
        query = CheckIn.objects.filter(
            kpi_id__in=kpi_ids, external_id__in=external_ids[i : i + BATCH]
        ).values_list("kpi_id", "external_id", "pk")
        for kpi_id, external_id, pk in query:
            key = (kpi_id, str(external_id))
            if key in keys:
                found[key] = pk
    return found


def _store(rows: Sequence[CheckinRow], *, user: User | None, source: str) -> BulkResult:
    """Insert with RETURNING: every row gets its check-in's id (new, or the stored one).

    The INSERT itself skips a row whose (kpi, external_id) is stored already or was
    inserted by an earlier row of the same call (``ON CONFLICT DO NOTHING``); after it,
    every skipped row finds its check-in stored."""
    insert = _Insert.of(user=user, source=source, now=timezone.now())
    ids: list[int | None] = []
    for i in range(0, len(rows), BATCH):
        ids += _insert_returning(insert, rows[i : i + BATCH])
    if None not in ids:
        new_ids = cast(list[int], ids)
        checkins = [(pk, row.external_id, True) for row, pk in zip(rows, new_ids, strict=True)]
        return BulkResult(created=len(rows), unchanged=0, checkins=checkins)
    pairs = list(zip(rows, ids, strict=True))
    stored = _stored({(row.kpi.id, str(row.external_id)) for row, pk in pairs if pk is None})
    result: list[tuple[int, str | None, bool]] = []
    for row, pk in pairs:
        if pk is None:
            result.append((stored[(row.kpi.id, str(row.external_id))], row.external_id, False))
        else:
            result.append((pk, row.external_id, True))
    created = len(rows) - ids.count(None)
    return BulkResult(created=created, unchanged=len(rows) - created, checkins=result)


def _store_many(
    rows: Sequence[CheckinRow],
    *,
    user: User | None,
    source: str,
    progress: Progress | None,
) -> BulkResult:
    """Insert without RETURNING (imports of many rows): only the counts come back."""
    stored = _stored({(r.kpi.id, r.external_id) for r in rows if r.external_id is not None})
    seen: set[Key] = set(stored)
    new: list[CheckinRow] = []
    for row in rows:
        external_id = row.external_id
        if external_id is not None:
            key = (row.kpi.id, external_id)
            if key in seen:
                continue
            seen.add(key)
        new.append(row)
    insert = _Insert.of(user=user, source=source, now=timezone.now())
    for i in range(0, len(new), BATCH):
        _insert(insert, new[i : i + BATCH])
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
            raise DataError("ambiguous_kpi", ref=text[:80])
        raise DataError("unknown_kpi", ref=text[:80])

    return resolve
