"""The iCalendar feed of a user: customers coming due for contact, advisory meetings due
and booked. Each event links to the customer's page. The user's own customers and the
customers nobody owns are in their feed."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from fokus.customers.models import AdvisoryMeeting, AdvisoryStatus, Customer, CustomerStatus
from fokus.customers.services import advisory_cycle_due
from fokus.dataio.models import CalendarFeed

PAST = dt.timedelta(days=60)
AHEAD = dt.timedelta(days=400)


def _customer_url(customer_id: int) -> str:
    try:
        path = reverse("customers:detail", args=[customer_id])
    except NoReverseMatch:  # pragma: no cover - the customers area is installed
        path = "/"
    return settings.BASE_URL + path


def _event(
    *, uid: str, day: dt.date, summary: str, description: str, url: str, now: dt.datetime
) -> Event:
    event = Event()
    event.add("uid", f"{uid}@fokus")
    event.add("dtstamp", now)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", f"{description}\n{url}".strip())
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def _contact_events(
    customers: QuerySet[Customer], first: dt.date, last: dt.date, now: dt.datetime
) -> list[Event]:
    """A customer coming due for contact, on the due day (or the day a snooze ends)."""
    events = []
    for customer in customers.filter(contact_due_on__range=(first, last)).order_by("pk"):
        day = max(customer.contact_due_on, customer.snoozed_until or customer.contact_due_on)
        since = customer.counted_from.isoformat()
        events.append(
            _event(
                uid=f"contact-{customer.pk}-{day.isoformat()}",
                day=day,
                summary=_("Contact %(name)s") % {"name": customer.name},
                description=_("No contact since %(date)s.") % {"date": since},
                url=_customer_url(customer.pk),
                now=now,
            )
        )
    return events


def _meeting_events(
    customers: QuerySet[Customer], first: dt.date, last: dt.date, now: dt.datetime
) -> tuple[list[Event], set[int]]:
    """The advisory meetings offered (on their due day) and booked (on the booked day),
    and the customers who have one open, in the window or not."""
    meetings = AdvisoryMeeting.objects.filter(
        customer__in=customers,
        status__in=(AdvisoryStatus.OFFERED, AdvisoryStatus.BOOKED),
    ).select_related("customer")
    events, open_customers = [], set()
    for meeting in meetings.order_by("pk"):
        open_customers.add(meeting.customer_id)
        booked = meeting.status == AdvisoryStatus.BOOKED and meeting.booked_for is not None
        when = meeting.booked_for if booked else meeting.due_on
        if when is None or not first <= when <= last:
            continue
        summary = (
            _("Advisory meeting with %(name)s")
            if booked
            else _("Advisory meeting offered to %(name)s")
        )
        events.append(
            _event(
                uid=f"advisory-{meeting.pk}-{meeting.status}",
                day=when,
                summary=summary % {"name": meeting.customer.name},
                description=meeting.outcome,
                url=_customer_url(meeting.customer_id),
                now=now,
            )
        )
    return events, open_customers


def _advisory_due_events(
    customers: QuerySet[Customer],
    open_customers: set[int],
    first: dt.date,
    last: dt.date,
    now: dt.datetime,
) -> list[Event]:
    """The yearly advisory meeting coming due for a customer without an open one."""
    # A customer who declined this cycle's meeting is offered the next one on the day
    # its quiet period ends (``advisory_snoozed_until``), not on the past due date.
    due = customers.filter(
        Q(advisory_due_on__range=(first, last)) | Q(advisory_snoozed_until__range=(first, last))
    ).exclude(pk__in=open_customers)
    events = []
    for customer in due.order_by("pk"):
        day = advisory_cycle_due(customer)
        if not first <= day <= last:
            continue
        events.append(
            _event(
                uid=f"advisory-due-{customer.pk}-{day.isoformat()}",
                day=day,
                summary=_("Yearly advisory meeting due: %(name)s") % {"name": customer.name},
                description=_("Offer %(name)s the free yearly advisory meeting.")
                % {"name": customer.name},
                url=_customer_url(customer.pk),
                now=now,
            )
        )
    return events


def calendar_ics(*, feed: CalendarFeed, today: dt.date, now: dt.datetime) -> bytes:
    """The feed as iCalendar (RFC 5545) in the user's language."""
    user, organisation = feed.user, feed.organisation
    with translation.override(user.language or settings.LANGUAGE_CODE):
        calendar = Calendar()
        calendar.add("prodid", "-//Fokus//Kunder//DA")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", f"Fokus · {organisation.name}")
        calendar.add("refresh-interval;value=duration", "PT6H")
        mine = Q(owner=user) | Q(owner__isnull=True)
        customers = Customer.objects.filter(
            mine, organisation=organisation, status=CustomerStatus.ACTIVE
        )
        first, last = today - PAST, today + AHEAD
        contacts = _contact_events(customers, first, last, now)
        meetings, open_customers = _meeting_events(customers, first, last, now)
        due = _advisory_due_events(customers, open_customers, first, last, now)
        for event in [*contacts, *meetings, *due]:
            calendar.add_component(event)
        return calendar.to_ical()
