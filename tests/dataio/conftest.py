"""Fixtures of the data in/out tests: files as Danish and English spreadsheets make them."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest

TODAY = dt.datetime(2027, 6, 30, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(TODAY, tick=False)
    return TODAY.date()


def xlsx_bytes(rows, *, formulas: dict[str, tuple[str, object]] | None = None) -> bytes:
    """An .xlsx file of ``rows``; ``formulas`` puts a formula with its last computed
    value into cells (as Excel saves them), e.g. ``{"C2": ("B2*2", 10)}``."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cell, (formula, _value) in (formulas or {}).items():
        sheet[cell] = f"={formula}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    if not formulas:
        return buffer.getvalue()
    return rewrite_part(
        buffer.getvalue(),
        "xl/worksheets/sheet1.xml",
        lambda xml: _with_cached_values(xml, formulas),
    )


def _with_cached_values(xml: str, formulas: dict[str, tuple[str, object]]) -> str:
    for cell, (_formula, value) in formulas.items():
        xml = re.sub(
            rf'(<c r="{cell}"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v></v>)?',
            rf"\1<v>{value}</v>",
            xml,
        )
    return xml


def rewrite_part(data: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == name:
                content = change(content.decode()).encode()
            target.writestr(item, content)
    return out.getvalue()


@pytest.fixture
def kpi(make_kpi):
    return make_kpi(name="Nye kunder")
