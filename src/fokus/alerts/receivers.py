"""How the alerts follow the customer register without the register knowing of them:
receivers of ``fokus.customers.signals``, connected when the app is ready. Each does at
once what the next scan would do anyway."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fokus.accounts.models import User
from fokus.alerts.services import (
    advisory_alerts_refresh,
    customer_alerts_described,
    customer_alerts_refresh,
    customer_alerts_snooze,
    customers_alerts_snooze,
)
from fokus.customers import signals
from fokus.customers.models import Customer


def contact_logged(
    sender: Any, *, customer: Customer, today: dt.date, now: dt.datetime, advisory: bool, **_: Any
) -> None:
    """A contact resolves the customer's overdue alert, an advisory meeting held its
    advisory alert."""
    customer_alerts_refresh(customer=customer, today=today, now=now)
    if advisory:
        advisory_alerts_refresh(customer=customer, now=now)


def advisory_changed(sender: Any, *, customer: Customer, now: dt.datetime, **_: Any) -> None:
    advisory_alerts_refresh(customer=customer, now=now)


def snooze_changed(sender: Any, *, customer: Customer, user: User | None, **_: Any) -> None:
    """The customer's open overdue alert takes the customer's snooze (or its end)."""
    customer_alerts_snooze(customer=customer, user=user)


def snoozes_changed(
    sender: Any,
    *,
    customer_ids: list[int],
    until: dt.date,
    reason: str,
    user: User | None,
    **_: Any,
) -> None:
    """Many customers snoozed at once: their open overdue alerts in one update."""
    customers_alerts_snooze(customer_ids=customer_ids, until=until, reason=reason, user=user)


def deletion_asked(sender: Any, *, customer: Customer, **_: Any) -> list[str]:
    """The alerts about a customer go with them: say how many."""
    return customer_alerts_described(customer=customer)


def connect() -> None:
    signals.contact_logged.connect(contact_logged, dispatch_uid="alerts-contact-logged")
    signals.advisory_changed.connect(advisory_changed, dispatch_uid="alerts-advisory-changed")
    signals.snooze_changed.connect(snooze_changed, dispatch_uid="alerts-snooze-changed")
    signals.snoozes_changed.connect(snoozes_changed, dispatch_uid="alerts-snoozes-changed")
    signals.deletion_asked.connect(deletion_asked, dispatch_uid="alerts-deletion-asked")
