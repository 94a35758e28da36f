"""The plans' review as a PDF (ReportLab, like the web app's period review)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer
from reportlab.platypus.flowables import Flowable

from fokus.plans.review import PlanReview, monitors_text
from fokus.ui.pdf import STATUS_COLOURS, a4_document, cell_styles, escaped, table

GREY = colors.HexColor("#475569")


@dataclass(frozen=True)
class _Styles:
    """The review's paragraph styles, with its two ways of writing text."""

    normal: ParagraphStyle
    title: ParagraphStyle
    head: ParagraphStyle
    cell: ParagraphStyle
    number: ParagraphStyle

    def p(self, text: object, style: ParagraphStyle | None = None) -> Paragraph:
        """``text`` escaped, in ``style`` (a table cell's by default)."""
        return Paragraph(escaped(text), self.cell if style is None else style)

    def bold(self, text: object) -> Paragraph:
        return Paragraph(f"<b>{escaped(text)}</b>", self.cell)


def _styles() -> _Styles:
    styles, cell, number = cell_styles()
    return _Styles(
        normal=styles["Normal"],
        title=styles["Title"],
        head=styles["Heading2"],
        cell=cell,
        number=number,
    )


def _opening(review: PlanReview, s: _Styles) -> list[Flowable]:
    """The organisation, the title, the period's dates and the one-line summary."""
    return [
        s.p(review.organisation.name, s.normal),
        s.p(review.title, s.title),
        s.p(f"{review.range} · {review.status_line}", s.normal),
        Spacer(1, 3 * mm),
        Paragraph(f"<b>{escaped(review.summary)}</b>", s.normal),
    ]


def _verdicts(review: PlanReview, s: _Styles) -> list[Flowable]:
    """Every KPI with its verdict (in its status colour), value, target and % of target."""
    story: list[Flowable] = [s.p(_("Verdicts"), s.head)]
    # A literal percent sign, not a placeholder: keep xgettext from flagging python-format.
    # xgettext:no-python-format
    percent_of_target = _("% of target")
    rows: list[list[object]] = [
        [s.bold(h) for h in (_("KPI"), _("Verdict"), _("Value"), _("Target"), percent_of_target)]
    ]
    for row in review.rows:
        colour = STATUS_COLOURS.get(row.status, GREY).hexval()[2:]
        verdict = f'<font color="#{colour}"><b>{escaped(row.status_label)}</b></font>'
        rows.append(
            [
                s.p(row.kpi.name),
                Paragraph(verdict, s.cell),
                s.p(row.final, s.number),
                s.p(row.target, s.number),
                s.p(row.percent, s.number),
            ]
        )
    if review.rows:
        story.append(table(rows, [62 * mm, 28 * mm, 30 * mm, 30 * mm, 22 * mm]))
    else:
        story.append(s.p(_("No KPIs in this period.")))
    if review.monitors:
        story.append(s.p(monitors_text(review.monitors)))
    return story


def _moved(review: PlanReview, s: _Styles) -> list[Flowable]:
    """The KPIs that moved in the period: from, to and the change."""
    story: list[Flowable] = [s.p(_("What moved"), s.head)]
    if not review.moved:
        return [*story, s.p(_("Nothing moved in this period."))]
    moved: list[list[object]] = [
        [
            s.bold(_("KPI")),
            s.bold(_("From")),
            s.bold(_("To")),
            s.bold(pgettext("column: difference between From and To", "Change")),
        ]
    ]
    moved += [
        [s.p(m.kpi.name), s.p(m.before, s.number), s.p(m.after, s.number), s.p(m.change, s.number)]
        for m in review.moved
    ]
    return [*story, table(moved, [70 * mm, 30 * mm, 30 * mm, 42 * mm])]


def _bottlenecks(review: PlanReview, s: _Styles) -> list[Flowable]:
    """One sentence per conversion below plan and per stage that missed its target."""
    story: list[Flowable] = [s.p(_("Bottleneck"), s.head)]
    notes = review.funnel_notes
    if not notes:
        return [*story, s.p(review.funnels_fine)]
    return [*story, *(s.p(note.text) for note in notes)]


def _proposals(review: PlanReview, s: _Styles) -> list[Flowable]:
    """The next period's KPIs: carried over, the next funnel stages, the funnels to plan
    again, and those set already."""
    story: list[Flowable] = [
        s.p(_("Proposed for %(period)s") % {"period": review.next_label}, s.head)
    ]
    proposed = [
        s.p(
            _("Carry over: %(sentence)s (%(reason)s)")
            % {"sentence": c.sentence, "reason": c.reason}
        )
        for c in review.carry_over
    ]
    proposed += [s.p(f"{_('Next funnel stage')}: {n.text}") for n in review.next_stages]
    proposed += [s.p(f.text) for f in review.next_funnels]
    proposed += [s.p(_("Set already: %(kpi)s") % {"kpi": kpi.name}) for kpi in review.next_kpis]
    return story + (proposed or [s.p(review.nothing_proposed)])


def plan_review_pdf(review: PlanReview) -> bytes:
    """A4: verdicts, what moved, the bottleneck, and the next period's proposed KPIs."""
    buffer = io.BytesIO()
    document = a4_document(buffer, title=review.title, author=review.organisation.name)
    s = _styles()
    document.build(
        [
            *_opening(review, s),
            *_verdicts(review, s),
            *_moved(review, s),
            *_bottlenecks(review, s),
            *_proposals(review, s),
        ]
    )
    return buffer.getvalue()
