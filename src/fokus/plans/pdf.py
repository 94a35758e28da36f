"""The plans' review as a PDF (ReportLab, like the web app's period review)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer
from reportlab.platypus.flowables import Flowable

from fokus.plans.review import PlanReview
from fokus.ui.pdf import STATUS_COLOURS, a4_document, cell_styles, escaped, table

GREY = colors.HexColor("#475569")


def plan_review_pdf(review: PlanReview) -> bytes:
    """A4: verdicts, what moved, the bottleneck, and the next period's proposed KPIs."""
    buffer = io.BytesIO()
    document = a4_document(buffer, title=review.title, author=review.organisation.name)
    styles, cell, number = cell_styles()
    head = styles["Heading2"]

    def p(text: object, style: ParagraphStyle = cell) -> Paragraph:
        return Paragraph(escaped(text), style)

    def bold(text: object) -> Paragraph:
        return Paragraph(f"<b>{escaped(text)}</b>", cell)

    story: list[Flowable] = [
        p(review.organisation.name, styles["Normal"]),
        p(review.title, styles["Title"]),
        p(review.range, styles["Normal"]),
        Spacer(1, 3 * mm),
        Paragraph(f"<b>{escaped(review.summary)}</b>", styles["Normal"]),
        p(_("Verdicts"), head),
    ]
    # A literal percent sign, not a placeholder: keep xgettext from flagging python-format.
    # xgettext:no-python-format
    percent_of_target = _("% of target")
    rows: list[list[object]] = [
        [bold(h) for h in (_("KPI"), _("Verdict"), _("Value"), _("Target"), percent_of_target)]
    ]
    for row in review.rows:
        colour = STATUS_COLOURS.get(row.status, GREY).hexval()[2:]
        verdict = f'<font color="#{colour}"><b>{escaped(row.status_label)}</b></font>'
        rows.append(
            [
                p(row.kpi.name),
                Paragraph(verdict, cell),
                p(row.final, number),
                p(row.target, number),
                p(row.percent, number),
            ]
        )
    if review.rows:
        story.append(table(rows, [62 * mm, 28 * mm, 30 * mm, 30 * mm, 22 * mm]))
    else:
        story.append(p(_("No KPIs in this period.")))
    story.append(p(_("What moved"), head))
    if review.moved:
        moved: list[list[object]] = [
            [
                bold(_("KPI")),
                bold(_("From")),
                bold(_("To")),
                bold(pgettext("column: difference between From and To", "Change")),
            ]
        ]
        moved += [
            [p(m.kpi.name), p(m.before, number), p(m.after, number), p(m.change, number)]
            for m in review.moved
        ]
        story.append(table(moved, [80 * mm, 32 * mm, 32 * mm, 28 * mm]))
    else:
        story.append(p(_("Nothing moved in this period.")))
    story.append(p(_("Bottleneck"), head))
    if review.bottlenecks:
        for b in review.bottlenecks:
            story.append(
                p(
                    _(
                        "%(funnel)s: from “%(upper)s” to “%(lower)s” %(actual)s against "
                        "%(planned)s planned; projected %(projected)s at the bottom."
                    )
                    % {
                        "funnel": b.funnel.name,
                        "upper": b.upper.name,
                        "lower": b.lower.name,
                        "actual": b.actual,
                        "planned": b.planned,
                        "projected": b.projected,
                    }
                )
            )
    else:
        story.append(p(_("No funnel stage converts below plan.")))
    story.append(p(_("Proposed for %(period)s") % {"period": review.next_label}, head))
    proposed = [
        p(_("Carry over: %(sentence)s (%(reason)s)") % {"sentence": c.sentence, "reason": c.reason})
        for c in review.carry_over
    ]
    proposed += [
        p(
            _("Next funnel stage: %(stage)s, target %(proposed)s (now %(current)s).")
            % {"stage": s.stage.name, "proposed": s.proposed, "current": s.current}
        )
        for s in review.next_stages
    ]
    proposed += [
        p(
            _("Plan %(funnel)s again for the next period at the rates reached.")
            % {"funnel": f.funnel.name}
        )
        for f in review.next_funnels
    ]
    proposed += [p(_("Set already: %(kpi)s") % {"kpi": kpi.name}) for kpi in review.next_kpis]
    story += proposed or [p(_("Nothing to propose."))]
    document.build(story)
    return buffer.getvalue()
