"""Many check-ins at once, for the bulk API and the import: validated with the one rule of
``fokus.kpis.services.checkin_problems`` and stored with multi-row INSERTs in one
transaction. A repeated ``(kpi, external_id)`` is never stored twice, not even by two
requests at once: the INSERT skips a row whose key is stored already or repeats an
earlier row, and the row is answered with that check-in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, transaction

from fokus.accounts.models import User
from fokus.errors import ProductError, RowErrors, RowProblem, row_problem
from fokus.kpis.models import CheckIn, Kpi, Measure, Source
from fokus.kpis.services import EXTERNAL_ID_MAX, checkin_problems
from fokus.values import VALUE_LIMIT

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
    """How many rows were stored now and how many were there already, and per asked-for
    row (in order) its check-in's id, external id and whether it is new."""

    created: int
    unchanged: int
    checkins: list[tuple[int, str | None, bool]]


# Checks ------------------------------------------------------------------------------


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


def row_problems(row: CheckinRow) -> list[tuple[str, ProductError]]:
    """Every problem of one row as (field, error). A quick test passes most rows without
    building anything."""
    if _fine(row):
        return []
    return checkin_problems(
        kpi=row.kpi, value=row.value, note=row.note, external_id=row.external_id
    )


def checkins_check(rows: Sequence[CheckinRow]) -> list[RowProblem]:
    """Every problem of every row, with the row's number or index."""
    problems: list[RowProblem] = []
    for row in rows:
        for field, error in row_problems(row):
            problems.append(row_problem(row.row, field, error))
    return problems


# Storing -----------------------------------------------------------------------------


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


# The columns a new check-in sets (the others, who changed it and when, stay empty).
COLUMNS = (
    "kpi_id",
    "date",
    "value",
    "note",
    "external_id",
    "source",
    "created_by_id",
    "created_at",
)
# Rows per INSERT: 8 parameters each, well within what SQLite (32,766 since 3.32) and
# PostgreSQL (65,535) take in one statement.
CHUNK = 2000


def _insert(
    rows: Sequence[CheckinRow], *, user: User | None, source: str, now: dt.datetime
) -> list[int | None]:
    """INSERT the rows in one statement and return each one's new id, or None for a row
    skipped because its ``(kpi, external_id)`` is stored already or comes earlier in
    ``rows`` (``ON CONFLICT DO NOTHING``: also when another request stores it at the same
    moment, whose commit the database waits for).

    Plain SQL, not ``bulk_create``: that builds every value through the model's fields
    (five times the cost of the rest of a bulk request) and cannot skip a clashing row and
    still return the others' ids. The values here are already what the columns keep. The
    database numbers new rows in the order of the VALUES, so walking the rows beside the
    returned rows sorted by id pairs them up; a row that is not next was skipped."""
    ops = connection.ops
    table = ops.quote_name(CheckIn._meta.db_table)
    columns = ", ".join(ops.quote_name(name) for name in COLUMNS)
    one = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(rows))} "
        "ON CONFLICT DO NOTHING RETURNING id, kpi_id, external_id"
    )
    created_by = user.pk if user is not None else None
    created_at = ops.adapt_datetimefield_value(now)
    dates = {date: ops.adapt_datefield_value(date) for date in {row.date for row in rows}}
    params: list[Any] = []
    for row in rows:
        params += (
            row.kpi.id,
            dates[row.date],
            row.value,
            row.note,
            row.external_id,
            source,
            created_by,
            created_at,
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = sorted(cursor.fetchall())
    ids: list[int | None] = []
    n = 0
    for row in rows:
        if n < len(returned) and returned[n][1:] == (row.kpi.id, row.external_id):
            ids.append(returned[n][0])
            n += 1
        else:
            ids.append(None)
    return ids


def _store(
    rows: Sequence[CheckinRow],
    *,
    user: User | None,
    source: str,
    now: dt.datetime,
    progress: Progress | None,
    answer: bool,
) -> BulkResult:
    """Insert the rows in chunks; with ``answer``, say per row which check-in is its own:
    the new one, or for a skipped row the one stored or inserted before it with its key."""
    ids: list[int | None] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        ids += _insert(chunk, user=user, source=source, now=now)
        if progress is not None:
            progress(len(chunk))
    created = len(ids) - ids.count(None)
    result = BulkResult(created=created, unchanged=len(rows) - created, checkins=[])
    if not answer:
        return result
    pairs = list(zip(rows, ids, strict=True))
    # A skipped row has an external id (a row without one never clashes).
    made: dict[Key, int] = {(r.kpi.id, str(r.external_id)): pk for r, pk in pairs if pk}
    skipped = {(r.kpi.id, str(r.external_id)) for r, pk in pairs if pk is None}
    known = {**_stored(skipped - made.keys()), **made}
    for row, pk in pairs:
        if pk is None:
            pk = known[(row.kpi.id, str(row.external_id))]
            result.checkins.append((pk, row.external_id, False))
        else:
            result.checkins.append((pk, row.external_id, True))
    return result


def checkins_bulk_record(
    *,
    rows: Sequence[CheckinRow],
    now: dt.datetime,
    user: User | None = None,
    source: str = Source.API,
    progress: Progress | None = None,
    answer: bool = True,
    checked: bool = False,
) -> BulkResult:
    """Record every row or none: raises RowErrors listing every bad row.

    A row whose ``(kpi, external_id)`` is stored already, or repeats an earlier row of
    the same call, is not stored again; it is answered with that check-in's id and
    ``created`` False. Without ``answer`` only the counts come back (an import of many
    rows keeps no check-in in memory). ``checked`` says the rows already passed
    ``checkins_check`` (the import checks while reading the file)."""
    problems = [] if checked else checkins_check(rows)
    if problems:
        raise RowErrors(problems)
    with transaction.atomic():
        return _store(rows, user=user, source=source, now=now, progress=progress, answer=answer)
