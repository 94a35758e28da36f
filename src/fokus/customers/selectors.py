"""Reads of the customer register, always scoped to one organisation (except the
worker's scan across all of them)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fokus.accounts.models import Organisation, User
from fokus.core.contact import (
    DUE_SOON_DAYS,
    OFFER_ADVISORY_DAYS,
    AdvisoryDue,
    AdvisoryState,
    ContactDue,
    MonitorState,
    add_months,
    advisory_due,
    contact_state,
    monitor_state,
)
from fokus.customers.errors import CustomerError
from fokus.customers.models import (
    COUNTED_FROM,
    OPEN_ADVISORY,
    AdvisoryMeeting,
    Contact,
    Customer,
    CustomerStatus,
    Monitor,
    Partner,
    Referral,
    RevenueEntry,
    Tag,
)
from fokus.errors import NotFound
from fokus.kpis.formatting import format_kpi_value
from fokus.kpis.models import CheckIn, Kpi

SCAN_CHUNK = 5000
# Only what a due scan needs: other fields stay deferred.
SCAN_FIELDS = (
    "id",
    "organisation_id",
    "name",
    "owner_id",
    "since",
    "contact_interval_months",
    "last_contact_on",
    "contact_due_on",
    "snoozed_until",
    "status",
    "clock_start",
)


# The contact due scan.


def due_of(customer: Customer, as_of: dt.date) -> ContactDue:
    """docs/engine.md contact rule for one customer, from the due date kept on its row."""
    return contact_state(
        last_contact=customer.counted_from,
        due=customer.contact_due_on,
        as_of=as_of,
        snoozed_until=customer.snoozed_until,
    )


def customers_due(
    *, organisation: Organisation, as_of: dt.date
) -> list[tuple[Customer, ContactDue]]:
    """Active customers overdue or due soon as of ``as_of``: one indexed query."""
    horizon = as_of + dt.timedelta(days=DUE_SOON_DAYS)
    rows = Customer.objects.filter(
        organisation=organisation,
        status=CustomerStatus.ACTIVE,
        contact_due_on__lte=horizon,
    ).order_by("contact_due_on", "name", "id")
    result = []
    for customer in rows:
        due = due_of(customer, as_of)
        if due.state != "ok":
            result.append((customer, due))
    return result


def unknown_contact_overdue(*, organisation: Organisation, as_of: dt.date) -> QuerySet[Customer]:
    """Active customers overdue as of ``as_of`` only because no contact is known: none
    logged and no clock start, so the rule counts from customer since."""
    return Customer.objects.filter(
        organisation=organisation,
        status=CustomerStatus.ACTIVE,
        last_contact_on__isnull=True,
        clock_start__isnull=True,
        contact_due_on__lte=as_of,
    )


def customers_due_all(
    *, as_of: dt.date, include_due_soon: bool = False
) -> Iterator[tuple[Customer, ContactDue]]:
    """Every organisation's active customers overdue as of ``as_of`` (and, with
    ``include_due_soon``, those due within 14 days), for the worker that raises the
    "customer overdue" alerts: one query on the partial index ``customer_active_due_all``,
    read in chunks. Snoozed customers are included (``due.alert`` is False for them) so
    their open alerts can be told apart from resolved ones. The customers carry only
    ``SCAN_FIELDS`` (others load on access)."""
    horizon = as_of + dt.timedelta(days=DUE_SOON_DAYS) if include_due_soon else as_of
    rows = (
        Customer.objects.filter(status=CustomerStatus.ACTIVE, contact_due_on__lte=horizon)
        .only(*SCAN_FIELDS)
        .order_by()
    )
    for customer in rows.iterator(chunk_size=SCAN_CHUNK):
        yield customer, due_of(customer, as_of)


# The yearly advisory meeting.


def advisory_of(customer: Customer, as_of: dt.date) -> AdvisoryDue:
    """docs/engine.md advisory rule: the base is the latest held meeting (``advisory_base_on``),
    else customer since."""
    return advisory_due(since=customer.since, last_held=customer.advisory_base_on, as_of=as_of)


def advisory_quiet(customer: Customer, as_of: dt.date) -> bool:
    """The customer declined this cycle's meeting: no advisory alert before the day the
    next cycle would start (``advisory_snoozed_until``)."""
    until = customer.advisory_snoozed_until
    return until is not None and as_of < until


def advisory_due_customers(
    *, organisation: Organisation, as_of: dt.date
) -> list[tuple[Customer, AdvisoryDue]]:
    """Active customers whose advisory meeting is due or to be offered as of ``as_of``,
    has not been offered or booked yet and was not declined lately: one query."""
    open_meeting = AdvisoryMeeting.objects.filter(customer=OuterRef("pk"), status__in=OPEN_ADVISORY)
    rows = (
        Customer.objects.filter(
            organisation=organisation,
            status=CustomerStatus.ACTIVE,
            advisory_due_on__lte=as_of + dt.timedelta(days=OFFER_ADVISORY_DAYS),
        )
        .exclude(Exists(open_meeting))
        .exclude(advisory_snoozed_until__gt=as_of)
        .order_by("advisory_due_on", "name", "id")
    )
    result = []
    for customer in rows:
        due = advisory_of(customer, as_of)
        if due.state != AdvisoryState.not_yet:
            result.append((customer, due))
    return result


# Monitors.


def _latest(field: str, as_of: dt.date) -> Subquery:
    return Subquery(
        CheckIn.objects.filter(kpi=OuterRef("kpi"), date__lte=as_of)
        .order_by("-date", "-id")
        .values(field)[:1]
    )


def monitor_queryset(organisation: Organisation, as_of: dt.date) -> QuerySet[Monitor]:
    """Monitors with their latest reading up to ``as_of`` (``latest_value``, ``latest_date``)."""
    return (
        Monitor.objects.filter(organisation=organisation, kpi__archived_at__isnull=True)
        .select_related("kpi", "kpi__organisation", "customer")
        .annotate(latest_value=_latest("value", as_of), latest_date=_latest("date", as_of))
        .order_by("customer__name", "id")
    )


def monitor_detail(monitor: Monitor, state: str, as_of: dt.date) -> str:
    """One short sentence saying why the monitor is in its state."""
    kpi = monitor.kpi
    value: Decimal | None = getattr(monitor, "latest_value", None)
    latest: dt.date | None = getattr(monitor, "latest_date", None)
    if state == MonitorState.stale:
        if latest is None:
            return ngettext(
                "No reading yet (expected every %(cadence)d day).",
                "No reading yet (expected every %(cadence)d days).",
                monitor.cadence_days,
            ) % {"cadence": monitor.cadence_days}
        return _("No reading for %(days)d days (expected every %(cadence)d).") % {
            "days": (as_of - latest).days,
            "cadence": monitor.cadence_days,
        }
    if value is None:
        return _("No reading yet.")
    shown = format_kpi_value(kpi, value)
    if state == MonitorState.breached and monitor.lower is not None and value < monitor.lower:
        return _("%(value)s is below the lower limit %(limit)s.") % {
            "value": shown,
            "limit": format_kpi_value(kpi, monitor.lower),
        }
    if state == MonitorState.breached and monitor.upper is not None:
        return _("%(value)s is above the upper limit %(limit)s.") % {
            "value": shown,
            "limit": format_kpi_value(kpi, monitor.upper),
        }
    return _("%(value)s is within the limits.") % {"value": shown}


def state_of(monitor: Monitor, as_of: dt.date) -> MonitorState:
    """The monitor's state; it must come from ``monitor_queryset`` (latest reading)."""
    return monitor_state(
        latest_value=getattr(monitor, "latest_value", None),
        latest_date=getattr(monitor, "latest_date", None),
        watching_since=monitor.watching_since,
        lower=monitor.lower,
        upper=monitor.upper,
        cadence_days=monitor.cadence_days,
        as_of=as_of,
    )


def monitor_states(*, organisation: Organisation, as_of: dt.date) -> list[tuple[Monitor, str, str]]:
    """Every monitor of the organisation's current customers with its state ("ok",
    "breached" or "stale") and a short detail, as of ``as_of``: one query."""
    rows = monitor_queryset(organisation, as_of).exclude(customer__status=CustomerStatus.FORMER)
    result = []
    for monitor in rows:
        state = state_of(monitor, as_of)
        result.append((monitor, str(state), monitor_detail(monitor, state, as_of)))
    return result


# The register.


def customer_queryset(organisation: Organisation, *, tags: bool = True) -> QuerySet[Customer]:
    """The organisation's customers with owner and (``tags``: prefetched) tags."""
    queryset = (
        Customer.objects.filter(organisation=organisation)
        .select_related("organisation", "owner")
        .annotate(last_contact=COUNTED_FROM)
    )
    if tags:
        queryset = queryset.prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("name"))
        )
    return queryset


def tags_by_customer(customer_ids: list[int]) -> dict[int, list[str]]:
    """Tag names of many customers in one query (lighter than a prefetch for a list)."""
    rows = (
        Customer.tags.through.objects.filter(customer_id__in=customer_ids)
        .order_by("tag__name")
        .values_list("customer_id", "tag__name")
    )
    result: dict[int, list[str]] = {}
    for customer_id, name in rows:
        result.setdefault(customer_id, []).append(name)
    return result


def customer_get(*, organisation: Organisation, ref: str | int) -> Customer:
    """A customer of the organisation by id or exact name."""
    text = str(ref).strip()
    queryset = customer_queryset(organisation)
    if text.isdigit():
        customer = queryset.filter(pk=int(text)).first()
        if customer is not None:
            return customer
    named = list(queryset.filter(name=text)[:2])
    if len(named) > 1:
        raise CustomerError("ambiguous_customer", field="customer", ref=text)
    if not named:
        raise NotFound("unknown_customer", ref=text)
    return named[0]


# The list shows the active customers first, then prospects, then former customers.
STATUS_RANK = Case(
    When(status=CustomerStatus.ACTIVE, then=Value(0)),
    When(status=CustomerStatus.PROSPECT, then=Value(1)),
    default=Value(2),
)
SORTS = {
    "contact": ("last_contact", "name", "id"),  # longest since last contact first
    "-contact": ("-last_contact", "name", "id"),
    "due": ("contact_due_on", "name", "id"),
    "name": ("name", "id"),
}
DUE_STATES = ("overdue", "due_soon", "ok")


@dataclass(frozen=True, slots=True)
class CustomerFilter:
    search: str = ""
    status: str = ""
    owner: int | None = None
    tag: str = ""
    due: str = ""
    sort: str = "contact"
    # Active customers first (then prospects, then former ones), each part in ``sort``.
    active_first: bool = False


def customer_list(
    *,
    organisation: Organisation,
    today: dt.date,
    filters: CustomerFilter = CustomerFilter(),
    tags: bool = True,
) -> QuerySet[Customer]:
    """The register filtered and sorted (by default: longest since last contact first);
    ``tags=False`` leaves the tags to ``tags_by_customer``."""
    queryset = customer_queryset(organisation, tags=tags)
    search = filters.search.strip()
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search)
            | Q(contact_person__icontains=search)
            | Q(email__icontains=search)
            | Q(cvr__startswith=search.replace(" ", ""))
        )
    if filters.status in CustomerStatus.values:
        queryset = queryset.filter(status=filters.status)
    if filters.owner is not None:
        queryset = queryset.filter(owner_id=filters.owner)
    if filters.tag:
        queryset = queryset.filter(tags__name=filters.tag)
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    if filters.due == "overdue":
        queryset = queryset.filter(status=CustomerStatus.ACTIVE, contact_due_on__lte=today)
    elif filters.due == "due_soon":
        queryset = queryset.filter(
            status=CustomerStatus.ACTIVE, contact_due_on__gt=today, contact_due_on__lte=soon
        )
    elif filters.due == "ok":
        queryset = queryset.filter(status=CustomerStatus.ACTIVE, contact_due_on__gt=soon)
    order = SORTS.get(filters.sort, SORTS["contact"])
    if filters.active_first:
        return queryset.order_by(STATUS_RANK, *order)
    return queryset.order_by(*order)


# What goes with a customer that is deleted.


@dataclass(frozen=True, slots=True)
class CustomerBelongings:
    contacts: int
    revenue_entries: int
    advisory_meetings: int
    referrals: int
    monitors: int
    kpis: int
    checkins: int


def _count_of(queryset: QuerySet[Any], by: str) -> Coalesce:
    """The number of rows of ``queryset`` whose ``by`` is the outer customer."""
    rows = queryset.filter(**{by: OuterRef("pk")}).order_by().values(by)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)


def customer_belongings(customer: Customer) -> CustomerBelongings:
    """What is the customer's and goes with them when they are deleted (every relation to
    a customer cascades; a KPI scoped to the customer, a monitor's included, goes with its
    check-ins): one query."""
    counts = (
        Customer.objects.filter(pk=customer.pk)
        .annotate(
            n_contacts=_count_of(Contact.objects.all(), "customer"),
            n_revenue=_count_of(RevenueEntry.objects.all(), "customer"),
            n_advisory=_count_of(AdvisoryMeeting.objects.all(), "customer"),
            n_referrals=_count_of(Referral.objects.all(), "customer"),
            n_monitors=_count_of(Monitor.objects.all(), "customer"),
            n_kpis=_count_of(Kpi.objects.all(), "customer"),
            n_checkins=_count_of(CheckIn.objects.all(), "kpi__customer"),
        )
        .values_list(
            "n_contacts",
            "n_revenue",
            "n_advisory",
            "n_referrals",
            "n_monitors",
            "n_kpis",
            "n_checkins",
        )
        .get()
    )
    return CustomerBelongings(*counts)


# Customers that may be the same: the same name (case and spaces aside) or CVR number.


def name_key(name: str) -> str:
    """A name as two customers' names are compared: case and runs of spaces aside."""
    return " ".join(name.split()).casefold()


def cvr_key(cvr: str) -> str:
    """A CVR number as typed ("1234 5678", "1234-5678") as its 8 digits (or as typed)."""
    return re.sub(r"[\s\-]", "", cvr)


def customer_duplicates(
    *, organisation: Organisation, name: str, cvr: str = "", exclude: int | None = None
) -> list[Customer]:
    """The organisation's customers (but ``exclude``) with the same name, case and spaces
    aside, or the same CVR number: one query of ids, names and CVR numbers (a name is
    compared in Python, where case folding knows æ, ø and å)."""
    key, number = name_key(name), cvr_key(cvr)
    if not key and not number:
        return []
    rows = Customer.objects.filter(organisation=organisation)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return [
        customer
        for customer in rows.only("id", "name", "cvr", "status").order_by("name", "id")
        if (key and name_key(customer.name) == key) or (number and customer.cvr == number)
    ]


def starts_overdue(
    *,
    since: dt.date,
    status: str,
    interval_months: int,
    last_contact: dt.date | None,
    clock_start: dt.date | None,
    today: dt.date,
) -> dt.date | None:
    """Whether a customer about to be added would be overdue for contact on its first day,
    because no contact is known (no last contact, no clock start) and customer since plus
    the contact interval has passed (docs/engine.md): its due date then, else None."""
    if status != CustomerStatus.ACTIVE or last_contact is not None or clock_start is not None:
        return None
    due = contact_state(last_contact=since, due=add_months(since, interval_months), as_of=today)
    return due.due if due.state == "overdue" else None


def organisation_tags(organisation: Organisation) -> list[Tag]:
    return list(Tag.objects.filter(organisation=organisation).order_by("name"))


def organisation_members(organisation: Organisation) -> list[User]:
    return list(User.objects.filter(memberships__organisation=organisation).order_by("email"))


def partner_list(*, organisation: Organisation) -> list[Partner]:
    return list(Partner.objects.filter(organisation=organisation).order_by("name", "id"))


def partner_get(*, organisation: Organisation, ref: str | int) -> Partner:
    text = str(ref).strip()
    partner = None
    if text.isdigit():
        partner = Partner.objects.filter(organisation=organisation, pk=int(text)).first()
    if partner is None:
        partner = Partner.objects.filter(organisation=organisation, name__iexact=text).first()
    if partner is None:
        raise NotFound("unknown_partner", field="partner", ref=text)
    return partner


# Revenue figures for the planners (docs/engine.md "Revenue levers").


def revenue_last_12_months(*, organisation: Organisation, as_of: dt.date) -> list[Decimal]:
    """Each active customer's revenue of the 12 months up to ``as_of`` (0 without entries)."""
    from django.db.models import Sum

    start = as_of - dt.timedelta(days=365)
    rows = Customer.objects.filter(
        organisation=organisation, status=CustomerStatus.ACTIVE
    ).annotate(
        total=Coalesce(
            Sum("revenue__amount", filter=Q(revenue__date__gt=start, revenue__date__lte=as_of)),
            Decimal(0),
        )
    )
    return [row.total for row in rows.order_by("pk")]


def first_year_revenues(*, organisation: Organisation, as_of: dt.date) -> list[Decimal]:
    """First-year revenue of customers who started within the 24 months before ``as_of``
    (for the realism check), counting revenue dated in their first 12 months."""
    from fokus.core.contact import add_months

    since_from = add_months(as_of, -24)
    customers = Customer.objects.filter(
        organisation=organisation, since__gt=since_from, since__lte=as_of
    ).exclude(status=CustomerStatus.PROSPECT)
    totals: dict[int, Decimal] = {c.pk: Decimal(0) for c in customers.only("pk")}
    entries = RevenueEntry.objects.filter(customer__in=customers).values_list(
        "customer_id", "date", "amount", "customer__since"
    )
    for customer_id, date, amount, since in entries:
        if since <= date < add_months(since, 12):
            totals[customer_id] += amount
    return [totals[pk] for pk in sorted(totals)]


__all__ = [
    "DUE_STATES",
    "SORTS",
    "CustomerBelongings",
    "CustomerFilter",
    "advisory_due_customers",
    "advisory_of",
    "advisory_quiet",
    "customer_belongings",
    "customer_duplicates",
    "customer_get",
    "customer_list",
    "customer_queryset",
    "customers_due",
    "customers_due_all",
    "cvr_key",
    "due_of",
    "first_year_revenues",
    "monitor_detail",
    "monitor_queryset",
    "monitor_states",
    "name_key",
    "organisation_members",
    "organisation_tags",
    "partner_get",
    "partner_list",
    "revenue_last_12_months",
    "starts_overdue",
    "state_of",
    "tags_by_customer",
]
