"""Cells of Danish and English spreadsheets turned into values.

Numbers: ``1.234,50`` and ``1234,5`` (decimal comma, thousands dots) as well as
``1234.50`` and ``1,234.50``. A value like ``1.234`` reads both ways; the style of a
column is decided from its unambiguous values, else from the file's separator (``;``
means a Danish spreadsheet). Dates: ``31-12-2027``, ``31.12.2027``, ``31/12/2027``,
``2027-12-31`` and real date cells of XLSX files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from fokus.dataio.errors import DataError
from fokus.errors import InputError
from fokus.values import parse_value

Cell = str | int | float | dt.date | dt.datetime | None


class NumberStyle(StrEnum):
    DANISH = "da"  # 1.234,50
    ENGLISH = "en"  # 1,234.50


_DANISH = re.compile(r"^[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$")
_ENGLISH = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CURRENCY = re.compile(r"^(?:dkk|kr\.?)\s*|\s*(?:dkk|kr\.?)$", re.IGNORECASE)
_DMY = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_SPACES = str.maketrans("", "", " \u00a0\u202f'")
_PLAIN = re.compile(r"^[-+0-9.,]*$")


def cell_text(cell: Cell) -> str:
    """A cell as text, with a formula-escaping quote of our own exports removed."""
    if type(cell) is str:
        text = cell.strip()
        if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
            return text[1:]
        return text
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def _clean_number(text: str) -> str:
    text = text.translate(_SPACES)
    if _PLAIN.match(text):
        return text
    return _CURRENCY.sub("", text.strip()).translate(_SPACES).replace("\u2212", "-")


def number_readings(text: str) -> tuple[bool, bool]:
    """Whether ``text`` reads as a Danish and as an English number."""
    clean = _clean_number(text)
    return bool(_DANISH.match(clean)), bool(_ENGLISH.match(clean))


def column_style(texts: Iterable[str], default: NumberStyle, *, enough: int = 1000) -> NumberStyle:
    """The number style of a column: its unambiguous values decide, else ``default``.
    A spreadsheet column keeps one format, so the first ``enough`` unambiguous values
    of one style (and none of the other) settle it."""
    danish = english = 0
    for text in texts:
        as_danish, as_english = number_readings(text)
        if as_danish and not as_english:
            danish += 1
        elif as_english and not as_danish:
            english += 1
        if danish + english >= enough and not (danish and english):
            break
    if danish and not english:
        return NumberStyle.DANISH
    if english and not danish:
        return NumberStyle.ENGLISH
    return default


def parse_number(cell: Cell, *, style: NumberStyle = NumberStyle.DANISH) -> Decimal:
    """A decimal from a cell; raises DataError/KpiError with a reason."""
    if isinstance(cell, bool):
        raise InputError("not_a_number", text=cell)
    if isinstance(cell, int | float | Decimal):
        return parse_value(cell)
    text = cell_text(cell)
    if not text:
        raise InputError("required")
    clean = _clean_number(text)
    first, second = (_DANISH, _ENGLISH) if style == NumberStyle.DANISH else (_ENGLISH, _DANISH)
    if first.match(clean):
        danish = first is _DANISH
    elif second.match(clean):
        danish = second is _DANISH
    else:
        danish = None  # 1e3 and the like
    if danish is None:
        normal = clean
    elif danish:
        normal = clean.replace(".", "").replace(",", ".")
    else:
        normal = clean.replace(",", "")
    try:
        value = Decimal(normal)
    except InvalidOperation:
        raise InputError("not_a_number", text=text[:40]) from None
    return parse_value(value)


def parse_whole_number(cell: Cell) -> int:
    value = parse_number(cell)
    if value != value.to_integral_value():
        raise DataError("not_a_whole_number", text=cell_text(cell)[:40])
    return int(value)


def parse_day(cell: Cell) -> dt.date:
    """A date from a date cell or from text in one of the accepted formats."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = cell_text(cell)
    if not text:
        raise InputError("required")
    if (
        len(text) == 10
        and text[2] == text[5]
        and text[2] in "-./"
        and text[:2].isdigit()
        and text[3:5].isdigit()
        and text[6:].isdigit()
    ):
        try:  # dd-mm-yyyy, the common case
            return dt.date(int(text[6:]), int(text[3:5]), int(text[:2]))
        except ValueError:
            pass
    match = _DMY.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        match = _ISO.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        pass
    raise DataError("not_a_date", text=text[:40])
