"""Typed errors of data in and out, and one sentence per error in the user's language.

A whole-file problem raises :class:`DataError`; a file or a bulk request with bad rows
raises :class:`RowErrors`, listing every bad row with its number, column and reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from fokus.core.errors import CoreError
from fokus.errors import ProductError
from fokus.kpis.errors import KpiError, error_message

MESSAGES = {
    "file_empty": _("The file is empty."),
    "file_too_large": _("The file is larger than %(limit)s MB."),
    "file_unreadable": _("The file is neither CSV nor XLSX (Excel) in a known encoding."),
    "xls_not_supported": _("Old .xls files are not supported: save the file as .xlsx or CSV."),
    "xlsx_invalid": _("The Excel file is damaged or not an .xlsx file."),
    "xlsx_too_many_entries": _("The Excel file has too many parts (%(count)s)."),
    "xlsx_too_large": _("The Excel file unpacks to more than %(limit)s MB."),
    "xlsx_unsafe": _("The Excel file contains XML that is refused for safety."),
    "too_many_rows": _("The file has more than %(limit)s rows."),
    "no_header": _("The first row must name the columns."),
    "missing_column": _("The file has no column for “%(column)s” (expected e.g. %(names)s)."),
    "column_mapped_twice": _("The column “%(column)s” is chosen for more than one field."),
    "unknown_kind": _("“%(kind)s” is not a kind of import."),
    "kind_unknown_from_headers": _(
        "Could not tell what the file holds from its columns; give --kind."
    ),
    "rows_invalid": ngettext_lazy(
        "%(count)s of %(rows)s rows is invalid; nothing was imported "
        "(fix it, or import the valid rows with --valid-rows).",
        "%(count)s of %(rows)s rows are invalid; nothing was imported "
        "(fix them, or import the valid rows with --valid-rows).",
        "count",
    ),
    "required": _("A value is required."),
    "not_a_number": _("“%(text)s” is not a number."),
    "not_a_date": _("“%(text)s” is not a date: use e.g. 31-12-2027 or 2027-12-31."),
    "not_a_whole_number": _("“%(text)s” is not a whole number."),
    "too_long": _("The text is longer than %(limit)s characters."),
    "unknown_kpi": _("There is no KPI “%(ref)s”."),
    "ambiguous_kpi": _("Several KPIs are named “%(ref)s”; use the id or the slug."),
    "unknown_customer": _("There is no customer “%(ref)s”."),
    "ambiguous_customer": _("Several customers are named “%(ref)s”; use the id."),
    "invalid_choice": _("“%(value)s” is not one of %(choices)s."),
    "invalid_email": _("“%(value)s” is not an e-mail address."),
    "duplicate_in_file": _("The same %(what)s is in row %(row)s too."),
    "too_many_items": _("At most %(limit)s check-ins per request (got %(count)s)."),
    "no_items": _("The request has no check-ins."),
    "idempotency_key_invalid": _("The Idempotency-Key must be 1 to 255 visible characters."),
    "idempotency_key_reused": _(
        "This Idempotency-Key was used in the last 24 hours for another request."
    ),
    "backup_invalid": _("The file is not a Fokus backup: %(reason)s"),
    "restore_not_empty": _(
        "The database is not empty (%(what)s); restore only into an empty database."
    ),
    "unknown_format": _("“%(format)s” is not an export format."),
}


class DataError(ProductError):
    """A file, request or backup the product refuses as a whole; nothing was saved."""

    MESSAGES = MESSAGES


def message_of(error: Exception) -> str:
    """The user's sentence for a data, KPI or core error."""
    if isinstance(error, DataError):
        return error.message
    if isinstance(error, KpiError | CoreError):
        return error_message(error)
    return str(error)


@dataclass(frozen=True)
class RowProblem:
    """One bad row (file row number, or index of a bulk item), column and reason."""

    row: int
    column: str
    code: str
    message: str

    def as_dict(self, *, row_key: str = "row") -> dict[str, object]:
        return {row_key: self.row, "field": self.column, "code": self.code, "message": self.message}


def row_problem(row: int, column: str, error: Exception) -> RowProblem:
    code = getattr(error, "code", "invalid")
    return RowProblem(row=row, column=column, code=str(code), message=message_of(error))


class RowErrors(Exception):
    """Some rows or items are bad; every one of them is listed and nothing was saved."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} bad rows")
