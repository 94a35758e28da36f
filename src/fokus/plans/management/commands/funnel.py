"""fokus funnel plan --goal N --rates R1,R2,... [--stages A,B,...] [--create [--no-link]]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rich.table import Table

from fokus.accounts.selectors import organisation_for_cli
from fokus.cli.base import FokusCommand
from fokus.cli.options import add_json, add_org
from fokus.core.errors import FunnelError
from fokus.plans.funnel import funnel_draft
from fokus.plans.selectors import funnel_get
from fokus.plans.services import draft_of, funnel_create, funnel_kpis_create
from fokus.plans.shapes import FunnelOut, funnel_to_dict, linked_to_list


class Command(FokusCommand):
    help = "Plan a sales funnel backwards from the goal at the bottom."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subcommands(parser)
        p = sub.add_parser("plan", help="required numbers per stage, from the bottom goal")
        p.add_argument("--goal", required=True, metavar="N", help="e.g. 10 buyers")
        p.add_argument(
            "--rates", required=True, metavar="R1,R2,...", help="conversion rates top → bottom"
        )
        p.add_argument("--stages", metavar="A,B,...", help="stage names top → bottom")
        p.add_argument("--period", metavar="P", help="default: this year")
        p.add_argument("--placement", choices=["sequential", "parallel"], default="sequential")
        p.add_argument(
            "--create", action="store_true", help="store the funnel and create its stage KPIs"
        )
        p.add_argument("--name", metavar="N", default="", help="the funnel's name (with --create)")
        p.add_argument(
            "--no-link",
            action="store_true",
            help="with --create: create every stage KPI, even where one measures the same",
        )
        add_org(p)
        add_json(p)

    def handle(self, *args: Any, **options: Any) -> None:
        goal_text = options["goal"].strip()
        if not goal_text.isdigit():  # the planner's own refusal of a goal that is no count
            raise FunnelError("funnel_goal_invalid", f"Not a goal: {goal_text!r}.", field="goal")
        goal = int(goal_text)
        rates = [r.strip() for r in options["rates"].split(",")]
        stages = [s.strip() for s in options["stages"].split(",")] if options["stages"] else None
        period = options["period"] or str(timezone.localdate().year)
        if options["create"]:
            plan = self.create(goal, rates, stages, period, options)
        else:
            plan = funnel_to_dict(
                funnel_draft(
                    goal=goal,
                    rates=rates,
                    stages=stages,
                    period=period,
                    placement=options["placement"],
                )
            )
        if options["json"]:
            self.write_json(plan)  # the API's answer, field for field
            return
        table = Table(title=_("Funnel"))
        table.add_column(_("Stage"))
        table.add_column(_("Required"), justify="right")
        table.add_column(_("Rate to next"), justify="right")
        table.add_column(_("Period"))
        for stage in plan["stages"]:
            rate = stage["rate_to_next"]
            table.add_row(
                stage["name"],
                str(stage["required"]),
                "–" if rate is None else f"{rate:.4g}",
                f"{stage['start']} – {stage['end']}",
            )
        self.print_table(table)
        if plan["id"]:
            self.stdout.write(
                _("Funnel %(id)s stored; its stage KPIs are created.") % {"id": plan["id"]}
            )
        for link in plan["linked"] or []:
            self.stdout.write(
                _("Stage %(n)s is linked to the existing KPI “%(kpi)s” (id %(id)s).")
                % {
                    "n": int(link["key"].removeprefix("stage-")) + 1,
                    "kpi": link["name"],
                    "id": link["kpi"],
                }
            )

    def create(
        self, goal: int, rates: list[str], stages: list[str] | None, period: str, options: Any
    ) -> FunnelOut:
        """Store the funnel and create its stage KPIs: the same service as the web and
        the API (``fokus.plans.services.funnel_create``)."""
        organisation = organisation_for_cli(options["org"])
        with transaction.atomic():
            funnel = funnel_create(
                organisation=organisation,
                user=None,
                goal=goal,
                rates=rates,
                stages=stages,
                period=period,
                placement=options["placement"],
                name=options["name"],
                now=timezone.now(),
            )
            planned = funnel_kpis_create(
                funnel=funnel_get(organisation=organisation, pk=funnel.pk),
                user=None,
                now=timezone.now(),
                link_existing=not options["no_link"],
            )
        funnel = funnel_get(organisation=organisation, pk=funnel.pk)
        data = funnel_to_dict(draft_of(funnel), funnel)
        data["linked"] = linked_to_list(planned.linked)
        return data
