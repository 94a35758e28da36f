"""What the KPI pages ask of the areas built on them, so that they never import them: each
signal is sent by a KPI view and answered by whoever listens.

- ``dashboard_sections``: the dashboard asks for sections to show below its goals (the
  customer register answers with its monitors: ``fokus.customers.dashboard``). Sent by
  ``fokus.kpis.views.dashboard`` with ``request`` (the ``AuthenticatedHttpRequest``, for
  rendering), ``organisation``, ``period`` (the period the dashboard shows), ``today``
  and ``can_edit``. Each receiver returns a ``DashboardSection`` or ``None`` (nothing
  to show); its cost in queries must not grow with what it shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal
from django.utils.safestring import SafeString

from fokus.accounts.models import Organisation
from fokus.core.periods import Period

dashboard_sections = Signal()


@dataclass(frozen=True, slots=True)
class DashboardSection:
    """A part of the dashboard that another area renders: its HTML (from its own,
    autoescaping template) and its place (lower comes first, then by key)."""

    key: str
    html: SafeString
    order: int = 100


def sections_for(
    *, request: Any, organisation: Organisation, period: Period, today: dt.date, can_edit: bool
) -> list[DashboardSection]:
    """Every section the receivers of ``dashboard_sections`` answer with, in their order."""
    answers = dashboard_sections.send(
        sender=DashboardSection,
        request=request,
        organisation=organisation,
        period=period,
        today=today,
        can_edit=can_edit,
    )
    sections: list[DashboardSection] = []
    for _receiver, answer in answers:
        section: object = answer
        if isinstance(section, DashboardSection):
            sections.append(section)
    return sorted(sections, key=lambda section: (section.order, section.key))
