"""The period review as a PDF (ReportLab: pure Python, no browser on the server)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
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


def escaped(text: object) -> str:
    """Text for a ReportLab paragraph, which reads a little markup."""
    return escape(str(text))


def a4_document(buffer: io.BytesIO, *, title: str, author: str) -> SimpleDocTemplate:
    """The A4 page every Fokus PDF is printed on."""
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=author,
        creator="Fokus",
    )


def cell_styles() -> tuple[StyleSheet1, ParagraphStyle, ParagraphStyle]:
    """ReportLab's sample styles, and the styles of table cells: text and numbers."""
    styles = getSampleStyleSheet()
    cell = ParagraphStyle("cell", parent=styles["BodyText"], fontSize=9, leading=11)
    return styles, cell, ParagraphStyle("number", parent=cell, alignment=2)


def table(rows: list[list[object]], widths: list[float]) -> Table:
    """A table with a shaded header row repeated on every page."""
    result = Table(rows, colWidths=widths, repeatRows=1)
    result.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#1e293b")),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#e2e8f0")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1f5f9")),
            ]
        )
    )
    return result


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
    document = a4_document(buffer, title=title, author=organisation)
    styles, cell, number = cell_styles()
    story: list[Flowable] = [
        Paragraph(escaped(organisation), styles["Normal"]),
        Paragraph(escaped(title), styles["Title"]),
        Paragraph(escaped(subtitle), styles["Normal"]),
        Spacer(1, 4 * mm),
        Paragraph(f"<b>{escaped(summary)}</b>", styles["Normal"]),
        Spacer(1, 4 * mm),
    ]
    # A literal percent sign, not a placeholder: keep xgettext from flagging python-format.
    # xgettext:no-python-format
    percent_of_target = _("% of target")
    header = [_("KPI"), _("Verdict"), _("Final value"), _("Target"), percent_of_target]
    data: list[list[object]] = [[Paragraph(f"<b>{escaped(h)}</b>", cell) for h in header]]
    for row in rows:
        colour = STATUS_COLOURS.get(row.status, colors.HexColor("#475569")).hexval()[2:]
        data.append(
            [
                Paragraph(escaped(row.kpi.name), cell),
                Paragraph(
                    f'<font color="#{colour}"><b>{escaped(row.status_label)}</b></font>',
                    cell,
                ),
                Paragraph(escaped(row.final), number),
                Paragraph(escaped(row.target), number),
                Paragraph(escaped(row.percent), number),
            ]
        )
    story.append(table(data, [62 * mm, 28 * mm, 30 * mm, 30 * mm, 22 * mm]))
    story += [Spacer(1, 8 * mm), Paragraph(escaped(next_title), styles["Heading2"])]
    if next_rows:
        for name, sentence in next_rows:
            story.append(Paragraph(f"<b>{escaped(name)}</b> · {escaped(sentence)}", cell))
    else:
        story.append(Paragraph(escaped(_("No KPIs are set for the next period yet.")), cell))
    document.build(story)
    return buffer.getvalue()
