"""fokus alerts run | list"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rich.table import Table

from fokus.accounts.selectors import organisation_for_cli
from fokus.alerts import describe
from fokus.alerts.runner import run_once
from fokus.alerts.selectors import alert_list
from fokus.alerts.shapes import alert_to_dict
from fokus.cli.base import FokusCommand
from fokus.cli.options import add_as_of, add_json, add_org


class Command(FokusCommand):
    help = "Scan for alerts and send them now, or list the open alerts."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subcommands(parser)

        p = sub.add_parser("run", help="scan once now, then send what is due")
        add_as_of(p)
        p.add_argument(
            "--org", metavar="SLUG", help="only this organisation (default: every organisation)"
        )
        p.add_argument(
            "--digest", action="store_true", help="create today's e-mail digests now (not at 07:00)"
        )
        p.add_argument("--no-deliver", action="store_true", help="scan only; send nothing")

        p = sub.add_parser("list", help="the open alerts")
        p.add_argument("--all", action="store_true", help="also snoozed alerts")
        add_as_of(p)
        add_json(p)
        add_org(p)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "handle_" + options["action"])(options)

    def handle_run(self, options: dict[str, Any]) -> None:
        organisation = organisation_for_cli(options["org"]) if options["org"] else None
        report = run_once(
            now=timezone.now(),
            as_of=options["as_of"],
            organisation=organisation,
            digest=options["digest"],
            deliver=not options["no_deliver"],
        )
        delivery = report.delivery
        raised = len(report.scan.raised)
        # One clause per counted noun, so each says "1 alert" / "2 alerts" right.
        clauses = [
            ngettext(
                "Raised %(raised)s alert, resolved %(resolved)s",
                "Raised %(raised)s alerts, resolved %(resolved)s",
                raised,
            ),
            ngettext("%(digests)s digest", "%(digests)s digests", report.digests),
            _("sent %(sent)s, %(retrying)s waiting to retry, %(failed)s failed."),
        ]
        self.stdout.write(
            "; ".join(clauses)
            % {
                "raised": raised,
                "resolved": len(report.scan.resolved),
                "digests": report.digests,
                "sent": delivery.sent,
                "retrying": delivery.retrying + delivery.deferred,
                "failed": delivery.failed,
            }
        )
        for error in delivery.errors[:10]:
            self.stderr.write(error)

    def handle_list(self, options: dict[str, Any]) -> None:
        organisation = organisation_for_cli(options["org"])
        today = options["as_of"] or organisation.local_date(timezone.now())
        alerts = alert_list(organisation=organisation, today=today, include_snoozed=options["all"])
        if options["json"]:
            self.write_json([alert_to_dict(a) for a in alerts])
            return
        table = Table(title=f"{organisation.name} · {today.isoformat()}")
        table.add_column("id")
        table.add_column(_("Kind"))
        table.add_column(_("Alert"))
        table.add_column(_("State"))
        table.add_column(_("Raised"))
        for alert in alerts:
            state = str(alert.get_state_display())
            if alert.snoozed_until and alert.snoozed_until > today:
                state = _("Snoozed until %(date)s") % {"date": alert.snoozed_until.isoformat()}
            table.add_row(
                str(alert.pk),
                str(alert.get_kind_display()),
                describe.title(alert),
                state,
                alert.raised_on.isoformat(),
            )
        self.print_table(table)
