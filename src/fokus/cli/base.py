"""What every Fokus command shares: one-line errors with exit code 1 (every refusal of
the product, ``fokus.errors``), the user's language, JSON output and rich tables."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from rich.console import Console
from rich.table import Table

from fokus.errors import REFUSALS, refusal


class OneLineParser(CommandParser):
    """Bad flags are a user error too: one line on stderr and exit code 1."""

    def error(self, message: str) -> NoReturn:
        if getattr(self, "called_from_command_line", False):
            sys.stderr.write(f"{self.prog}: {message}\n")
            sys.exit(1)
        raise CommandError(f"Error: {message}")


class FokusCommand(BaseCommand):
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = OneLineParser
        return parser

    def add_subcommands(self, parser: CommandParser, dest: str = "action") -> Any:
        return parser.add_subparsers(dest=dest, required=True, parser_class=OneLineParser)

    def run_from_argv(self, argv: list[str]) -> None:
        try:
            super().run_from_argv(argv)
        except KeyboardInterrupt:
            sys.exit(130)

    def execute(self, *args: Any, **options: Any) -> Any:
        translation.activate(settings.LANGUAGE_CODE)
        try:
            return super().execute(*args, **options)
        except REFUSALS as error:
            message = refusal(error).message
        except CommandError as error:
            message = str(error)
        if getattr(self, "_called_from_command_line", False):
            sys.stderr.write(f"fokus: {message}\n")
            sys.exit(1)
        raise CommandError(message, returncode=1)

    # Output helpers.
    def write_json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))

    def console(self) -> Console:
        return Console(file=self.stdout._out, highlight=False, soft_wrap=True)  # type: ignore[arg-type]

    def print_table(self, table: Table) -> None:
        self.console().print(table)
