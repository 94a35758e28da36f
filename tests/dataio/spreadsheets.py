"""Files as Excel saves them, for the import tests."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook


def xlsx_bytes(rows, *, formulas: dict[str, tuple[str, object]] | None = None) -> bytes:
    """An .xlsx file of ``rows``; ``formulas`` puts a formula with its last computed
    value into cells (as Excel saves them), e.g. ``{"C2": ("B2*2", 10)}``."""
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
    """``data`` (a zip file) with the part ``name`` changed by ``change(text)``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == name:
                content = change(content.decode()).encode()
            target.writestr(item, content)
    return out.getvalue()
