"""fokus restore FILE"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fokus.dataio.backup import backup_restore
from fokus.dataio.management.commands._base import DataCommand


class Command(DataCommand):
    help = "Restore a JSON backup (fokus export --format json) into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE")

    def run(self, **options: Any) -> None:
        path = Path(options["file"])
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": path, "reason": error.strerror}
            ) from None
        # A brand-new data dir is the emptiest database of all: set it up first.
        call_command("migrate", verbosity=0, interactive=False)
        counts = backup_restore(raw)
        rows = sum(counts.values())
        self.stdout.write(
            # every kind restored has a row, so 1 row is also 1 kind
            ngettext(
                "Restored %(rows)s row of %(models)s kind.",
                "Restored %(rows)s rows of %(models)s kinds.",
                rows,
            )
            % {"rows": rows, "models": len(counts)}
        )
