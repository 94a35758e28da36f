"""fokus checkin KPI VALUE [--date D] [--note N]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from fokus.accounts.selectors import organisation_for_cli
from fokus.cli.base import FokusCommand
from fokus.cli.options import add_json, add_org, date_arg, value_arg
from fokus.kpis.formatting import outside_period_note
from fokus.kpis.models import Source
from fokus.kpis.selectors import kpi_get
from fokus.kpis.services import checkin_record
from fokus.kpis.shapes import checkin_to_dict


class Command(FokusCommand):
    help = "Record a check-in: the KPI's value on a date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kpi", metavar="KPI", help="id or slug")
        parser.add_argument("value", metavar="VALUE", type=value_arg)
        parser.add_argument("--date", type=date_arg, metavar="D", help="default: today")
        parser.add_argument("--note", default="", metavar="N")
        parser.add_argument(
            "--external-id", metavar="ID", help="a check-in with the same id is not stored twice"
        )
        add_json(parser)
        add_org(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_for_cli(options["org"])
        kpi = kpi_get(organisation=organisation, ref=options["kpi"])
        checkin, created = checkin_record(
            kpi=kpi,
            date=options["date"] or organisation.local_date(timezone.now()),
            value=options["value"],
            note=options["note"],
            source=Source.MANUAL,
            external_id=options["external_id"],
        )
        if options["json"]:
            self.write_json(checkin_to_dict(checkin))
        elif created:
            self.stdout.write(
                _("Checked in %(value)s on %(date)s for %(kpi)s.")
                % {"value": checkin.value, "date": checkin.date, "kpi": kpi.name}
            )
            if note := outside_period_note(kpi, checkin.date):
                self.stdout.write(note)
        else:
            self.stdout.write(
                _("Check-in %(external_id)s was already recorded; nothing changed.")
                % {"external_id": checkin.external_id}
            )
