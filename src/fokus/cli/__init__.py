"""The ``fokus`` console script: Fokus' own commands plus Django's management commands.

Whatever goes wrong before or around a command is still one line on stderr with exit
code 1, never a traceback: a bad setting, an unknown command, a database that is not
set up yet or cannot be reached."""

from __future__ import annotations

import os
import sys

ERROR_EXIT = 1


def _fail(message: str) -> None:
    sys.stderr.write(f"fokus: {message}\n")
    sys.exit(ERROR_EXIT)


def _setup() -> None:
    """Load the settings and apps, then speak the configured language (what goes wrong
    around a command is said in it, as the commands say their own errors)."""
    import django
    from django.conf import settings
    from django.utils import translation

    try:
        django.setup()
    except Exception as error:  # any bad environment variable, e.g. an unknown time zone
        _fail(f"the configuration is invalid: {error}")
    translation.activate(settings.LANGUAGE_CODE)


def _known(command: str) -> bool:
    from django.core.management import get_commands

    return command in get_commands() or command == "help"


def _database_problem(error: Exception) -> str:
    from django.utils.translation import gettext

    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    # A missing table, on SQLite or PostgreSQL (undefined_table); not a missing database.
    if "no such table" in text or getattr(error.__cause__, "sqlstate", None) == "42P01":
        return gettext("The database is not set up yet: run “fokus migrate” first.")
    return gettext("The database cannot be used: %(error)s") % {"error": text}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fokus.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    args = sys.argv[1:] if argv is None else argv
    if any(arg.startswith(("--settings", "--pythonpath")) for arg in args):
        # Django reads these before it sets up; leave everything to it.
        execute_from_command_line(["fokus", *args])
        return
    if args in (["--version"], ["version"]):
        from fokus import __version__

        sys.stdout.write(f"fokus {__version__}\n")  # Django's would print its own version
        return
    _setup()
    if args and not args[0].startswith("-") and not _known(args[0]):
        from django.utils.translation import gettext

        _fail(
            gettext("unknown command “%(command)s”; “fokus help” lists the commands")
            % {"command": args[0]}
        )
    try:
        execute_from_command_line(["fokus", *args])
    except ImproperlyConfigured as error:
        _fail(f"the configuration is invalid: {error}")
    except DatabaseError as error:
        _fail(_database_problem(error))
