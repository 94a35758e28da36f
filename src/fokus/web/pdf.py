"""The period review as a PDF (ReportLab: pure Python, no browser on the server)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from fokus.web.presenters import ReviewRow

STATUS_COLOURS = {
    "achieved": colors.HexColor("#0f766e"),
    "on_track": colors.HexColor("#15803d"),
    "at_risk": colors.HexColor("#a16207"),
    "off_track": colors.HexColor("#b91c1c"),
    "missed": colors.HexColor("#7f1d1d"),
}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def review_pdf(
    *,
    organisation: str,
    title: str,
    subtitle: str,
    summary: str,
    rows: Sequence[ReviewRow],
    next_title: str,
    next_rows: Sequence[tuple[str, str]],
) -> bytes:
    """The review as A4 PDF bytes: a table of every KPI with its verdict, final value,
    target and % of target, then the next period's KPIs."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=organisation,
        creator="Fokus",
    )
    styles = getSampleStyleSheet()
    cell = ParagraphStyle("cell", parent=styles["BodyText"], fontSize=9, leading=11)
    number = ParagraphStyle("number", parent=cell, alignment=2)
    story: list[Flowable] = [
        Paragraph(_escape(organisation), styles["Normal"]),
        Paragraph(_escape(title), styles["Title"]),
        Paragraph(_escape(subtitle), styles["Normal"]),
        Spacer(1, 4 * mm),
        Paragraph(f"<b>{_escape(summary)}</b>", styles["Normal"]),
        Spacer(1, 4 * mm),
    ]
    # A literal percent sign, not a placeholder: keep xgettext from flagging python-format.
    # xgettext:no-python-format
    percent_of_target = _("% of target")
    header = [_("KPI"), _("Verdict"), _("Final value"), _("Target"), percent_of_target]
    data: list[list[object]] = [[Paragraph(f"<b>{_escape(h)}</b>", cell) for h in header]]
    for row in rows:
        colour = STATUS_COLOURS.get(row.status, colors.HexColor("#475569")).hexval()[2:]
        data.append(
            [
                Paragraph(_escape(row.kpi.name), cell),
                Paragraph(
                    f'<font color="#{colour}"><b>{_escape(row.status_label)}</b></font>',
                    cell,
                ),
                Paragraph(_escape(row.final), number),
                Paragraph(_escape(row.target), number),
                Paragraph(_escape(row.percent), number),
            ]
        )
    table = Table(data, colWidths=[62 * mm, 28 * mm, 30 * mm, 30 * mm, 22 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#1e293b")),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#e2e8f0")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1f5f9")),
            ]
        )
    )
    story.append(table)
    story += [Spacer(1, 8 * mm), Paragraph(_escape(next_title), styles["Heading2"])]
    if next_rows:
        for name, sentence in next_rows:
            story.append(Paragraph(f"<b>{_escape(name)}</b> · {_escape(sentence)}", cell))
    else:
        story.append(Paragraph(_escape(_("No KPIs are set for the next period yet.")), cell))
    document.build(story)
    return buffer.getvalue()
