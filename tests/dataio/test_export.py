from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from fokus.customers.services import contact_log, customer_create
from fokus.dataio.exporting import csv_bytes, export_tables, xlsx_bytes
from fokus.dataio.importing import kind_of, run_import, validate
from fokus.dataio.readers import read_table
from fokus.kpis.models import CheckIn
from fokus.kpis.services import checkin_record
from tests.helpers import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(org, kpi, today):
    checkin_record(
        kpi=kpi, date=dt.date(2027, 2, 1), value=Decimal("1234.5"), note='=HYPERLINK("x")'
    )
    checkin_record(
        kpi=kpi, date=dt.date(2027, 3, 1), value=Decimal(-2), note="-1+1", external_id="a"
    )
    customer = customer_create(
        organisation=org,
        name="@Bageriet",
        since=dt.date(2026, 1, 1),
        monthly_revenue=Decimal("99.5"),
        today=today,
    )
    contact_log(
        customer=customer,
        date=dt.date(2027, 2, 2),
        note="+45 1234",
        today=today,
        now=timezone.now(),
    )
    return org


def _rows(data: bytes, delimiter=";"):
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode()), delimiter=delimiter))


def test_a_danish_csv_of_checkins_has_semicolons_decimal_commas_and_escaped_formulas(data, today):
    (table,) = export_tables(data, as_of=today, names=("checkins",))

    rows = _rows(csv_bytes(table))

    assert rows[0][:5] == ["kpi", "date", "value", "note", "external_id"]
    assert rows[1][:5] == ["nye-kunder", "2027-02-01", "1234,5", '\'=HYPERLINK("x")', ""]
    assert rows[2][:5] == ["nye-kunder", "2027-03-01", "-2", "'-1+1", "a"]


def test_an_english_csv_has_commas_and_decimal_points(data, today):
    (table,) = export_tables(data, as_of=today, names=("checkins",))

    rows = _rows(csv_bytes(table, danish=False), delimiter=",")

    assert rows[1][2] == "1234.5"


def test_kpis_are_exported_with_their_evaluation(data, today):
    (table,) = export_tables(data, as_of=today, names=("kpis",))
    rows = _rows(csv_bytes(table))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))

    assert "status" in header and "progress" in header
    assert first["name"] == "Nye kunder"
    assert first["actual"] == "1232,5"
    assert first["as_of"] == "2027-06-30"


def test_customers_and_contacts_are_exported_with_escaping(data, today):
    customers, contacts = export_tables(data, as_of=today, names=("customers", "contacts"))

    customer_rows = _rows(csv_bytes(customers))
    contact_rows = _rows(csv_bytes(contacts))

    assert customer_rows[1][1] == "'@Bageriet"
    assert customer_rows[1][8] == "99,5"
    assert contact_rows[1][4] == "'+45 1234"


def test_an_xlsx_export_has_one_sheet_per_table_with_typed_cells_and_no_formulas(data, today):
    workbook = load_workbook(io.BytesIO(xlsx_bytes(export_tables(data, as_of=today))))

    assert len(workbook.sheetnames) == 4
    checkins = workbook.worksheets[1]
    values = [[c.value for c in row] for row in checkins.iter_rows()]
    assert values[1][1] == dt.datetime(2027, 2, 1)
    assert values[1][2] == 1234.5
    assert values[1][3] == '\'=HYPERLINK("x")'
    assert all(c.data_type != "f" for row in checkins.iter_rows() for c in row)


def test_exported_checkins_import_back_without_changes(data, today):
    for data_bytes in (
        csv_bytes(export_tables(data, as_of=today, names=("checkins",))[0]),
        xlsx_bytes(export_tables(data, as_of=today, names=("checkins",))),
    ):
        kind = kind_of("checkins")
        validation = validate(
            organisation=data, kind=kind, table=read_table(data_bytes), today=TODAY
        )
        result = run_import(
            organisation=data,
            kind=kind,
            validation=validation,
            today=TODAY,
            now=timezone.now(),
        )

        assert validation.problems == []
        assert (result.created, result.unchanged) == (0, 2)
    assert CheckIn.objects.count() == 2


def test_the_export_command_writes_csv_files_and_a_workbook(data, tmp_path):
    call_command("export", "--format", "csv", "--out", str(tmp_path / "csv"), stderr=io.StringIO())
    call_command(
        "export", "--format", "xlsx", "--out", str(tmp_path / "a.xlsx"), stderr=io.StringIO()
    )
    out = io.StringIO()
    call_command("export", "--format", "csv", "--table", "checkins", "--english", stdout=out)

    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        "checkins.csv",
        "contacts.csv",
        "customers.csv",
        "kpis.csv",
    ]
    assert load_workbook(tmp_path / "a.xlsx").sheetnames == [
        "KPI'er",
        "Registreringer",
        "Kunder",
        "Kontakter",
    ]
    assert out.getvalue().lstrip("\ufeff").startswith("kpi,date,value")
