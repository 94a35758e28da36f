"""fokus contact CUSTOMER [--date D] [--kind call|email|meeting|advisory|other] [--note N]
[--json]: ``--json`` prints the logged contact as ``POST /customers/{id}/contacts``
answers it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from fokus.accounts.selectors import organisation_for_cli
from fokus.cli.base import FokusCommand
from fokus.cli.options import add_json, add_org, date_arg
from fokus.customers.models import ContactKind
from fokus.customers.selectors import customer_get
from fokus.customers.services import contact_log
from fokus.customers.shapes import contact_to_dict


class Command(FokusCommand):
    help = "Log a contact with a customer; the next contact falls due one interval later."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("customer", metavar="CUSTOMER", help="id or exact name")
        parser.add_argument("--date", type=date_arg, metavar="D", help="default: today")
        parser.add_argument("--kind", choices=ContactKind.values, default=ContactKind.CALL)
        parser.add_argument("--note", default="", metavar="N")
        add_json(parser)
        add_org(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_for_cli(options["org"])
        now = timezone.now()
        today = organisation.local_date(now)
        customer = customer_get(organisation=organisation, ref=options["customer"])
        contact = contact_log(
            customer=customer,
            date=options["date"] or today,
            kind=options["kind"],
            note=options["note"],
            today=today,
            now=now,
        )
        if options["json"]:
            self.write_json(contact_to_dict(contact))
            return
        self.stdout.write(
            _("Logged a %(kind)s with %(name)s on %(date)s; next contact due %(due)s.")
            % {
                "kind": str(contact.get_kind_display()).lower(),
                "name": customer.name,
                "date": contact.date,
                "due": customer.contact_due_on,
            }
        )
        if contact.kind == ContactKind.ADVISORY:
            self.stdout.write(
                _("The yearly advisory meeting is recorded as held; the next one is due %(due)s.")
                % {"due": customer.advisory_due_on}
            )
