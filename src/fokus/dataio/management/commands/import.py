"""fokus import FILE [--kind checkins|customers|contacts|revenue] [--dry-run] [--valid-rows]"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from fokus.accounts.selectors import organisation_for_cli, user_by_email
from fokus.cli.options import add_org
from fokus.dataio.errors import DataError
from fokus.dataio.importing import (
    ImportKind,
    ImportResult,
    guess_kind,
    kind_of,
    run_import,
    validate,
)
from fokus.dataio.management.commands._base import DataCommand
from fokus.dataio.readers import check_size, read_table

KINDS = ("checkins", "customers", "contacts", "revenue")


def _read(path: Path) -> bytes:
    """The file's bytes (refused above the size limit); a one-line error when it cannot
    be read."""
    try:
        check_size(path.stat().st_size)
        return path.read_bytes()
    except OSError as error:
        raise CommandError(
            _("Cannot read %(file)s: %(reason)s") % {"file": path, "reason": error.strerror}
        ) from None


def _progress(console: Console) -> Progress:
    """The bar shown on stderr while the rows are checked and imported, gone when done."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def _dry_run_summary(valid: int, kind: ImportKind) -> str:
    return ngettext(
        "%(count)s valid row of %(kind)s; nothing was imported (--dry-run).",
        "%(count)s valid rows of %(kind)s; nothing was imported (--dry-run).",
        valid,
    ) % {"count": valid, "kind": str(kind.label).lower()}


def _summary(result: ImportResult, kind: ImportKind) -> str:
    """What was imported, what was there already and what was skipped."""
    values = {
        "created": result.created,
        "kind": str(kind.label).lower(),
        "unchanged": result.unchanged,
        "skipped": result.skipped,
    }
    # One clause per count, so each says "1 row" / "2 rows" right.
    clauses = [
        ngettext(
            "Imported %(created)s row of %(kind)s",
            "Imported %(created)s %(kind)s",
            result.created,
        ),
        ngettext(
            "%(unchanged)s was there already",
            "%(unchanged)s were there already",
            result.unchanged,
        ),
        ngettext(
            "%(skipped)s invalid row skipped.",
            "%(skipped)s invalid rows skipped.",
            result.skipped,
        ),
    ]
    return "; ".join(clause % values for clause in clauses)


class Command(DataCommand):
    help = (
        "Import a CSV or XLSX file: check-ins, customers, contacts or revenue entries. "
        "Every row is checked first; nothing is imported unless all rows are valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="a .csv or .xlsx file")
        parser.add_argument(
            "--kind", choices=KINDS, help="what the file holds (default: told by its columns)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="only check the file; import nothing"
        )
        parser.add_argument(
            "--valid-rows",
            action="store_true",
            help="import the valid rows even when some rows are invalid",
        )
        parser.add_argument("--user", metavar="EMAIL", help="who the imported rows are by")
        add_org(parser)

    def run(self, **options: Any) -> None:
        organisation = organisation_for_cli(options["org"])
        user = user_by_email(options["user"]) if options["user"] else None
        table = read_table(_read(Path(options["file"])))
        kind = kind_of(options["kind"] or guess_kind(table.headers))
        err = Console(file=sys.stderr, highlight=False)
        with _progress(err) as bar:
            checking = bar.add_task(_("Checking rows"), total=len(table))
            now = timezone.now()
            today = organisation.local_date(now)
            validation = validate(
                organisation=organisation,
                kind=kind,
                table=table,
                today=today,
                progress=lambda _phase, n: bar.advance(checking, n),
            )
            bar.update(checking, completed=len(table))
            self._report(err, validation.problems)
            if validation.problems and not options["valid_rows"]:
                raise DataError("rows_invalid", count=len(validation.bad_rows), rows=len(table))
            if options["dry_run"]:
                self.stdout.write(_dry_run_summary(len(validation.records), kind))
                return
            importing = bar.add_task(_("Importing"), total=len(validation.records))
            result = run_import(
                organisation=organisation,
                kind=kind,
                validation=validation,
                today=today,
                now=now,
                user=user,
                valid_rows_only=options["valid_rows"],
                progress=lambda _phase, n: bar.advance(importing, n),
            )
        self.stdout.write(_summary(result, kind))

    def _report(self, console: Console, problems: list[Any]) -> None:
        shown = problems[:200]
        for problem in shown:
            console.print(
                _("row %(row)s, %(column)s: %(message)s")
                % {"row": problem.row, "column": problem.column or "-", "message": problem.message},
                markup=False,
                soft_wrap=True,  # one line per problem, however narrow the terminal
            )
        if len(problems) > len(shown):
            more = len(problems) - len(shown)
            console.print(
                ngettext("… and %(n)s more problem.", "… and %(n)s more problems.", more)
                % {"n": more}
            )
