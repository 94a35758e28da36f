"""The ``fokus`` console script: Fokus' own commands plus Django's management commands."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fokus.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["fokus", *(sys.argv[1:] if argv is None else argv)])
