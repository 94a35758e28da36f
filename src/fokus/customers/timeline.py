"""The customer page's timeline: contacts, revenue entries, advisory meetings, referrals and
monitors, newest first, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from fokus.customers.models import (
    AdvisoryMeeting,
    AdvisoryStatus,
    Contact,
    Customer,
    Monitor,
    Referral,
    RevenueEntry,
)
from fokus.ui.formatting import format_value

TIMELINE_LIMIT = 200


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    date: dt.date
    kind: str  # contact | revenue | advisory | referral | monitor
    label: str
    title: str
    detail: str
    by: str


def _by(user: object) -> str:
    return str(user) if user is not None else ""


def _advisory_title(meeting: AdvisoryMeeting) -> str:
    if meeting.status == AdvisoryStatus.HELD:
        return _("Advisory meeting held")
    if meeting.status == AdvisoryStatus.DECLINED:
        return _("Advisory meeting declined")
    if meeting.status == AdvisoryStatus.BOOKED:
        return _("Advisory meeting booked")
    return _("Advisory meeting offered")


def _contacts(customer: Customer, limit: int) -> list[TimelineEntry]:
    contacts = Contact.objects.filter(customer=customer).select_related("user")[:limit]
    return [
        TimelineEntry(
            date=contact.date,
            kind="contact",
            label=str(contact.get_kind_display()),
            title=_("Contact: %(kind)s") % {"kind": contact.get_kind_display()},
            detail=contact.note,
            by=_by(contact.user),
        )
        for contact in contacts
    ]


def _revenue(customer: Customer, limit: int, currency: str) -> list[TimelineEntry]:
    entries = []
    for entry in RevenueEntry.objects.filter(customer=customer).select_related("user")[:limit]:
        amount = format_value(entry.amount, unit="currency", currency=currency)
        entries.append(
            TimelineEntry(
                date=entry.date,
                kind="revenue",
                label=_("Revenue"),
                title=_("Revenue %(amount)s") % {"amount": amount},
                detail=entry.description,
                by=_by(entry.user),
            )
        )
    return entries


def _advisory(customer: Customer, limit: int) -> list[TimelineEntry]:
    meetings = AdvisoryMeeting.objects.filter(customer=customer).select_related("user")[:limit]
    return [
        TimelineEntry(
            date=meeting.date,
            kind="advisory",
            label=_("Advisory meeting"),
            title=_advisory_title(meeting),
            detail=meeting.outcome,
            by=_by(meeting.user),
        )
        for meeting in meetings
    ]


def _referrals(customer: Customer, limit: int) -> list[TimelineEntry]:
    referrals = Referral.objects.filter(customer=customer).select_related("partner", "user")
    return [
        TimelineEntry(
            date=referral.date,
            kind="referral",
            label=_("Referral"),
            title=_("Referred to %(partner)s") % {"partner": referral.partner.name},
            detail=referral.need,
            by=_by(referral.user),
        )
        for referral in referrals[:limit]
    ]


def _monitors(customer: Customer, limit: int) -> list[TimelineEntry]:
    monitors = Monitor.objects.filter(customer=customer).select_related("kpi")[:limit]
    return [
        TimelineEntry(
            date=monitor.watching_since,
            kind="monitor",
            label=_("Monitor"),
            title=_("Monitoring started: %(name)s") % {"name": monitor.kpi.name},
            detail="",
            by="",
        )
        for monitor in monitors
    ]


def customer_timeline(customer: Customer, *, limit: int = TIMELINE_LIMIT) -> list[TimelineEntry]:
    """The customer's newest ``limit`` entries of every kind, newest first."""
    currency = customer.organisation.currency
    entries = [
        *_contacts(customer, limit),
        *_revenue(customer, limit, currency),
        *_advisory(customer, limit),
        *_referrals(customer, limit),
        *_monitors(customer, limit),
    ]
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries[:limit]
