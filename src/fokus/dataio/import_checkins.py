"""Import of check-ins: ``kpi`` (id, slug or exact name), ``date``/``dato``,
``value``/``værdi``, ``note``, ``external_id``/``ekstern_id``."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from fokus.accounts.models import Organisation, User
from fokus.dataio.importing import (
    Column,
    ImportKind,
    ImportResult,
    Progress,
    RowContext,
    register,
)
from fokus.dataio.parsing import cell_text, parse_day, parse_number
from fokus.errors import InputError, ProductError, RowProblem, row_problem
from fokus.kpis.bulk import CheckinRow, checkins_bulk_record, row_problems
from fokus.kpis.models import CheckIn, Kpi, Source
from fokus.kpis.selectors import kpi_lookup


class CheckinImport(ImportKind):
    name = "checkins"
    label = _("Check-ins")
    columns = (
        Column("kpi", _("KPI"), ("kpi_id", "nøgletal", "mål"), required=True),
        Column("date", _("Date"), ("dato",), required=True),
        Column(
            "value", _("Value"), ("værdi", "vaerdi", "antal", "beløb"), required=True, numeric=True
        ),
        Column("note", _("Note"), ("notat", "bemærkning", "kommentar")),
        Column("external_id", _("External id"), ("ekstern_id", "eksternt_id")),
    )

    def prepare(self, organisation: Organisation, today: dt.date) -> Any:
        return _Prepared(kpi_lookup(organisation))

    def parse_row(self, ctx: RowContext, prepared: Any) -> tuple[Any, list[RowProblem]]:
        problems: list[RowProblem] = []
        cells = ctx.cells
        kpi = date = value = None
        try:
            kpi = prepared.kpi(_required(cell_text(cells.get("kpi"))))
        except ProductError as error:
            problems.append(row_problem(ctx.row, "kpi", error))
        try:
            date = parse_day(cells.get("date"))
        except ProductError as error:
            problems.append(row_problem(ctx.row, "date", error))
        try:
            value = parse_number(cells.get("value"), style=ctx.styles["value"])
        except ProductError as error:
            problems.append(row_problem(ctx.row, "value", error))
        if kpi is None or date is None or value is None:
            return None, problems
        note = cell_text(cells.get("note"))
        external_id = cell_text(cells.get("external_id")) or None
        row = CheckinRow(ctx.row, kpi, date, value, note, external_id)
        for field, found in row_problems(row):
            problems.append(row_problem(ctx.row, field, found))
        return row, problems

    def store(
        self,
        *,
        organisation: Organisation,
        records: list[tuple[int, Any]],
        user: User | None,
        today: dt.date,
        now: dt.datetime,
        progress: Progress | None,
    ) -> ImportResult:
        rows: list[CheckinRow] = [record for _n, record in records]
        new, already = _without_stored_content(rows)
        result = checkins_bulk_record(
            rows=new,
            now=now,
            user=user,
            source=Source.IMPORT,
            progress=(lambda n: progress("import", n)) if progress else None,
            answer=False,
            checked=True,
        )
        return ImportResult(created=result.created, unchanged=already + result.unchanged)


class _Prepared:
    def __init__(self, kpi: Callable[[str], Kpi]) -> None:
        self.kpi = kpi


def _required(text: str) -> str:
    if not text:
        raise InputError("required")
    return text


def _without_stored_content(rows: list[CheckinRow]) -> tuple[list[CheckinRow], int]:
    """Rows without an external id that are stored already (same KPI, date, value and
    note, counting repeats) are left out; the rest is returned with how many were left."""
    plain = [row for row in rows if row.external_id is None]
    if not plain:
        return rows, 0
    kpi_ids = {row.kpi.id for row in plain}
    first, last = min(row.date for row in plain), max(row.date for row in plain)
    candidates = CheckIn.objects.filter(kpi_id__in=kpi_ids, date__gte=first, date__lte=last)
    if not candidates.exists():
        return rows, 0
    stored = Counter(
        candidates.values_list("kpi_id", "date", "value", "note").iterator(chunk_size=10_000)
    )
    kept, left_out = [], 0
    for row in rows:
        if row.external_id is None:
            key = (row.kpi.id, row.date, row.value, row.note)
            if stored[key] > 0:
                stored[key] -= 1
                left_out += 1
                continue
        kept.append(row)
    return kept, left_out


register(CheckinImport())
