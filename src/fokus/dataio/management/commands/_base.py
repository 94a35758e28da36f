"""The data commands' base: their typed errors become one line and exit code 1."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from fokus.cli.base import FokusCommand
from fokus.dataio.errors import DataError
from fokus.errors import RowErrors


class DataCommand(FokusCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.run(**options)
        except DataError as error:
            raise CommandError(error.message) from None
        except RowErrors as error:
            raise CommandError(str(error)) from None

    def run(self, **options: Any) -> None:
        raise NotImplementedError
