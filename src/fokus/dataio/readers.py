"""Reading an uploaded CSV or XLSX file into a header row and data rows, safely.

Hostile files are refused before any parsing: a size limit for every file, and for XLSX
(a zip of XML parts) a limit on the number of parts and on their unpacked size, read
from the zip directory before openpyxl sees the file. openpyxl parses through
defusedxml (entity expansion and external entities refused) and formulas are read as
their last computed values.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from fokus.dataio.errors import DataError
from fokus.dataio.parsing import Cell, NumberStyle

MB = 1024 * 1024
MAX_FILE_BYTES = 20 * MB
MAX_XLSX_ENTRIES = 1000
MAX_XLSX_UNPACKED = 200 * MB
MAX_ROWS = 200_000
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def max_file_bytes() -> int:
    return int(getattr(settings, "FOKUS_IMPORT_MAX_BYTES", MAX_FILE_BYTES))


@dataclass
class Table:
    """The first sheet of a file: its header row and data rows (with their row numbers)."""

    headers: list[str]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)
    number_style: NumberStyle = NumberStyle.DANISH

    def __len__(self) -> int:
        return len(self.rows)


def check_size(size: int) -> None:
    if size == 0:
        raise DataError("file_empty")
    limit = max_file_bytes()
    if size > limit:
        raise DataError("file_too_large", limit=limit // MB or 1)


def read_table(data: bytes) -> Table:
    """A table from the bytes of a CSV or XLSX file (told apart by content, not name)."""
    check_size(len(data))
    if data.startswith(ZIP_MAGIC):
        return read_xlsx(data)
    if data.startswith(OLE_MAGIC):
        raise DataError("xls_not_supported")
    return read_csv(data)


# CSV ---------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DataError("file_unreadable") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise DataError("file_unreadable") from None


def _delimiter(first_line: str) -> str:
    counts = {sep: 0 for sep in (";", ",", "\t")}
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_csv(data: bytes) -> Table:
    text = decode(data)
    if "\x00" in text:
        raise DataError("file_unreadable")
    first_line = text.split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    style = NumberStyle.DANISH if delimiter == ";" else NumberStyle.ENGLISH
    return _table(reader, style)


def _table(rows: Iterator[list[Cell]] | Iterator[list[str]] | Any, style: NumberStyle) -> Table:
    headers: list[str] | None = None
    table = Table(headers=[], number_style=style)
    try:
        for number, row in enumerate(rows, start=1):
            if headers is None:
                headers = ["" if c is None else str(c).strip() for c in row]
                while headers and not headers[-1]:
                    headers.pop()
                if not any(headers):
                    raise DataError("no_header")
                continue
            cells = list(row)
            try:
                blank = not "".join(cells).strip()  # CSV: all text
            except TypeError:
                blank = not "".join("" if c is None else str(c) for c in cells).strip()
            if blank:
                continue
            if len(table.rows) >= MAX_ROWS:
                raise DataError("too_many_rows", limit=f"{MAX_ROWS:,}")
            table.rows.append((number, cells))
    except csv.Error:
        raise DataError("file_unreadable") from None
    if headers is None:
        raise DataError("file_empty")
    table.headers = headers
    return table


# XLSX --------------------------------------------------------------------------------


def check_xlsx_archive(data: bytes) -> None:
    """Refuse zip bombs by the zip directory, before anything is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise DataError("xlsx_invalid") from None
    if len(entries) > MAX_XLSX_ENTRIES:
        raise DataError("xlsx_too_many_entries", count=len(entries))
    if sum(entry.file_size for entry in entries) > MAX_XLSX_UNPACKED:
        raise DataError("xlsx_too_large", limit=MAX_XLSX_UNPACKED // MB)


def read_xlsx(data: bytes) -> Table:
    import openpyxl
    from defusedxml import DefusedXmlException

    if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise DataError("xlsx_unsafe")
    check_xlsx_archive(data)
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _xlsx_error(error, DefusedXmlException) from None
    try:
        sheet = workbook.worksheets[0]
        rows = (list(row) for row in sheet.iter_rows(values_only=True))
        return _table(rows, NumberStyle.DANISH)
    except DataError:
        raise
    except Exception as error:
        raise _xlsx_error(error, DefusedXmlException) from None
    finally:
        workbook.close()


def _xlsx_error(error: BaseException, unsafe: type[BaseException]) -> DataError:
    """xlsx_unsafe when defusedxml refused the XML (openpyxl may wrap its error)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, unsafe):
            return DataError("xlsx_unsafe")
        seen = seen.__cause__ or seen.__context__
    return DataError("xlsx_invalid")
