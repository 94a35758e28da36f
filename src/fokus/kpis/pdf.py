"""The period review of the KPIs as a PDF."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer
from reportlab.platypus.flowables import Flowable

from fokus.kpis.presenters import ReviewRow
from fokus.ui.pdf import STATUS_COLOURS, a4_document, cell_styles, escaped, table


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
