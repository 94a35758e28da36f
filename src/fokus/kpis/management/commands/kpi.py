"""fokus kpi list | show | add | tick"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from rich.table import Table

from fokus.accounts.selectors import organisation_for_cli
from fokus.cli.base import FokusCommand
from fokus.cli.options import add_as_of, add_json, add_org, date_arg, value_arg
from fokus.core.periods import parse_period
from fokus.kpis import services
from fokus.kpis.errors import KpiError
from fokus.kpis.formatting import evaluation_summary, status_label
from fokus.kpis.models import Category, Direction, Interval, Measure, Unit
from fokus.kpis.parsing import parse_milestone
from fokus.kpis.selectors import kpi_evaluations, kpi_get, kpi_list
from fokus.kpis.shapes import kpi_to_dict


class Command(FokusCommand):
    help = "List, show, add KPIs and tick off checklist items."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subcommands(parser)

        p = sub.add_parser("list", help="KPIs with their status")
        p.add_argument(
            "--period", help="only KPIs overlapping this period (2027, 2027-K2, 2027-05)"
        )
        add_as_of(p)
        add_json(p)
        add_org(p)

        p = sub.add_parser("show", help="one KPI with its evaluation")
        p.add_argument("kpi", metavar="KPI", help="id or slug")
        add_as_of(p)
        add_json(p)
        add_org(p)

        p = sub.add_parser("add", help="create a KPI: a concrete number and a period")
        p.add_argument("--name", required=True)
        p.add_argument("--period", help="2027, 2027-K2, 2027-Q2 or 2027-05")
        p.add_argument("--start", type=date_arg, metavar="DATE")
        p.add_argument("--end", type=date_arg, metavar="DATE")
        p.add_argument(
            "--target",
            type=value_arg,
            metavar="X",
            help="the number to reach (derived for recurring targets and checklists)",
        )
        p.add_argument("--baseline", type=value_arg, default=Decimal(0), metavar="X")
        p.add_argument("--unit", choices=Unit.values, default=Unit.COUNT)
        p.add_argument("--unit-label", default="", metavar="L")
        p.add_argument("--direction", choices=Direction.values, default=Direction.INCREASE)
        p.add_argument("--measure", choices=Measure.values, default=Measure.SUM)
        p.add_argument(
            "--milestone", action="append", default=[], metavar="DATE:VALUE", help="a sub-goal"
        )
        p.add_argument("--interval", choices=Interval.values)
        p.add_argument("--interval-target", type=value_arg, metavar="X")
        p.add_argument("--item", action="append", default=[], metavar="NAME")
        p.add_argument("--category", choices=Category.values, default=Category.OTHER)
        p.add_argument("--description", default="")
        p.add_argument("--cadence", choices=["weekly", "monthly"], default="")
        p.add_argument("--focus", action="store_true")
        p.add_argument(
            "--allow-duplicate",
            action="store_true",
            help="create it even when a KPI of the same name and period exists",
        )
        add_json(p)
        add_org(p)

        p = sub.add_parser("tick", help="tick off a checklist item")
        p.add_argument("kpi", metavar="KPI", help="id or slug")
        p.add_argument("item", metavar="ITEM", help="the item's name or id")
        p.add_argument("--date", type=date_arg, metavar="D", help="default: today")
        add_org(p)

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_for_cli(options["org"])
        getattr(self, "handle_" + options["action"])(organisation, options)

    def handle_list(self, organisation: Any, options: dict[str, Any]) -> None:
        period = parse_period(options["period"]) if options["period"] else None
        as_of = options["as_of"] or organisation.local_date(timezone.now())
        kpis = kpi_list(organisation=organisation, period=period)
        evaluations = kpi_evaluations(organisation=organisation, kpis=kpis, as_of=as_of)
        if options["json"]:
            self.write_json([kpi_to_dict(k, evaluations[k.pk]) for k in kpis])
            return
        table = Table(title=f"{organisation.name} · {as_of.isoformat()}")
        table.add_column("id")
        table.add_column("KPI")
        table.add_column(_("Period"))
        table.add_column(_("Actual"), justify="right")
        table.add_column(_("Target"), justify="right")
        table.add_column(_("Progress"), justify="right")
        table.add_column(_("Status"))
        for kpi in kpis:
            summary = evaluation_summary(kpi, evaluations[kpi.pk])
            table.add_row(
                str(kpi.pk),
                ("★ " if kpi.focus else "") + kpi.name,
                f"{kpi.start} – {kpi.end}",
                summary["actual"],
                summary["target"],
                summary["progress"],
                status_label(evaluations[kpi.pk].status),
            )
        self.print_table(table)

    def handle_show(self, organisation: Any, options: dict[str, Any]) -> None:
        kpi = kpi_get(organisation=organisation, ref=options["kpi"])
        as_of = options["as_of"] or organisation.local_date(timezone.now())
        evaluation = kpi_evaluations(organisation=organisation, kpis=[kpi], as_of=as_of)[kpi.pk]
        if options["json"]:
            self.write_json(kpi_to_dict(kpi, evaluation))
            return
        summary = evaluation_summary(kpi, evaluation)
        table = Table(title=f"{kpi.name} ({kpi.slug}, id {kpi.pk})", show_header=False)
        table.add_column()
        table.add_column()
        for label, value in (
            (_("Period"), f"{kpi.start} – {kpi.end}"),
            (_("Status"), status_label(evaluation.status)),
            (_("Actual"), summary["actual"]),
            (_("Plan"), summary["plan"]),
            (_("Target"), summary["target"]),
            (_("Progress"), summary["progress"]),
            (_("Pace"), summary["pace"]),
            (_("Forecast"), summary["forecast"]),
        ):
            table.add_row(label, value)
        self.print_table(table)

    def handle_add(self, organisation: Any, options: dict[str, Any]) -> None:
        if options["period"]:
            if options["start"] or options["end"]:
                raise KpiError("period_required", field="period")
            period = parse_period(options["period"])
            start, end = period.start, period.end
        elif options["start"] and options["end"]:
            start, end = options["start"], options["end"]
        else:
            raise KpiError("period_required", field="period")
        spec = services.KpiSpec(
            name=options["name"],
            start=start,
            end=end,
            target=options["target"],
            baseline=options["baseline"],
            unit=options["unit"],
            unit_label=options["unit_label"],
            direction=options["direction"],
            measure=options["measure"],
            milestones=[parse_milestone(m) for m in options["milestone"]],
            interval=options["interval"],
            interval_target=options["interval_target"],
            items=options["item"],
            category=options["category"],
            description=options["description"],
            cadence=options["cadence"],
            focus=options["focus"],
        )
        kpi = services.kpi_create(
            organisation=organisation, spec=spec, allow_duplicate=options["allow_duplicate"]
        )
        kpi = kpi_get(organisation=organisation, ref=kpi.pk)
        as_of = organisation.local_date(timezone.now())
        evaluation = kpi_evaluations(organisation=organisation, kpis=[kpi], as_of=as_of)[kpi.pk]
        if options["json"]:
            self.write_json(kpi_to_dict(kpi, evaluation))
        else:
            self.stdout.write(
                _("Created KPI %(id)s (%(slug)s): %(name)s")
                % {"id": kpi.pk, "slug": kpi.slug, "name": kpi.name}
            )

    def handle_tick(self, organisation: Any, options: dict[str, Any]) -> None:
        kpi = kpi_get(organisation=organisation, ref=options["kpi"])
        item = services.checklist_find_item(kpi=kpi, ref=options["item"])
        date = options["date"] or organisation.local_date(timezone.now())
        services.checklist_tick(kpi=kpi, item=item, date=date)
        self.stdout.write(f"✓ {item.name} ({date.isoformat()})")
