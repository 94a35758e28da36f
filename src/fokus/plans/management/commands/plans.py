"""fokus plans review [--period P] [--as-of DATE] [--send] [--json]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rich.table import Table

from fokus.accounts.selectors import organisation_for_cli
from fokus.cli.base import FokusCommand
from fokus.cli.options import add_as_of, add_json, add_org
from fokus.core.periods import parse_period
from fokus.plans.mail import review_mails_send
from fokus.plans.review import PlanReview, plan_review, review_period


def review_json(review: PlanReview) -> dict[str, Any]:
    return {
        "period": {"start": review.period.start.isoformat(), "end": review.period.end.isoformat()},
        "as_of": review.as_of.isoformat(),
        "finished": review.finished,
        "summary": review.summary,
        "verdicts": [
            {"kpi": row.kpi.pk, "name": row.kpi.name, "status": row.status, "value": row.final}
            for row in review.rows
        ],
        "moved": [
            {
                "kpi": m.kpi.pk,
                "name": m.kpi.name,
                "change": m.change,
                "points": round(m.gained * 100, 1),
            }
            for m in review.moved
        ],
        "bottlenecks": [
            {
                "funnel": b.funnel.pk,
                "from": b.upper.name,
                "to": b.lower.name,
                "actual": b.actual,
                "planned": b.planned,
                "worst": b.worst,
                "text": b.text,
            }
            for b in (*review.bottlenecks, *review.slow)
        ],
        "missed_stages": [
            {
                "funnel": m.funnel.pk,
                "stage": m.stage.name,
                "actual": m.actual,
                "target": m.target,
                "text": m.text,
            }
            for m in review.missed_stages
        ],
        "funnels_fine": review.funnels_fine if not review.funnel_notes else None,
        "monitors_left_out": review.monitors,
        "proposed": [
            {"kind": "carry_over", "kpi": c.kpi.pk, "sentence": c.sentence}
            for c in review.carry_over
        ]
        + [
            {"kind": "funnel_stage", "stage": s.stage.name, "target": s.proposed}
            for s in review.next_stages
        ],
    }


class Command(FokusCommand):
    help = "Plans: the quarterly review (and its e-mail to every member)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subcommands(parser)
        p = sub.add_parser("review", help="the review of a period: verdicts and proposals")
        p.add_argument(
            "--period", metavar="P", help="default: the last ended quarter (the year after K4)"
        )
        p.add_argument("--send", action="store_true", help="e-mail it to members who lack it")
        add_as_of(p)
        add_org(p)
        add_json(p)

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_for_cli(options["org"])
        today = options["as_of"] or organisation.local_date(timezone.now())
        period = parse_period(options["period"]) if options["period"] else review_period(today)
        review = plan_review(organisation=organisation, period=period, today=today)
        sent = None
        if options["send"]:
            sent = review_mails_send(
                organisation=organisation, period=period, today=today, now=timezone.now()
            )
        if options["json"]:
            data = review_json(review)
            if sent is not None:
                data["sent"] = sent
            self.write_json(data)
            return
        table = Table(title=f"{review.title} · {review.summary}", caption=review.status_line)
        table.add_column(_("KPI"))
        table.add_column(_("Verdict"))
        table.add_column(_("Value"), justify="right")
        table.add_column(_("Target"), justify="right")
        for row in review.rows:
            table.add_row(row.kpi.name, row.status_label, row.final, row.target)
        self.print_table(table)
        if review.monitors:
            self.stdout.write(review.monitors_line)
        self.stdout.write(_("What moved") + ":")
        for m in review.moved:
            self.stdout.write(f"- {m.kpi.name}: {m.before} → {m.after} ({m.change})")
        if not review.moved:
            self.stdout.write("- " + _("Nothing moved in this period."))
        self.stdout.write(_("Bottleneck") + ":")
        for note in review.funnel_notes:
            self.stdout.write(f"- {note.text}")
        if not review.funnel_notes:
            self.stdout.write(f"- {review.funnels_fine}")
        for carry in review.carry_over:
            self.stdout.write(f"{_('Carry over')}: {carry.sentence}")
        for stage in review.next_stages:
            self.stdout.write(f"{_('Next funnel stage')}: {stage.text}")
        for funnel in review.next_funnels:
            self.stdout.write(funnel.text)
        if sent is not None:
            self.stdout.write(
                ngettext("%(count)s review e-mail sent.", "%(count)s review e-mails sent.", sent)
                % {"count": sent}
            )
