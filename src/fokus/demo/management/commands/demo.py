"""fokus demo: load the demo organisation, then serve."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from fokus.cli.base import FokusCommand
from fokus.cli.management.commands.serve import add_serve_arguments, serve
from fokus.demo.services import DEMO_EMAIL, DEMO_PASSWORD, demo_load


class Command(FokusCommand):
    help = "Load the demo organisation Demo ApS (the article's examples), then serve."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="load the demo and stop")
        parser.add_argument(
            "--reset", action="store_true", help="delete and rebuild an existing demo"
        )
        add_serve_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        now = timezone.now()
        today = now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
        organisation = demo_load(today=today, now=now, reset=options["reset"])
        self.stdout.write(
            _("Demo organisation %(org)s is ready. Log in as %(email)s with password %(pw)s")
            % {"org": organisation.name, "email": DEMO_EMAIL, "pw": DEMO_PASSWORD}
        )
        if not options["no_serve"]:
            serve(self, options)
