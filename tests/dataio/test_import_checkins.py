from __future__ import annotations

import codecs
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fokus.dataio.errors import DataError
from fokus.dataio.importing import kind_of, run_import, validate
from fokus.dataio.readers import read_table
from fokus.errors import RowErrors
from fokus.kpis.models import CheckIn
from tests.dataio.spreadsheets import xlsx_bytes
from tests.helpers import TODAY

pytestmark = pytest.mark.django_db

DANISH_EXCEL = (
    "KPI;Dato;Værdi;Note;Ekstern_id\r\n"
    "Nye kunder;31-01-2027;1;Bageriet Østerbro;\r\n"
    "nye-kunder;14.02.2027;1.234,50;;crm-2\r\n"
    "nye-kunder;01/03/2027;2,5;;\r\n"
)


def _import(org, data: bytes, *, kind="checkins", valid_rows_only=False, user=None):
    importer = kind_of(kind)
    validation = validate(organisation=org, kind=importer, table=read_table(data), today=TODAY)
    return run_import(
        organisation=org,
        kind=importer,
        validation=validation,
        user=user,
        valid_rows_only=valid_rows_only,
        today=TODAY,
        now=timezone.now(),
    )


def test_a_danish_excel_csv_imports_as_it_is(org, kpi, alice):
    result = _import(org, codecs.BOM_UTF8 + DANISH_EXCEL.encode(), user=alice)

    assert (result.created, result.unchanged, result.skipped) == (3, 0, 0)
    stored = list(CheckIn.objects.order_by("date").values_list("date", "value", "note", "source"))
    assert stored == [
        (dt.date(2027, 1, 31), Decimal(1), "Bageriet Østerbro", "import"),
        (dt.date(2027, 2, 14), Decimal("1234.5"), "", "import"),
        (dt.date(2027, 3, 1), Decimal("2.5"), "", "import"),
    ]
    assert CheckIn.objects.filter(created_by=alice).count() == 3


def test_the_same_file_imported_twice_changes_nothing(org, kpi):
    data = DANISH_EXCEL.encode("cp1252")
    _import(org, data)

    again = _import(org, data)

    assert (again.created, again.unchanged) == (0, 3)
    assert CheckIn.objects.count() == 3


def test_identical_rows_in_one_file_are_each_stored_once(org, kpi):
    data = b"kpi,date,value\nnye-kunder,2027-02-01,1\nnye-kunder,2027-02-01,1\n"

    first = _import(org, data)
    second = _import(org, data)
    grown = _import(org, data + b"nye-kunder,2027-02-01,1\n")

    assert (first.created, second.created, grown.created) == (2, 0, 1)
    assert CheckIn.objects.count() == 3


def test_every_bad_row_is_reported_with_row_column_and_reason_and_nothing_is_imported(
    org, kpi, make_kpi
):
    make_kpi(name="Liste", measure="checklist", items=["a"], target=None)
    data = (
        "kpi;dato;værdi\n"
        "nye-kunder;01-02-2027;1\n"
        "nye-kunder;31-02-2027;1\n"
        "findes-ikke;01-02-2027;x\n"
        "nye-kunder;01-02-2031;1\n"  # outside the period: taken, does not count
        "liste;01-02-2027;1\n"
        ";;\n"
        "nye-kunder;;\n"
    ).encode()

    validation = validate(
        organisation=org,
        kind=kind_of("checkins"),
        table=read_table(data),
        today=TODAY,
    )

    problems = [(p.row, p.column, p.code, p.message) for p in validation.problems]
    assert problems == [
        (
            3,
            "dato",
            "not_a_date",
            "“31-02-2027” er ikke en dato: brug f.eks. 31-12-2027 eller 2027-12-31.",
        ),
        (4, "kpi", "unknown_kpi", "Der er ingen KPI “findes-ikke”."),
        (4, "værdi", "not_a_number", "“x” er ikke et tal."),
        (
            6,
            "kpi",
            "checklist_needs_tick",
            "“Liste” er en tjekliste: sæt flueben ved dens punkter i stedet for at registrere "
            "en værdi.",
        ),
        (8, "dato", "required", "Der skal angives en værdi."),
        (8, "værdi", "required", "Der skal angives en værdi."),
    ]
    with pytest.raises(RowErrors):
        run_import(
            organisation=org,
            kind=kind_of("checkins"),
            validation=validation,
            today=TODAY,
            now=timezone.now(),
        )
    assert not CheckIn.objects.exists()


def test_the_valid_rows_are_imported_when_the_user_asks_for_it(org, kpi):
    data = b"kpi;dato;v\xe6rdi\nnye-kunder;01-02-2027;1\nnye-kunder;nej;1\n"

    result = _import(org, data, valid_rows_only=True)

    assert (result.created, result.skipped) == (1, 1)
    assert CheckIn.objects.count() == 1


def test_external_ids_in_the_file_keep_check_ins_from_doubling(org, kpi):
    data = b"kpi,date,value,external_id\nnye-kunder,2027-02-01,1,a\nnye-kunder,2027-02-02,1,a\n"

    result = _import(org, data)

    assert (result.created, result.unchanged) == (1, 1)


def test_an_xlsx_file_from_excel_imports_with_date_cells_and_formulas(org, kpi):
    data = xlsx_bytes(
        [
            ["KPI", "Dato", "Stk", "Værdi"],
            ["Nye kunder", dt.datetime(2027, 4, 1), 3, None],
            ["Nye kunder", "02-04-2027", 1, 1.5],
        ],
        formulas={"D2": ("C2*2", 6)},
    )

    result = _import(org, data)

    assert result.created == 2
    assert sorted(CheckIn.objects.values_list("value", flat=True)) == [Decimal("1.5"), 6]


def test_a_file_without_a_required_column_is_refused_naming_it(org, kpi):
    with pytest.raises(DataError) as error:
        _import(org, b"kpi;dato\nnye-kunder;01-02-2027\n")

    assert error.value.code == "missing_column"
    assert error.value.field == "value"
    assert "“value”, “værdi”" in str(error.value)


def test_another_organisations_kpi_cannot_be_imported_into(org, kpi, other_org, make_kpi):
    theirs = make_kpi(organisation=other_org, name="Deres")

    validation = validate(
        organisation=org,
        kind=kind_of("checkins"),
        table=read_table(f"kpi;dato;værdi\n{theirs.pk};01-02-2027;1\n".encode()),
        today=TODAY,
    )

    assert [p.code for p in validation.problems] == ["unknown_kpi"]


def test_a_value_with_many_digits_imported_twice_is_stored_once(org, kpi):
    data = "kpi;dato;værdi\nnye-kunder;01-06-2027;223456,1234567891\n".encode()
    _import(org, data)

    again = _import(org, data)

    assert (again.created, again.unchanged) == (0, 1)
    assert CheckIn.objects.get().value == Decimal("223456.123456789")
