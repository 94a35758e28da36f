"""fokus token create EMAIL"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from fokus.accounts.errors import AccountError
from fokus.accounts.selectors import organisation_for_cli, user_by_email
from fokus.accounts.services import token_create
from fokus.cli.base import FokusCommand
from fokus.cli.options import add_org
from fokus.errors import NotFound


class Command(FokusCommand):
    help = "Create API tokens (the token is printed once; only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subcommands(parser)
        p = sub.add_parser("create", help="print a new API token for the user")
        p.add_argument("email", metavar="EMAIL")
        p.add_argument("--name", default="", help="what the token is for")
        add_org(p)

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["email"])
        if user is None:
            raise NotFound("unknown_user", email=options["email"])
        if options["org"]:
            organisation = organisation_for_cli(options["org"])
        else:
            membership = user.memberships.select_related("organisation").order_by("id").first()
            if membership is None:
                raise AccountError("no_organisation")
            organisation = membership.organisation
        _token, raw = token_create(user=user, organisation=organisation, name=options["name"])
        self.stdout.write(raw)
