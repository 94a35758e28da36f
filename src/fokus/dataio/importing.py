"""Importing a table of check-ins, customers, contacts or revenue entries.

Validation reads the whole file first and reports every bad row (row number, column,
reason). Nothing is imported unless every row is valid, or the user explicitly asks to
import the valid rows. Importing the same file twice changes nothing: rows already
stored are recognised (check-ins by ``(kpi, external_id)`` or, without an external id,
by their content, counting repeats) and left alone.

Each kind is an :class:`ImportKind` registered in ``KINDS`` by its module
(``import_checkins``, ``import_customers``).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.functional import Promise

from fokus.accounts.models import Organisation, User
from fokus.dataio.errors import DataError
from fokus.dataio.parsing import Cell, NumberStyle, cell_text, column_style
from fokus.dataio.readers import Table
from fokus.errors import ProductError, RowErrors, RowProblem, row_problem

Progress = Callable[[str, int], None]  # (phase "check" | "import", rows done)


def normalise_header(text: str) -> str:
    """Header text compared loosely: case, accents of æøå kept, spaces/-/_/. ignored."""
    text = unicodedata.normalize("NFC", str(text)).strip().casefold()
    return "".join(ch for ch in text if ch not in " -_.\u00a0\ufeff")


@dataclass(frozen=True)
class Column:
    name: str
    label: str | Promise
    aliases: tuple[str, ...]
    required: bool = False
    numeric: bool = False

    def matches(self, header: str) -> bool:
        return normalise_header(header) in {normalise_header(a) for a in (self.name, *self.aliases)}


@dataclass
class RowContext:
    """What a kind's row parser gets: the cells of one row by field name."""

    row: int
    cells: dict[str, Cell]
    styles: dict[str, NumberStyle]

    def text(self, name: str) -> str:
        return cell_text(self.cells.get(name))

    def has(self, name: str) -> bool:
        return bool(self.text(name))


@dataclass
class Validation:
    kind: str
    rows: int
    records: list[tuple[int, Any]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def bad_rows(self) -> set[int]:
        return {p.row for p in self.problems}

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass
class Review:
    """What the preview says about valid rows besides their problems: a note on a row
    (a customer the register has already, left alone) and how many rows would be
    overdue from day one (``ImportKind.with_clock_start`` calms them)."""

    notes: dict[int, str] = field(default_factory=dict)
    overdue: int = 0


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    skipped: int = 0


class ImportKind:
    """One kind of import: its columns, how one row is read, how valid rows are stored."""

    name: str = ""
    label: str | Promise = ""
    columns: tuple[Column, ...] = ()

    def prepare(self, organisation: Organisation, today: dt.date) -> Any:
        """Whatever the row parser needs (lookups), loaded once with few queries."""
        return None

    def parse_row(self, ctx: RowContext, prepared: Any) -> tuple[Any, list[RowProblem]]:
        raise NotImplementedError

    def describe(self, record: Any) -> list[str]:
        """A valid row's values for the preview, one per column of the kind."""
        return [str(getattr(record, c.name, "") or "") for c in self.columns]

    def check_all(self, records: list[tuple[int, Any]]) -> list[RowProblem]:
        """Checks across rows (e.g. duplicates within the file)."""
        return []

    def review(
        self, *, organisation: Organisation, records: list[tuple[int, Any]], today: dt.date
    ) -> Review:
        """What the preview should say about the valid rows (few queries)."""
        return Review()

    def with_clock_start(
        self, records: list[tuple[int, Any]], day: dt.date
    ) -> list[tuple[int, Any]]:
        """The rows with the contact clock started on ``day`` where they know of no
        contact (only the customers kind has a contact clock)."""
        return records

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
        raise NotImplementedError


KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    KINDS[kind.name] = kind
    return kind


def kind_of(name: str) -> ImportKind:
    _load_kinds()
    try:
        return KINDS[name]
    except KeyError:
        raise DataError("unknown_kind", kind=name) from None


def _load_kinds() -> None:
    from fokus.dataio import import_checkins, import_customers  # noqa: F401


def auto_mapping(kind: ImportKind, headers: Sequence[str]) -> dict[str, int]:
    """Each field of the kind mapped to the first column whose header names it."""
    mapping: dict[str, int] = {}
    for column in kind.columns:
        for index, header in enumerate(headers):
            if index not in mapping.values() and column.matches(header):
                mapping[column.name] = index
                break
    return mapping


def guess_kind(headers: Sequence[str]) -> str:
    """The kind whose required columns are all present, the most specific first."""
    _load_kinds()
    for name in ("revenue", "contacts", "checkins", "customers"):
        kind = KINDS.get(name)
        if kind is None:
            continue
        mapping = auto_mapping(kind, headers)
        if all(c.name in mapping for c in kind.columns if c.required):
            return name
    raise DataError("kind_unknown_from_headers")


def check_mapping(kind: ImportKind, headers: Sequence[str], mapping: dict[str, int]) -> None:
    for column in kind.columns:
        if column.required and column.name not in mapping:
            names = ", ".join(f"“{a}”" for a in (column.name, *column.aliases[:1]))
            raise DataError(
                "missing_column", field=column.name, column=str(column.label), names=names
            )
    seen: dict[int, str] = {}
    for name, index in mapping.items():
        if index in seen:
            raise DataError(
                "column_mapped_twice", column=headers[index] if index < len(headers) else index
            )
        seen[index] = name


def validate(
    *,
    organisation: Organisation,
    kind: ImportKind,
    table: Table,
    today: dt.date,
    mapping: dict[str, int] | None = None,
    progress: Progress | None = None,
) -> Validation:
    """Read every row; collect every problem. Nothing is stored."""
    mapping = auto_mapping(kind, table.headers) if mapping is None else mapping
    check_mapping(kind, table.headers, mapping)
    styles = {
        column.name: column_style(
            (
                cell_text(cells[mapping[column.name]])
                for _n, cells in table.rows
                if mapping[column.name] < len(cells)
            ),
            table.number_style,
        )
        for column in kind.columns
        if column.numeric and column.name in mapping
    }
    prepared = kind.prepare(organisation, today)
    validation = Validation(kind=kind.name, rows=len(table.rows))
    for done, (number, cells) in enumerate(table.rows, start=1):
        by_name = {
            name: (cells[index] if index < len(cells) else None) for name, index in mapping.items()
        }
        try:
            record, problems = kind.parse_row(RowContext(number, by_name, styles), prepared)
        except ProductError as error:  # a kind may give up on a row as a whole
            record, problems = None, [row_problem(number, "", error)]
        if problems:
            validation.problems.extend(_named(problems, table.headers, mapping))
        else:
            validation.records.append((number, record))
        if progress is not None and done % 1000 == 0:
            progress("check", 1000)
    if progress is not None:
        progress("check", len(table.rows) % 1000)
    validation.problems.extend(_named(kind.check_all(validation.records), table.headers, mapping))
    if validation.problems:
        bad = validation.bad_rows
        validation.records = [(n, r) for n, r in validation.records if n not in bad]
        validation.problems.sort(key=lambda p: p.row)
    return validation


def run_import(
    *,
    organisation: Organisation,
    kind: ImportKind,
    validation: Validation,
    today: dt.date,
    now: dt.datetime,
    user: User | None = None,
    valid_rows_only: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Store the validated rows: all of them, or, when asked, the valid ones only."""
    if validation.problems and not valid_rows_only:
        raise RowErrors(validation.problems)
    with transaction.atomic():
        result = kind.store(
            organisation=organisation,
            records=validation.records,
            user=user,
            today=today,
            now=now,
            progress=progress,
        )
    result.skipped = len(validation.bad_rows)
    return result


def _column_texts(table: Table, index: int) -> list[str]:
    return [cell_text(cells[index]) for _n, cells in table.rows if index < len(cells)]


def _named(
    problems: list[RowProblem], headers: Sequence[str], mapping: dict[str, int]
) -> list[RowProblem]:
    """Problems name the column as the file's header does."""
    named = []
    for problem in problems:
        index = mapping.get(problem.column)
        if index is not None and index < len(headers) and headers[index]:
            problem = RowProblem(problem.row, headers[index], problem.code, problem.message)
        named.append(problem)
    return named
