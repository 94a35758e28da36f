"""fokus createuser EMAIL --org NAME [--role owner]"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from fokus.accounts.errors import AccountError
from fokus.accounts.models import Role
from fokus.accounts.services import user_create
from fokus.cli.base import FokusCommand


class Command(FokusCommand):
    help = (
        "Create a user and their organisation. The password is read from stdin when stdin "
        "is not a terminal, else prompted for."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", metavar="EMAIL")
        parser.add_argument("--org", required=True, metavar="NAME", help="organisation name")
        parser.add_argument("--role", choices=Role.values, default=Role.OWNER)

    def handle(self, *args: Any, **options: Any) -> None:
        if sys.stdin.isatty():
            password = getpass.getpass(_("Password: "))
            if password != getpass.getpass(_("Password (again): ")):
                raise AccountError("password_mismatch")
        else:
            password = sys.stdin.readline().rstrip("\r\n")
        membership = user_create(
            email=options["email"],
            password=password,
            organisation_name=options["org"],
            role=options["role"],
        )
        self.stdout.write(
            _("Created %(email)s as %(role)s of %(org)s (%(slug)s).")
            % {
                "email": membership.user.email,
                "role": membership.role,
                "org": membership.organisation.name,
                "slug": membership.organisation.slug,
            }
        )
