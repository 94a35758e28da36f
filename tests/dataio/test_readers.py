from __future__ import annotations

import codecs
import datetime as dt
import io
import zipfile

import pytest

from fokus.dataio import readers
from fokus.dataio.errors import DataError
from fokus.dataio.parsing import NumberStyle
from tests.dataio.spreadsheets import rewrite_part, xlsx_bytes

DANISH = "kpi;dato;værdi;note\nnye-kunder;31-12-2027;1.234,50;Bageriet Østerbro\n"


def test_a_semicolon_file_in_utf8_with_a_bom_is_read_as_a_danish_table():
    table = readers.read_table(codecs.BOM_UTF8 + DANISH.encode())

    assert table.headers == ["kpi", "dato", "værdi", "note"]
    assert table.rows == [(2, ["nye-kunder", "31-12-2027", "1.234,50", "Bageriet Østerbro"])]
    assert table.number_style == NumberStyle.DANISH


def test_a_windows_1252_file_keeps_its_danish_letters():
    table = readers.read_table(DANISH.encode("cp1252"))

    assert table.headers[2] == "værdi"
    assert table.rows[0][1][3] == "Bageriet Østerbro"


def test_a_comma_file_reads_as_english_and_quoted_commas_stay_in_their_cell():
    table = readers.read_table(b'kpi,date,value,note\n1,2027-12-31,1234.50,"hej, du"\n')

    assert table.rows[0][1] == ["1", "2027-12-31", "1234.50", "hej, du"]
    assert table.number_style == NumberStyle.ENGLISH


def test_a_tab_separated_utf16_file_from_excel_is_read():
    text = "kpi\tdato\tværdi\nnye-kunder\t01-02-2027\t5\n"
    table = readers.read_table(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))

    assert table.rows == [(2, ["nye-kunder", "01-02-2027", "5"])]


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers():
    table = readers.read_table(b"kpi;dato;v\n\n;;\na;01-01-2027;1\n")

    assert table.rows == [(4, ["a", "01-01-2027", "1"])]


def test_an_empty_file_and_a_file_over_the_size_limit_are_refused(settings):
    settings.FOKUS_IMPORT_MAX_BYTES = 100

    with pytest.raises(DataError) as empty:
        readers.read_table(b"")
    with pytest.raises(DataError) as large:
        readers.read_table(b"a;b\n" + b"1;2\n" * 100)

    assert empty.value.code == "file_empty"
    assert large.value.code == "file_too_large"


def test_an_old_xls_file_is_refused_with_advice():
    with pytest.raises(DataError) as error:
        readers.read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)

    assert error.value.code == "xls_not_supported"


def test_an_xlsx_file_gives_typed_cells():
    data = xlsx_bytes([["kpi", "dato", "værdi"], ["nye-kunder", dt.date(2027, 3, 1), 2.5]])

    table = readers.read_table(data)

    assert table.headers == ["kpi", "dato", "værdi"]
    assert table.rows == [(2, ["nye-kunder", dt.datetime(2027, 3, 1), 2.5])]


def test_formulas_are_read_as_their_computed_values():
    data = xlsx_bytes(
        [["kpi", "dato", "a", "værdi"], ["x", "01-03-2027", 5, None]],
        formulas={"D2": ("C2*2", 10)},
    )

    table = readers.read_table(data)

    assert table.rows[0][1][3] == 10


def test_an_xlsx_with_too_many_parts_is_refused_before_parsing():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for i in range(readers.MAX_XLSX_ENTRIES + 1):
            archive.writestr(f"x/{i}.xml", "")

    with pytest.raises(DataError) as error:
        readers.read_table(out.getvalue())

    assert error.value.code == "xlsx_too_many_entries"


def test_an_xlsx_that_unpacks_too_large_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(readers, "MAX_XLSX_UNPACKED", 1024 * 1024)
    data = rewrite_part(xlsx_bytes([["a"], [1]]), "xl/sharedStrings.xml", lambda _x: "")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        source = zipfile.ZipFile(io.BytesIO(data))
        for item in source.infolist():
            archive.writestr(item, source.read(item.filename))
        archive.writestr("xl/media/zeros.bin", b"\0" * (2 * 1024 * 1024))

    with pytest.raises(DataError) as error:
        readers.read_table(out.getvalue())

    assert error.value.code == "xlsx_too_large"


def test_an_xml_entity_attack_is_refused():
    bomb = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    data = rewrite_part(
        xlsx_bytes([["kpi"], ["x"]]),
        "xl/worksheets/sheet1.xml",
        lambda xml: bomb + xml,
    )

    with pytest.raises(DataError) as error:
        readers.read_table(data)

    assert error.value.code == "xlsx_unsafe"


def test_a_damaged_xlsx_is_refused():
    with pytest.raises(DataError) as error:
        readers.read_table(b"PK\x03\x04 not really a zip")

    assert error.value.code == "xlsx_invalid"
