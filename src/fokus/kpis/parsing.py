"""A KPI's own inputs: a sub-goal written as ``DATE:VALUE``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fokus.kpis.errors import KpiError
from fokus.values import check_text, parse_date, parse_value


def parse_milestone(text: str) -> tuple[dt.date, Decimal]:
    date_text, sep, value_text = check_text(text, field="milestones").partition(":")
    if not sep:
        raise KpiError("invalid_milestone", field="milestones", text=text)
    return parse_date(date_text, field="milestones"), parse_value(value_text, field="milestones")
