"""fokus serve: migrate, then the web server and the background worker together."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from fokus.cli.base import FokusCommand


def web_command(host: str, port: int, workers: int) -> list[str]:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "fokus.wsgi:application",
        "--config",
        "python:fokus.runtime",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--no-control-socket",
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
    ]


def worker_command() -> list[str]:
    return [sys.executable, "-m", "fokus", "worker"]


def run_together(commands: list[tuple[list[str], signal.Signals]]) -> int:
    """Run the processes until one stops or Ctrl-C; then stop each with its graceful
    signal. The children run in their own session, so a Ctrl-C in the terminal reaches
    only this process and no request is cut off mid-answer."""
    processes = [subprocess.Popen(command, start_new_session=True) for command, _ in commands]
    stop_signals = [stop for _, stop in commands]
    interrupted = False

    def forward(signum: int, _frame: Any) -> None:
        nonlocal interrupted
        interrupted = True

    # Handle Ctrl-C (SIGINT) and SIGTERM ourselves: a SIGINT that the launching shell set
    # to "ignore" (background jobs) must still stop Fokus.
    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not interrupted and all(p.poll() is None for p in processes):
            time.sleep(0.2)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for process, stop in zip(processes, stop_signals, strict=True):
            if process.poll() is None:
                process.send_signal(stop)
        deadline = time.monotonic() + 15
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    if interrupted:
        return 0
    return max((p.returncode or 0) for p in processes)


class Command(FokusCommand):
    help = "Migrate the database, then serve the web app and run the background worker."

    def add_arguments(self, parser: CommandParser) -> None:
        add_serve_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        serve(self, options)


def add_serve_arguments(parser: CommandParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--workers", type=int, default=2, help="web processes")


def serve(command: FokusCommand, options: dict[str, Any]) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    host, port = options["host"], options["port"]
    shown = f"[{host}]" if ":" in host else host
    command.stdout.write(
        _("Fokus runs on http://%(host)s:%(port)s (Ctrl-C stops it).")
        % {
            "host": shown,
            "port": port,
        }
    )
    command.stdout.flush()
    code = run_together(
        [
            # gunicorn finishes the requests in flight on SIGTERM; Huey on SIGINT.
            (web_command(host, port, options["workers"]), signal.SIGTERM),
            (worker_command(), signal.SIGINT),
        ]
    )
    if code:
        sys.exit(code)
