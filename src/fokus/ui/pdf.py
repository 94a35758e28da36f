"""PDF pages of Fokus (ReportLab: pure Python, no browser on the server): the A4 page, the
table and cell styles, and the status colours every PDF shares."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

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
