"""Customer contact rules: when the next contact and the yearly advisory meeting are due.

docs/engine.md "Customer contact". Calendar months clamp the day to the month's end, as
``dateutil.relativedelta`` does (30 Nov + 3 months = 28/29 Feb).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from .errors import CoreError

__all__ = [
    "DUE_SOON_DAYS",
    "OFFER_ADVISORY_DAYS",
    "AdvisoryDue",
    "AdvisoryState",
    "ContactDue",
    "DueState",
    "MonitorState",
    "add_months",
    "advisory_due",
    "contact_due",
    "contact_state",
    "monitor_state",
]

DUE_SOON_DAYS = 14
OFFER_ADVISORY_DAYS = 30


class DueState(StrEnum):
    overdue = "overdue"
    due_soon = "due_soon"
    ok = "ok"


class AdvisoryState(StrEnum):
    due = "due"
    offer = "offer"
    not_yet = "not_yet"


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months, the day clamped to the month's end."""
    result: date = d + relativedelta(months=n)
    return result


@dataclass(frozen=True, slots=True)
class ContactDue:
    last_contact: date
    due: date
    state: DueState
    days_overdue: int | None
    snoozed_until: date | None
    alert: bool


def counted_from(*, since: date, last_contact: date | None, clock_start: date | None) -> date:
    """What the contact rule counts from (docs/engine.md "Customer contact"): the latest of
    the last logged contact and the clock start (a date the user chose when the history is
    unknown; it is no contact), else the customer-since date."""
    known = [day for day in (last_contact, clock_start) if day is not None]
    return max(known) if known else since


def contact_due(
    *,
    since: date,
    last_contact: date | None,
    interval_months: int = 3,
    as_of: date,
    snoozed_until: date | None = None,
    clock_start: date | None = None,
) -> ContactDue:
    """When a customer is next due for contact, and whether to alert about it as of ``as_of``."""
    if isinstance(interval_months, bool) or not isinstance(interval_months, int):
        raise CoreError(
            "contact_interval_invalid",
            f"The contact interval must be a whole number of months (got {interval_months!r}).",
            field="interval_months",
            value=str(interval_months),
        )
    if interval_months < 1:
        raise CoreError(
            "contact_interval_invalid",
            f"The contact interval must be at least 1 month (got {interval_months}).",
            field="interval_months",
            value=str(interval_months),
        )
    last = counted_from(since=since, last_contact=last_contact, clock_start=clock_start)
    return contact_state(
        last_contact=last,
        due=add_months(last, interval_months),
        as_of=as_of,
        snoozed_until=snoozed_until,
    )


_DUE_SOON = timedelta(days=DUE_SOON_DAYS)
_OVERDUE, _DUE_SOON_STATE, _OK = DueState.overdue, DueState.due_soon, DueState.ok


def contact_state(
    *, last_contact: date, due: date, as_of: date, snoozed_until: date | None = None
) -> ContactDue:
    """The state as of ``as_of`` of a contact already known to be due on ``due`` (the scan
    reads ``due`` from the customer row instead of recomputing the calendar months)."""
    days_overdue: int | None = None
    if as_of >= due:
        state = _OVERDUE
        days_overdue = (as_of - due).days
    elif as_of >= due - _DUE_SOON:
        state = _DUE_SOON_STATE
    else:
        state = _OK
    return ContactDue(
        last_contact=last_contact,
        due=due,
        state=state,
        days_overdue=days_overdue,
        snoozed_until=snoozed_until,
        alert=state is not _OK and (snoozed_until is None or as_of >= snoozed_until),
    )


@dataclass(frozen=True, slots=True)
class AdvisoryDue:
    base: date
    due: date
    offer_from: date
    state: AdvisoryState  # a str: "due", "offer" or "not_yet"


def advisory_due(*, since: date, last_held: date | None, as_of: date) -> AdvisoryDue:
    """The yearly advisory meeting: due 12 months after the last one (or the customer's
    start), offered from 30 days before that."""
    base = last_held or since
    due = add_months(base, 12)
    offer_from = due - timedelta(days=OFFER_ADVISORY_DAYS)
    if as_of >= due:
        state = AdvisoryState.due
    elif as_of >= offer_from:
        state = AdvisoryState.offer
    else:
        state = AdvisoryState.not_yet
    return AdvisoryDue(base=base, due=due, offer_from=offer_from, state=state)


class MonitorState(StrEnum):
    ok = "ok"
    breached = "breached"
    stale = "stale"


def monitor_state(
    *,
    latest_value: Decimal | None,
    latest_date: date | None,
    watching_since: date,
    lower: Decimal | None,
    upper: Decimal | None,
    cadence_days: int,
    as_of: date,
) -> MonitorState:
    """A measurement point at a customer as of ``as_of``.

    ``stale`` when no reading has come for longer than ``cadence_days`` (counted from
    ``watching_since`` while there is none); else ``breached`` when the latest reading lies
    outside ``[lower, upper]`` (a missing bound does not limit); else ``ok``. Stale wins:
    an old reading says nothing about now.
    """
    if cadence_days < 1:
        raise CoreError(
            "monitor_cadence_invalid",
            f"The cadence must be at least 1 day (got {cadence_days}).",
            field="cadence_days",
            value=str(cadence_days),
        )
    last_seen = latest_date if latest_date is not None else watching_since
    if (as_of - last_seen).days > cadence_days:
        return MonitorState.stale
    if latest_value is not None and (
        (lower is not None and latest_value < lower) or (upper is not None and latest_value > upper)
    ):
        return MonitorState.breached
    return MonitorState.ok
