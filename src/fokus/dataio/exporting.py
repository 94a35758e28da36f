"""Export of KPIs (with their evaluations), check-ins, customers and contacts as CSV or
XLSX. Text cells that a spreadsheet could run as a formula (starting with ``=``, ``+``,
``-``, ``@``, tab or CR) get a leading ``'``; the import removes it again.

The check-in and customer tables use the import's column names, so an export imports
back as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from fokus.accounts.models import Organisation
from fokus.dataio.errors import DataError
from fokus.kpis.models import CheckIn
from fokus.kpis.selectors import kpi_evaluations, kpi_list

Value = str | int | float | Decimal | dt.date | bool | None
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
TABLES = ("kpis", "checkins", "customers", "contacts")


@dataclass
class ExportTable:
    name: str
    title: str
    headers: list[str]
    rows: Iterator[list[Value]]


def escape_formula(text: str) -> str:
    """Text a spreadsheet would treat as a formula, made plain text."""
    return "'" + text if text.startswith(DANGEROUS) else text


def _number(value: float | Decimal | None) -> float | Decimal | None:
    return value


def kpis_table(organisation: Organisation, as_of: dt.date) -> ExportTable:
    kpis = kpi_list(organisation=organisation)
    evaluations = kpi_evaluations(organisation=organisation, kpis=kpis, as_of=as_of)

    def rows() -> Iterator[list[Value]]:
        for kpi in kpis:
            e = evaluations[kpi.pk]
            yield [
                kpi.pk, kpi.slug, kpi.name, kpi.category, kpi.unit, kpi.unit_label,
                kpi.direction, kpi.measure, kpi.start, kpi.end, kpi.baseline, kpi.target,
                kpi.interval or "", kpi.interval_target, kpi.focus,
                e.as_of, e.actual, e.plan, e.progress, e.expected_progress, e.pace,
                e.forecast, e.forecast_progress, str(e.status),
            ]  # fmt: skip

    headers = [
        "id", "slug", "name", "category", "unit", "unit_label", "direction", "measure",
        "start", "end", "baseline", "target", "interval", "interval_target", "focus",
        "as_of", "actual", "plan", "progress", "expected_progress", "pace", "forecast",
        "forecast_progress", "status",
    ]  # fmt: skip
    return ExportTable("kpis", str(_("KPIs")), headers, rows())


def checkins_table(organisation: Organisation) -> ExportTable:
    queryset = (
        CheckIn.objects.filter(kpi__organisation=organisation, kpi__archived_at__isnull=True)
        .order_by("kpi__slug", "date", "id")
        .values_list(
            "kpi__slug", "date", "value", "note", "external_id", "source", "created_at", "id"
        )
    )

    def rows() -> Iterator[list[Value]]:
        for slug, date, value, note, external_id, source, created_at, pk in queryset.iterator(
            chunk_size=5000
        ):
            yield [slug, date, value, note, external_id or "", source, created_at, pk]

    headers = ["kpi", "date", "value", "note", "external_id", "source", "created_at", "id"]
    return ExportTable("checkins", str(_("Check-ins")), headers, rows())


def customers_table(organisation: Organisation) -> ExportTable:
    from fokus.customers.models import Customer

    queryset = Customer.objects.filter(organisation=organisation).order_by("name", "id")

    def rows() -> Iterator[list[Value]]:
        for c in queryset.iterator(chunk_size=2000):
            yield [
                c.pk, c.name, c.cvr, c.contact_person, c.email, c.phone, c.status, c.since,
                c.monthly_revenue, c.contact_interval_months, c.last_contact_on,
                c.contact_due_on, c.notes,
            ]  # fmt: skip

    headers = [
        "id", "name", "cvr", "contact_person", "email", "phone", "status", "since",
        "monthly_revenue", "interval_months", "last_contact", "contact_due", "notes",
    ]  # fmt: skip
    return ExportTable("customers", str(_("Customers")), headers, rows())


def contacts_table(organisation: Organisation) -> ExportTable:
    from fokus.customers.models import Contact

    queryset = (
        Contact.objects.filter(customer__organisation=organisation)
        .order_by("customer__name", "date", "id")
        .values_list("customer__name", "customer_id", "date", "kind", "note", "user__email")
    )

    def rows() -> Iterator[list[Value]]:
        for name, customer_id, date, kind, note, email in queryset.iterator(chunk_size=5000):
            yield [name, customer_id, date, kind, note, email or ""]

    headers = ["customer", "customer_id", "date", "kind", "note", "user"]
    return ExportTable("contacts", str(_("Contacts")), headers, rows())


def export_tables(
    organisation: Organisation, *, as_of: dt.date, names: tuple[str, ...] = TABLES
) -> list[ExportTable]:
    makers: dict[str, Callable[[], ExportTable]] = {
        "kpis": lambda: kpis_table(organisation, as_of),
        "checkins": lambda: checkins_table(organisation),
        "customers": lambda: customers_table(organisation),
        "contacts": lambda: contacts_table(organisation),
    }
    for name in names:
        if name not in makers:
            raise DataError("unknown_kind", kind=name)
    return [makers[name]() for name in names]


# Writers ------------------------------------------------------------------------------


def _csv_cell(value: Value, *, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal | int | float):
        text = _plain_number(value)
        return text.replace(".", ",") if decimal_comma else text
    return escape_formula(str(value))


def _plain_number(value: Decimal | int | float) -> str:
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    if isinstance(value, Decimal):
        value = value.normalize() if value == value.to_integral_value() else value
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def write_csv(table: ExportTable, out: io.TextIOBase | Any, *, danish: bool = True) -> None:
    """Danish spreadsheets: ``;`` and decimal comma; otherwise ``,`` and decimal point.
    Write to a text stream; callers add the UTF-8 BOM that Excel needs."""
    writer = csv.writer(out, delimiter=";" if danish else ",", lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_csv_cell(v, decimal_comma=danish) for v in row])


def csv_bytes(table: ExportTable, *, danish: bool = True) -> bytes:
    text = io.StringIO()
    write_csv(table, text, danish=danish)
    return b"\xef\xbb\xbf" + text.getvalue().encode("utf-8")


def _xlsx_cell(value: Value) -> Any:
    if isinstance(value, str):
        return escape_formula(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value


def xlsx_bytes(tables: list[ExportTable]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(title=table.title[:31])
        sheet.append(table.headers)
        for row in table.rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=_xlsx_cell(value))
                if isinstance(value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm:ss"
                elif isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
