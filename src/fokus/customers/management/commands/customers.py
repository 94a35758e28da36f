"""fokus customers add | due | list | delete"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rich.table import Table

from fokus.accounts.models import Organisation
from fokus.accounts.selectors import organisation_for_cli
from fokus.cli.base import FokusCommand
from fokus.cli.options import add_as_of, add_json, add_org, date_arg, value_arg
from fokus.customers.errors import CustomerError
from fokus.customers.models import CustomerStatus
from fokus.customers.presenters import deletion_summary
from fokus.customers.selectors import (
    CustomerFilter,
    customer_get,
    customer_list,
    customers_due,
)
from fokus.customers.services import customer_create, customer_delete
from fokus.customers.shapes import customer_to_dict, due_to_dict

STATE_LABELS = {
    "overdue": gettext_lazy("overdue"),
    "due_soon": gettext_lazy("due soon"),
    "ok": gettext_lazy("ok"),
}


def months_arg(text: str) -> int:
    value = text.strip()
    if not value.isdigit() or not 1 <= int(value) <= 120:
        raise argparse.ArgumentTypeError(
            _("“%(text)s” is not a number of months from 1 to 120.") % {"text": text}
        )
    return int(value)


class Command(FokusCommand):
    help = "Add customers, list them, and show who is overdue or due soon for contact."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subcommands(parser)

        p = sub.add_parser("add", help="add a customer (default status active)")
        p.add_argument("name", metavar="NAME")
        p.add_argument("--since", type=date_arg, metavar="DATE", help="default: today")
        p.add_argument("--status", choices=CustomerStatus.values, default=CustomerStatus.ACTIVE)
        p.add_argument(
            "--interval-months",
            type=months_arg,
            metavar="N",
            help="contact interval (default: the organisation's, normally 3)",
        )
        p.add_argument("--email", default="", metavar="E")
        p.add_argument("--phone", default="", metavar="P")
        p.add_argument("--cvr", default="", metavar="CVR")
        p.add_argument("--contact-person", default="", metavar="NAME")
        p.add_argument("--monthly-revenue", type=value_arg, metavar="X")
        p.add_argument("--tag", action="append", default=[], metavar="TAG")
        p.add_argument(
            "--last-contact", type=date_arg, metavar="DATE", help="log a contact of that date"
        )
        p.add_argument(
            "--clock-start",
            type=date_arg,
            metavar="DATE",
            help="when no contact is known: count the contact interval from this day",
        )
        add_json(p)
        add_org(p)

        p = sub.add_parser("due", help="overdue and due-soon customers")
        add_as_of(p)
        add_json(p)
        add_org(p)

        p = sub.add_parser("list", help="the customer register")
        p.add_argument("--search", default="", metavar="TEXT")
        p.add_argument("--status", choices=CustomerStatus.values, default="")
        add_json(p)
        add_org(p)

        p = sub.add_parser(
            "delete", help="delete a customer with everything that is theirs (needs --yes)"
        )
        p.add_argument("customer", metavar="CUSTOMER", help="id or exact name")
        p.add_argument("--yes", action="store_true", help="delete; without it, say what would go")
        add_org(p)

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_for_cli(options["org"])
        getattr(self, "handle_" + options["action"])(organisation, options)

    def handle_add(self, organisation: Organisation, options: dict[str, Any]) -> None:
        today = organisation.local_date(timezone.now())
        customer = customer_create(
            organisation=organisation,
            name=options["name"],
            since=options["since"] or today,
            status=options["status"],
            interval_months=options["interval_months"],
            email=options["email"],
            phone=options["phone"],
            cvr=options["cvr"],
            contact_person=options["contact_person"],
            monthly_revenue=options["monthly_revenue"],
            tags=options["tag"],
            last_contact=options["last_contact"],
            clock_start=options["clock_start"],
            today=today,
        )
        customer = customer_get(organisation=organisation, ref=customer.pk)
        if options["json"]:
            self.write_json(customer_to_dict(customer))
            return
        self.stdout.write(
            _("Added customer %(name)s (id %(id)s); next contact due %(due)s.")
            % {"name": customer.name, "id": customer.pk, "due": customer.contact_due_on}
        )

    def handle_due(self, organisation: Organisation, options: dict[str, Any]) -> None:
        as_of = options["as_of"] or organisation.local_date(timezone.now())
        rows = customers_due(organisation=organisation, as_of=as_of)
        if options["json"]:
            self.write_json([due_to_dict(customer, due) for customer, due in rows])
            return
        if not rows:
            self.stdout.write(
                _("No customer is overdue or due soon as of %(date)s.") % {"date": as_of}
            )
            return
        snoozed = any(due.snoozed_until for _, due in rows)
        table = Table(title=f"{organisation.name} · {as_of.isoformat()}")
        table.add_column("id", no_wrap=True)
        table.add_column(_("Customer"))
        table.add_column(_("Last contact"), no_wrap=True)
        table.add_column(_("Due"), no_wrap=True)
        table.add_column(_("State"), no_wrap=True)
        table.add_column(_("Days"), justify="right", no_wrap=True)
        if snoozed:
            table.add_column(_("Snoozed until"), no_wrap=True)
        for customer, due in rows:
            cells = [
                str(customer.pk),
                customer.name,
                due.last_contact.isoformat(),
                due.due.isoformat(),
                str(STATE_LABELS[str(due.state)]),
                "" if due.days_overdue is None else str(due.days_overdue),
            ]
            if snoozed:
                cells.append(due.snoozed_until.isoformat() if due.snoozed_until else "")
            table.add_row(*cells)
        self.print_table(table)

    def handle_delete(self, organisation: Organisation, options: dict[str, Any]) -> None:
        customer = customer_get(organisation=organisation, ref=options["customer"])
        goes = deletion_summary(customer)
        if not options["yes"]:
            self.stdout.write("\n".join(goes))
            raise CustomerError("delete_needs_yes", name=customer.name)
        customer_delete(customer=customer, today=organisation.local_date(timezone.now()))
        self.stdout.write(
            _("Deleted customer %(name)s (id %(id)s) with: %(what)s.")
            % {"name": customer.name, "id": customer.pk, "what": "; ".join(goes)}
        )

    def handle_list(self, organisation: Organisation, options: dict[str, Any]) -> None:
        today = organisation.local_date(timezone.now())
        customers = list(
            customer_list(
                organisation=organisation,
                today=today,
                filters=CustomerFilter(search=options["search"], status=options["status"]),
            )
        )
        if options["json"]:
            self.write_json([customer_to_dict(c) for c in customers])
            return
        table = Table(title=organisation.name)
        table.add_column("id")
        table.add_column(_("Customer"))
        table.add_column(_("Status"))
        table.add_column(_("Last contact"))
        table.add_column(_("Next contact"))
        for c in customers:
            table.add_row(
                str(c.pk),
                c.name,
                str(c.get_status_display()),
                c.counted_from.isoformat(),
                c.contact_due_on.isoformat() if c.status == CustomerStatus.ACTIVE else "",
            )
        self.print_table(table)
