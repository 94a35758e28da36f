"""The data commands' base: each does its work in ``run`` (the refusals become one line
and exit code 1 in ``FokusCommand``)."""

from __future__ import annotations

from typing import Any

from fokus.cli.base import FokusCommand


class DataCommand(FokusCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        self.run(**options)

    def run(self, **options: Any) -> None:
        raise NotImplementedError
