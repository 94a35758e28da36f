"""fokus worker: the background worker alone (for scaled set-ups)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser

from fokus.cli.base import FokusCommand
from fokus.runtime import tune_worker_process


class Command(FokusCommand):
    help = "Run the background worker (scheduled scans and deliveries) alone."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--threads", type=int, default=2, help="worker threads")

    def handle(self, *args: Any, **options: Any) -> None:
        tune_worker_process()
        call_command("run_huey", workers=options["threads"], worker_type="thread")
