"""fokus export [--format csv|xlsx|json] [--out PATH] [--table T]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from fokus.accounts.selectors import organisation_for_cli
from fokus.cli.options import add_as_of, add_org
from fokus.dataio.backup import backup_create, backup_json
from fokus.dataio.exporting import TABLES, csv_bytes, export_tables, xlsx_bytes
from fokus.dataio.management.commands._base import DataCommand


class Command(DataCommand):
    help = (
        "Export KPIs with their evaluations, check-ins, customers and contacts as CSV or "
        "XLSX; --format json writes the full backup of the organisation (see fokus restore)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format",
            choices=("csv", "xlsx", "json"),
            default="xlsx",
            help="xlsx (default): one sheet per table; csv; json: the full backup",
        )
        parser.add_argument(
            "--out",
            metavar="PATH",
            help="file to write (CSV of all tables: a directory); default: standard output "
            "for CSV of one table and JSON, fokus-export-DATE.xlsx for XLSX",
        )
        parser.add_argument(
            "--table",
            choices=("all", *TABLES),
            default="all",
            help="which table (CSV and XLSX)",
        )
        parser.add_argument(
            "--english",
            action="store_true",
            help="CSV with , and a decimal point (default: ; and a decimal comma, as Danish "
            "Excel expects)",
        )
        add_as_of(parser)
        add_org(parser)

    def run(self, **options: Any) -> None:
        organisation = organisation_for_cli(options["org"])
        as_of = options["as_of"] or organisation.local_date(timezone.now())
        out = Path(options["out"]) if options["out"] else None
        if options["format"] == "json":
            text = backup_json(backup_create(organisation=organisation, now=timezone.now()))
            self._write(out, text.encode())
            return
        names = TABLES if options["table"] == "all" else (options["table"],)
        tables = export_tables(organisation, as_of=as_of, names=names)
        if options["format"] == "xlsx":
            out = out or Path(f"fokus-export-{as_of.isoformat()}.xlsx")
            self._write(out, xlsx_bytes(tables))
            return
        if len(tables) == 1:
            self._write(out, csv_bytes(tables[0], danish=not options["english"]))
            return
        directory = out or Path(f"fokus-export-{as_of.isoformat()}")
        directory.mkdir(parents=True, exist_ok=True)
        for table in tables:
            self._write(
                directory / f"{table.name}.csv", csv_bytes(table, danish=not options["english"])
            )

    def _write(self, path: Path | None, data: bytes) -> None:
        if path is None:
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        try:
            path.write_bytes(data)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(reason)s") % {"file": path, "reason": error.strerror}
            ) from None
        self.stderr.write(_("Wrote %(file)s.") % {"file": path})
