"""Refusals of data in and out (files, imports, exports, backups), with their sentences.

A whole-file problem raises :class:`DataError`; a file with bad rows raises
``fokus.errors.RowErrors``, listing every bad row with its number, column and reason.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from fokus.errors import ProductError

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
    "not_a_date": _("“%(text)s” is not a date: use e.g. 31-12-2027 or 2027-12-31."),
    "not_a_whole_number": _("“%(text)s” is not a whole number."),
    "duplicate_in_file": _("The same %(what)s is in row %(row)s too."),
    "backup_invalid": _("The file is not a Fokus backup: %(reason)s"),
    "restore_not_empty": _(
        "The database is not empty (%(what)s); restore only into an empty database."
    ),
    "unknown_format": _("“%(format)s” is not an export format."),
}


class DataError(ProductError):
    """A file, request or backup the product refuses as a whole; nothing was saved."""

    MESSAGES = MESSAGES
