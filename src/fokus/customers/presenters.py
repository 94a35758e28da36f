"""What the customer pages show: rows of the list and the customer page, in words of the
active language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency
from django import forms
from django.db.models import Case, Sum, Value, When
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from fokus.accounts.models import Organisation
from fokus.core.contact import AdvisoryDue, ContactDue
from fokus.customers.forms import (
    AdvisoryForm,
    ContactForm,
    MonitorForm,
    ReadingForm,
    ReferralForm,
    RevenueForm,
    SnoozeForm,
)
from fokus.customers.models import (
    OPEN_ADVISORY,
    AdvisoryMeeting,
    AdvisoryStatus,
    Customer,
    CustomerStatus,
    Monitor,
)
from fokus.customers.selectors import (
    advisory_of,
    advisory_quiet,
    customer_belongings,
    due_of,
    monitor_detail,
    monitor_queryset,
    state_of,
    tags_by_customer,
)
from fokus.customers.signals import deletion_asked
from fokus.customers.timeline import TimelineEntry, customer_timeline
from fokus.kpis.formatting import format_kpi_value

# Reuse the status badge colours of the KPI cards.
DUE_BADGES = {"overdue": "off_track", "due_soon": "at_risk", "ok": "on_track"}
MONITOR_BADGES = {"ok": "on_track", "breached": "off_track", "stale": "at_risk"}


def due_label(state: str) -> str:
    labels = {"overdue": _("Overdue"), "due_soon": _("Due soon"), "ok": _("Not due")}
    return labels[state]


def days_ago(days: int) -> str:
    if days <= 0:
        return _("today")
    return ngettext("%(days)d day ago", "%(days)d days ago", days) % {"days": days}


MONEY = "#,##0.## ¤"


@lru_cache(maxsize=8)
def _babel_locale(language: str) -> Locale:
    return Locale.parse(locale_name_for(language))


def locale_name_for(language: str) -> str:
    return "da_DK" if language.startswith("da") else "en_GB"


def short_day(value: dt.date) -> str:
    """A date as the list shows it, e.g. "30. jun. 2027"."""
    return _short_day(value, get_language() or "da")


@lru_cache(maxsize=4096)
def _short_day(value: dt.date, language: str) -> str:
    return format_date(value, format="medium", locale=_babel_locale(language))


def money(value: Decimal, currency: str) -> str:
    return _money(value, currency, get_language() or "da")


@lru_cache(maxsize=4096)
def _money(value: Decimal, currency: str, language: str) -> str:
    return format_currency(
        value, currency, locale=_babel_locale(language), format=MONEY, currency_digits=False
    )


@dataclass(frozen=True, slots=True)
class CustomerRow:
    customer: Customer
    url: str
    contact_url: str
    last_contact: dt.date
    last_contact_text: str
    days_since: int
    since_text: str
    due: ContactDue | None  # None: not an active customer
    state: str
    state_label: str
    badge: str
    due_text: str
    snoozed: bool
    snoozed_text: str
    monthly_revenue: str
    tags: list[str]

    def cells(self) -> dict[str, Any]:
        """What the list's row template shows, flat (a dict renders fastest)."""
        customer = self.customer
        return {
            "pk": customer.pk,
            "name": customer.name,
            "contact_person": customer.contact_person,
            "url": self.url,
            "contact_url": self.contact_url,
            "badge": self.badge,
            "state_label": self.state_label,
            "snoozed_text": self.snoozed_text,
            "last_contact_iso": self.last_contact.isoformat(),
            "last_contact_text": self.last_contact_text,
            "since_text": self.since_text,
            "due_text": self.due_text,
            "owner": customer.owner.email if customer.owner else "",
            "tags": self.tags,
            "monthly_revenue": self.monthly_revenue,
        }


def customer_rows(customers: list[Customer], today: dt.date) -> list[CustomerRow]:
    """The lines of a page of the list: their tags in one query, no reverse per row."""
    base_url = reverse("customers:list")
    tags = tags_by_customer([c.pk for c in customers])
    return [customer_row(c, today, base_url, tags.get(c.pk, [])) for c in customers]


def customer_row(
    customer: Customer, today: dt.date, base_url: str = "", tags: list[str] | None = None
) -> CustomerRow:
    """One line of the list (``base_url``: the list's URL; ``tags``: the customer's tag
    names, read from the customer when not given)."""
    base_url = base_url or reverse("customers:list")
    last = customer.counted_from
    days = (today - last).days
    due = due_of(customer, today) if customer.status == CustomerStatus.ACTIVE else None
    state = str(due.state) if due else ""
    if due is None:
        due_text = "–"
    elif due.days_overdue:
        due_text = ngettext(
            "%(date)s (%(days)d day overdue)", "%(date)s (%(days)d days overdue)", due.days_overdue
        ) % {"date": short_day(due.due), "days": due.days_overdue}
    else:
        due_text = short_day(due.due)
    snoozed = bool(
        customer.snoozed_until and customer.snoozed_until > today and due and due.state != "ok"
    )
    return CustomerRow(
        customer=customer,
        url=f"{base_url}{customer.pk}/",
        contact_url=f"{base_url}{customer.pk}/contact/",
        last_contact=last,
        last_contact_text=short_day(last),
        days_since=days,
        since_text=days_ago(days) if days >= 0 else short_day(last),
        due=due,
        state=state,
        state_label=due_label(state) if state else str(customer.get_status_display()),
        badge=DUE_BADGES.get(state, "not_started"),
        due_text=due_text,
        snoozed=snoozed,
        snoozed_text=short_day(customer.snoozed_until)
        if snoozed and customer.snoozed_until
        else "",
        monthly_revenue=money(customer.monthly_revenue, customer.organisation.currency)
        if customer.monthly_revenue is not None
        else "–",
        tags=[tag.name for tag in customer.tags.all()] if tags is None else tags,
    )


def filter_selects(form: forms.Form) -> list[dict[str, Any]]:
    """The list's select filters as plain data: Django's widget rendering costs more than
    the rest of the page (bench/bench_customer_list.py)."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    selects = []
    for name, field in form.fields.items():
        choices = getattr(field, "choices", None)
        if choices is None:
            continue
        current = data.get(name)
        current = "" if current is None else str(current)
        selects.append(
            {
                "name": name,
                "id": f"id_{name}",
                "label": str(field.label),
                "options": [
                    {"value": str(v), "label": str(label), "selected": str(v) == current}
                    for v, label in choices
                ],
            }
        )
    return selects


@dataclass(frozen=True, slots=True)
class MonitorView:
    monitor: Monitor
    state: str
    badge: str
    detail: str
    latest: str
    limits: str


def _limits(monitor: Monitor) -> str:
    kpi = monitor.kpi
    if monitor.lower is not None and monitor.upper is not None:
        return f"{format_kpi_value(kpi, monitor.lower)} – {format_kpi_value(kpi, monitor.upper)}"
    if monitor.lower is not None:
        return _("at least %(value)s") % {"value": format_kpi_value(kpi, monitor.lower)}
    return _("at most %(value)s") % {"value": format_kpi_value(kpi, monitor.upper)}


def monitor_state_label(state: str) -> str:
    """A monitor's state in words: within its limits, outside them, or a reading overdue."""
    labels = {
        "ok": _("Within the limits"),
        "breached": _("Outside the limits"),
        "stale": _("Reading overdue"),
    }
    return labels[state]


def monitor_view(monitor: Monitor, state: str, detail: str) -> MonitorView:
    """A monitor from ``monitor_queryset`` (its latest reading annotated) as shown."""
    latest = getattr(monitor, "latest_value", None)
    return MonitorView(
        monitor=monitor,
        state=state,
        badge=MONITOR_BADGES[state],
        detail=detail,
        latest=format_kpi_value(monitor.kpi, latest) if latest is not None else "–",
        limits=_limits(monitor),
    )


def monitor_views(customer: Customer, today: dt.date) -> list[MonitorView]:
    rows = monitor_queryset(customer.organisation, today).filter(customer=customer)
    views = []
    for monitor in rows:
        state = str(state_of(monitor, today))
        views.append(monitor_view(monitor, state, monitor_detail(monitor, state, today)))
    return views


def advisory_text(due: AdvisoryDue) -> str:
    labels = {"due": _("Due"), "offer": _("Time to offer it"), "not_yet": _("Not yet")}
    return str(labels[str(due.state)])


def _advisory_meetings(
    customer: Customer, today: dt.date
) -> tuple[AdvisoryMeeting | None, AdvisoryMeeting | None]:
    """The open advisory meeting of the cycle, and the declined one while it keeps the
    advisory alert quiet; at most one of them."""
    # One query: the open meeting of the cycle, else the latest declined one.
    meeting = (
        AdvisoryMeeting.objects.filter(
            customer=customer, status__in=[*OPEN_ADVISORY, AdvisoryStatus.DECLINED]
        )
        .order_by(
            Case(When(status__in=OPEN_ADVISORY, then=Value(0)), default=Value(1)),
            "-declined_on",
            "-id",
        )
        .first()
    )
    open_meeting = meeting if meeting is not None and meeting.status in OPEN_ADVISORY else None
    # A declined meeting is shown while it keeps the advisory alert quiet.
    declined_meeting = (
        meeting
        if meeting is not None
        and meeting.status == AdvisoryStatus.DECLINED
        and advisory_quiet(customer, today)
        else None
    )
    return open_meeting, declined_meeting


def _forms(
    organisation: Organisation, today: dt.date, bound: dict[str, forms.Form | Monitor]
) -> dict[str, Any]:
    """The customer page's forms: those in ``bound`` as they are (with their errors), the
    others empty, dated today."""
    day = {"date": today}
    return {
        "contact_form": bound.get("contact_form") or ContactForm(initial={**day, "kind": "call"}),
        "snooze_form": bound.get("snooze_form")
        or SnoozeForm(initial={"until": today + dt.timedelta(days=30)}),
        "revenue_form": bound.get("revenue_form") or RevenueForm(initial=day),
        "advisory_form": bound.get("advisory_form") or AdvisoryForm(initial=day),
        "referral_form": bound.get("referral_form")
        or ReferralForm(organisation=organisation, initial=day),
        "monitor_form": bound.get("monitor_form") or MonitorForm(),
        "reading_form": bound.get("reading_form") or ReadingForm(initial=day),
        "reading_monitor": bound.get("reading_monitor"),
    }


def detail_context(
    customer: Customer, today: dt.date, **bound: forms.Form | Monitor
) -> dict[str, Any]:
    """Everything the customer page shows; ``bound`` holds forms to show with errors."""
    organisation = customer.organisation
    open_meeting, declined_meeting = _advisory_meetings(customer, today)
    advisory = advisory_of(customer, today)
    revenue_12 = customer.revenue.filter(
        date__gt=today - dt.timedelta(days=365), date__lte=today
    ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    timeline: list[TimelineEntry] = customer_timeline(customer)
    return {
        "customer": customer,
        "today": today,
        "row": customer_row(customer, today),
        "tags": [t.name for t in customer.tags.all()],
        "advisory": advisory,
        "advisory_state": advisory_text(advisory),
        "open_meeting": open_meeting,
        "declined_meeting": declined_meeting,
        "monitors": monitor_views(customer, today),
        "timeline": timeline,
        "revenue_12": money(revenue_12, organisation.currency),
        **_forms(organisation, today, bound),
    }


def deletion_summary(customer: Customer) -> list[str]:
    """What goes with a customer that is deleted, one sentence each: what is theirs
    (counted in one query) and what the areas built on the register answer when asked
    (``deletion_asked``: the alerts about them)."""
    has = customer_belongings(customer)
    sentences = [
        ngettext("%(n)s logged contact", "%(n)s logged contacts", has.contacts),
        ngettext("%(n)s advisory meeting", "%(n)s advisory meetings", has.advisory_meetings),
        ngettext(
            "%(n)s monitor (measurement point)", "%(n)s monitors (measurement points)", has.monitors
        ),
        ngettext(
            "%(n)s KPI of the customer (the monitors' included)",
            "%(n)s KPIs of the customer (the monitors' included)",
            has.kpis,
        ),
        ngettext("%(n)s check-in of those KPIs", "%(n)s check-ins of those KPIs", has.checkins),
        ngettext("%(n)s revenue entry", "%(n)s revenue entries", has.revenue_entries),
        ngettext("%(n)s referral to a partner", "%(n)s referrals to partners", has.referrals),
    ]
    counts = [
        has.contacts,
        has.advisory_meetings,
        has.monitors,
        has.kpis,
        has.checkins,
        has.revenue_entries,
        has.referrals,
    ]
    said = [sentence % {"n": n} for sentence, n in zip(sentences, counts, strict=True)]
    for _receiver, answer in deletion_asked.send(sender=Customer, customer=customer):
        said.extend(answer or ())
    return said
