"""State changes of the customer register: customers, tags, the contact log, snoozes and
revenue entries. The web views, the API and the CLI all call these functions.

Every service that changes an input of a derived KPI ends by refreshing those KPIs
(``fokus.customers.derived``), so their check-ins follow the register by themselves.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from fokus.accounts.models import Membership, Organisation, User
from fokus.core.contact import add_months
from fokus.customers import derived
from fokus.customers.errors import CustomerError
from fokus.customers.models import (
    OPEN_ADVISORY,
    AdvisoryMeeting,
    AdvisoryStatus,
    Contact,
    ContactKind,
    Customer,
    CustomerStatus,
    RevenueEntry,
    Tag,
)
from fokus.customers.selectors import customer_duplicates, name_key, unknown_contact_overdue
from fokus.customers.signals import contact_logged, snooze_changed, snoozes_changed
from fokus.kpis.models import Derived
from fokus.values import check_choice, check_text

MAX_INTERVAL_MONTHS = 120
# The latest date a customer can start or a contact be logged on: its next contact
# (at most ``MAX_INTERVAL_MONTHS`` later) must still be a date.
LATEST_DAY = dt.date(dt.MAXYEAR - MAX_INTERVAL_MONTHS // 12, 12, 31)
CVR = re.compile(r"^\d{8}$")
TEXT_LIMITS = {
    "name": 200,
    "contact_person": 200,
    "phone": 40,
    "tag": 50,
    "reason": 200,
    "speciality": 200,
    "description": 300,
}
UPDATABLE = frozenset(
    {
        "name",
        "since",
        "status",
        "interval_months",
        "email",
        "phone",
        "cvr",
        "contact_person",
        "monthly_revenue",
        "owner",
        "notes",
        "tags",
        "clock_start",
    }
)
# Which derived KPIs an update of a field can change.
DERIVED_BY_FIELD = {
    "since": {
        Derived.NEW_CUSTOMERS,
        Derived.NEW_CUSTOMER_REVENUE,
        Derived.EXISTING_CUSTOMER_REVENUE,
    },
    "status": {Derived.NEW_CUSTOMERS, Derived.CONTACTED_SHARE},
    "interval_months": {Derived.CONTACTED_SHARE},
    "clock_start": {Derived.CONTACTED_SHARE},
}


def clean_text(value: str, field: str, *, required: str | None = None) -> str:
    value = check_text(value, field=field).strip()
    if required and not value:
        raise CustomerError(required, field=field)
    return check_text(value, field=field, limit=TEXT_LIMITS.get(field))


def clean_email(value: str, field: str = "email") -> str:
    value = check_text(value, field=field).strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise CustomerError("email_invalid", field=field, text=value) from None
    return value


def _cvr(value: str) -> str:
    text = check_text(value, field="cvr")
    digits = re.sub(r"[\s\-]", "", text)
    if digits and not CVR.match(digits):
        raise CustomerError("cvr_invalid", field="cvr", text=text.strip())
    return digits


def _interval(value: int | None, organisation: Organisation) -> int:
    interval = organisation.default_contact_interval if value is None else value
    if isinstance(interval, bool) or not isinstance(interval, int):
        raise CustomerError("interval_invalid", field="interval_months")
    if not 1 <= interval <= MAX_INTERVAL_MONTHS:
        raise CustomerError("interval_invalid", field="interval_months")
    return interval


def check_day(value: dt.date, field: str = "date") -> dt.date:
    """Any date, past or future, whose due dates can still be computed."""
    if value > LATEST_DAY:
        raise CustomerError("date_too_late", field=field, date=value)
    return value


def _status(value: str) -> str:
    return check_choice(value, CustomerStatus.values, field="status")


def _monthly_revenue(value: Decimal | None) -> Decimal | None:
    if value is not None and value < 0:
        raise CustomerError("monthly_revenue_negative", field="monthly_revenue")
    return value


def _owner(value: User | None, organisation: Organisation) -> User | None:
    if (
        value is not None
        and not Membership.objects.filter(organisation=organisation, user=value).exists()
    ):
        raise CustomerError("owner_not_member", field="owner", email=value.email)
    return value


def _tag_names(values: Iterable[str]) -> list[str]:
    names: list[str] = []
    for raw in values:
        name = clean_text(raw, "tag")
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


def _clean(organisation: Organisation, fields: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise customer fields; raises the first problem, saves nothing."""
    cleaners: dict[str, Callable[[Any], Any]] = {
        "name": lambda v: clean_text(v, "name", required="customer_name_required"),
        "contact_person": lambda v: clean_text(v, "contact_person"),
        "phone": lambda v: clean_text(v, "phone"),
        "notes": lambda v: check_text(v, field="notes"),
        "email": clean_email,
        "cvr": _cvr,
        "status": _status,
        "interval_months": lambda v: _interval(v, organisation),
        "monthly_revenue": _monthly_revenue,
        "owner": lambda v: _owner(v, organisation),
        "tags": _tag_names,
        "since": lambda v: check_day(v, "since"),
        "clock_start": lambda v: None if v is None else check_day(v, "clock_start"),
        "last_contact": lambda v: None if v is None else check_day(v, "last_contact"),
    }
    return {name: cleaners[name](value) for name, value in fields.items()}


def _set_tags(customer: Customer, names: list[str]) -> None:
    existing = {
        t.name.casefold(): t for t in Tag.objects.filter(organisation_id=customer.organisation_id)
    }
    tags = []
    for name in names:
        tag = existing.get(name.casefold())
        if tag is None:
            tag, _ = Tag.objects.get_or_create(organisation_id=customer.organisation_id, name=name)
        tags.append(tag)
    customer.tags.set(tags)


def contact_due_of(customer: Customer) -> dt.date:
    """docs/engine.md: what the rule counts from (the latest logged contact or the clock
    start, else customer since) + the interval in months."""
    return add_months(customer.counted_from, customer.contact_interval_months)


def advisory_due_of(customer: Customer) -> dt.date:
    """docs/engine.md: the base of the cycle (else customer since) + 12 months."""
    return add_months(customer.advisory_base_on or customer.since, 12)


@transaction.atomic
def customer_create(
    *,
    organisation: Organisation,
    name: str,
    since: dt.date,
    status: str = CustomerStatus.ACTIVE,
    interval_months: int | None = None,
    email: str = "",
    phone: str = "",
    cvr: str = "",
    contact_person: str = "",
    monthly_revenue: Decimal | None = None,
    owner: User | None = None,
    notes: str = "",
    tags: Iterable[str] = (),
    last_contact: dt.date | None = None,
    clock_start: dt.date | None = None,
    allow_duplicate: bool = True,
    today: dt.date,
) -> Customer:
    """Register a customer; the contact interval defaults to the organisation's. A known
    ``last_contact`` is logged as a contact of that date; ``clock_start`` is the day the
    contact rule starts counting from when no contact is known (it logs no contact: the
    rule counts from the later of the two, docs/engine.md "Customer contact"). Without
    ``allow_duplicate`` a customer with the same name (case and spaces aside) or CVR
    number as another of the organisation is refused (``customer_exists``)."""
    clean = _clean(
        organisation,
        {
            "name": name,
            "since": since,
            "status": status,
            "interval_months": interval_months,
            "email": email,
            "phone": phone,
            "cvr": cvr,
            "contact_person": contact_person,
            "monthly_revenue": monthly_revenue,
            "owner": owner,
            "notes": notes,
            "tags": tags,
            "last_contact": last_contact,
            "clock_start": clock_start,
        },
    )
    tag_names = clean.pop("tags")
    last_contact = clean.pop("last_contact")
    clean["contact_interval_months"] = clean.pop("interval_months")
    if not allow_duplicate:
        _check_not_there(organisation, clean["name"], clean["cvr"])
    customer = Customer(organisation=organisation, last_contact_on=last_contact, **clean)
    customer.contact_due_on = contact_due_of(customer)
    customer.advisory_due_on = advisory_due_of(customer)
    customer.save()
    if last_contact is not None:
        # A customer made now has no alert to resolve: the contact is only put on record.
        Contact.objects.create(customer=customer, date=last_contact, kind=ContactKind.OTHER)
    if tag_names:
        _set_tags(customer, tag_names)
    derived.derived_refresh(
        organisation=organisation,
        today=today,
        kinds={Derived.NEW_CUSTOMERS, Derived.CONTACTED_SHARE},
    )
    return customer


def _check_not_there(
    organisation: Organisation, name: str, cvr: str, exclude: int | None = None
) -> None:
    """Refuse a name (case and spaces aside) or CVR number another customer has."""
    same = customer_duplicates(organisation=organisation, name=name, cvr=cvr, exclude=exclude)
    if same:
        field = "name" if name and name_key(same[0].name) == name_key(name) else "cvr"
        raise CustomerError("customer_exists", field=field, name=same[0].name, id=same[0].pk)


@transaction.atomic
def customer_update(
    *,
    customer: Customer,
    user: User | None = None,
    allow_duplicate: bool = True,
    today: dt.date,
    **changes: Any,
) -> Customer:
    """Change a customer's fields (those of ``customer_create``); the due dates follow.
    Without ``allow_duplicate``, a new name or CVR number that another customer of the
    organisation has is refused (``customer_exists``)."""
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise TypeError(f"customer_update() got unexpected fields {sorted(unknown)}")
    organisation = customer.organisation
    clean = _clean(organisation, changes)
    if not allow_duplicate:
        # Only what changes: a customer that already shares a name may keep it.
        name, cvr = clean.get("name", customer.name), clean.get("cvr", customer.cvr)
        _check_not_there(
            organisation,
            name if name_key(name) != name_key(customer.name) else "",
            cvr if cvr != customer.cvr else "",
            exclude=customer.pk,
        )
    tag_names = clean.pop("tags", None)
    if "interval_months" in clean:
        clean["contact_interval_months"] = clean.pop("interval_months")
    for name, value in clean.items():
        setattr(customer, name, value)
    customer.contact_due_on = contact_due_of(customer)
    customer.advisory_due_on = advisory_due_of(customer)
    customer.save()
    if tag_names is not None:
        _set_tags(customer, tag_names)
    kinds = set().union(*(DERIVED_BY_FIELD.get(name, set()) for name in changes))
    if kinds:
        derived.derived_refresh(organisation=organisation, today=today, kinds=kinds)
    return customer


@transaction.atomic
def clock_start_unknown(*, organisation: Organisation, day: dt.date, today: dt.date) -> int:
    """Start the contact clock on ``day`` for every active customer overdue only because
    no contact is known (``selectors.unknown_contact_overdue``); the rule then counts from
    ``day`` (docs/engine.md). Returns how many customers it started."""
    check_day(day, "clock_start")
    customers = list(
        unknown_contact_overdue(organisation=organisation, as_of=today).only(
            "pk", "since", "contact_interval_months", "last_contact_on", "clock_start"
        )
    )
    for customer in customers:
        customer.clock_start = day
        customer.contact_due_on = contact_due_of(customer)
    Customer.objects.bulk_update(customers, ["clock_start", "contact_due_on"], batch_size=500)
    if customers:
        derived.derived_refresh(
            organisation=organisation, today=today, kinds={Derived.CONTACTED_SHARE}
        )
    return len(customers)


def contact_log(
    *,
    customer: Customer,
    date: dt.date,
    kind: str = ContactKind.CALL,
    note: str = "",
    user: User | None = None,
    today: dt.date,
    now: dt.datetime,
) -> Contact:
    """Log a contact and move the customer's next due date (kept on the row for the scan).
    A contact of kind advisory is the yearly advisory meeting held on its date."""
    return contact_log_with_meeting(
        customer=customer, date=date, kind=kind, note=note, user=user, today=today, now=now
    )[0]


@transaction.atomic
def contact_log_with_meeting(
    *,
    customer: Customer,
    date: dt.date,
    kind: str = ContactKind.CALL,
    note: str = "",
    user: User | None = None,
    today: dt.date,
    now: dt.datetime,
) -> tuple[Contact, AdvisoryMeeting | None]:
    """``contact_log``, also returning the advisory meeting a contact of kind advisory
    recorded as held (None for the other kinds)."""
    check_text(note, field="note")
    check_choice(kind, ContactKind.values, field="kind")
    check_day(date)
    organisation = customer.organisation
    contact = Contact.objects.create(customer=customer, date=date, kind=kind, note=note, user=user)
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    if locked.last_contact_on is None or date > locked.last_contact_on:
        locked.last_contact_on = date
    locked.contact_due_on = contact_due_of(locked)
    locked.save(update_fields=["last_contact_on", "contact_due_on"])
    meeting = None
    kinds = {Derived.CONTACTED_SHARE}
    if kind == ContactKind.ADVISORY:
        meeting = _advisory_held(locked, date=date, outcome=note.strip(), user=user)
        kinds.add(Derived.ADVISORY_MEETINGS)
    for name in (
        "last_contact_on",
        "contact_due_on",
        "advisory_base_on",
        "advisory_due_on",
        "advisory_snoozed_until",
    ):
        setattr(customer, name, getattr(locked, name))
    derived.derived_refresh(organisation=organisation, today=today, kinds=kinds)
    held = meeting is not None
    transaction.on_commit(
        lambda: contact_logged.send(
            sender=Customer, customer=customer, today=today, now=now, advisory=held
        )
    )
    return contact, meeting


# The yearly advisory meeting (the rest of its cycle is in ``fokus.customers.advisory``).


def advisory_cycle_due(customer: Customer) -> dt.date:
    """The due date of the cycle a meeting is offered, booked or declined for now: the
    docs/engine.md due date, or after a declined meeting the day the next cycle would start."""
    due = customer.advisory_due_on or advisory_due_of(customer)
    quiet = customer.advisory_snoozed_until
    return quiet if quiet is not None and quiet > due else due


def _advisory_held(
    customer: Customer, *, date: dt.date, outcome: str, user: User | None
) -> AdvisoryMeeting:
    """The advisory meeting was held on ``date`` (``customer`` is locked). docs/engine.md: the
    latest held meeting is the base of the cycle, so a meeting after the base completes
    the current cycle (its open meeting, if any, becomes the held one) and starts the
    next; an earlier one is put on record and moves nothing."""
    base = customer.advisory_base_on
    if base is not None and date <= base:
        same_day = AdvisoryMeeting.objects.filter(
            customer=customer, status=AdvisoryStatus.HELD, held_on=date
        ).first()
        if same_day is not None:
            return same_day
        return AdvisoryMeeting.objects.create(
            customer=customer,
            due_on=date,
            status=AdvisoryStatus.HELD,
            held_on=date,
            outcome=outcome,
            user=user,
        )
    meeting = (
        AdvisoryMeeting.objects.select_for_update()
        .filter(customer=customer, status__in=OPEN_ADVISORY)
        .first()
    ) or AdvisoryMeeting(customer=customer, due_on=advisory_cycle_due(customer))
    meeting.status = AdvisoryStatus.HELD
    meeting.held_on = date
    meeting.outcome = outcome
    meeting.user = user
    meeting.save()
    customer.advisory_base_on = date
    customer.advisory_due_on = advisory_due_of(customer)
    customer.advisory_snoozed_until = None
    customer.save(update_fields=["advisory_base_on", "advisory_due_on", "advisory_snoozed_until"])
    return meeting


@transaction.atomic
def customer_snooze(
    *,
    customer: Customer,
    until: dt.date,
    reason: str,
    user: User | None = None,
    today: dt.date,
) -> Customer:
    """No contact alerts for this customer before ``until``, for the reason given
    (``snooze_changed``: its open "not contacted" alert is snoozed with it). The web page,
    the API's PATCH and the alert's own snooze all come here."""
    reason = clean_text(reason, "reason", required="snooze_reason_required")
    if until <= today:
        raise CustomerError("snooze_not_future", field="until", today=today)
    customer.snoozed_until = until
    customer.snooze_reason = reason
    customer.save(update_fields=["snoozed_until", "snooze_reason"])
    snooze_changed.send(sender=Customer, customer=customer, user=user)
    return customer


@transaction.atomic
def customer_unsnooze(*, customer: Customer, user: User | None = None) -> Customer:
    customer.snoozed_until = None
    customer.snooze_reason = ""
    customer.save(update_fields=["snoozed_until", "snooze_reason"])
    snooze_changed.send(sender=Customer, customer=customer, user=user)
    return customer


@transaction.atomic
def customers_snooze(
    *,
    organisation: Organisation,
    customer_ids: list[int],
    until: dt.date,
    reason: str,
    user: User | None = None,
    today: dt.date,
) -> int:
    """``customer_snooze`` for many of the organisation's customers at once, in two
    queries whatever their number (one update of the customers, one of their open alerts:
    ``snoozes_changed``). Returns how many customers were snoozed."""
    reason = clean_text(reason, "reason", required="snooze_reason_required")
    if until <= today:
        raise CustomerError("snooze_not_future", field="until", today=today)
    customers = Customer.objects.filter(organisation=organisation, pk__in=customer_ids)
    changed = customers.update(snoozed_until=until, snooze_reason=reason)
    if changed:
        snoozes_changed.send(
            sender=Customer, customer_ids=customer_ids, until=until, reason=reason, user=user
        )
    return changed


@transaction.atomic
def customer_delete(*, customer: Customer, today: dt.date) -> None:
    """Delete a customer with everything that is theirs: contacts, revenue entries,
    advisory meetings, referrals, monitors, the KPIs scoped to the customer (with their
    check-ins) and the alerts about them. The derived KPIs follow the register without
    them."""
    organisation = customer.organisation
    Customer.objects.filter(pk=customer.pk).delete()
    derived.derived_refresh(organisation=organisation, today=today)


def revenue_record(
    *,
    customer: Customer,
    date: dt.date,
    amount: Decimal,
    description: str = "",
    external_id: str | None = None,
    user: User | None = None,
    today: dt.date,
) -> RevenueEntry:
    """Record revenue from a customer; a repeated ``external_id`` is not stored twice."""
    description = clean_text(description, "description")
    if amount == 0:
        raise CustomerError("amount_zero", field="amount")
    if external_id is not None:
        external_id = check_text(external_id, field="external_id").strip() or None
    if external_id is not None:
        existing = RevenueEntry.objects.filter(customer=customer, external_id=external_id).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            entry = RevenueEntry.objects.create(
                customer=customer,
                date=date,
                amount=amount,
                description=description,
                external_id=external_id,
                user=user,
            )
            derived.derived_refresh(
                organisation=customer.organisation,
                today=today,
                kinds={Derived.NEW_CUSTOMER_REVENUE, Derived.EXISTING_CUSTOMER_REVENUE},
            )
    except IntegrityError:
        # A concurrent request stored the same (customer, external_id) first.
        return RevenueEntry.objects.get(customer=customer, external_id=external_id)
    return entry


__all__ = [
    "LATEST_DAY",
    "advisory_cycle_due",
    "advisory_due_of",
    "check_day",
    "clean_email",
    "clean_text",
    "contact_due_of",
    "contact_log",
    "contact_log_with_meeting",
    "customer_create",
    "customer_delete",
    "customer_snooze",
    "customer_unsnooze",
    "customer_update",
    "customers_snooze",
    "revenue_record",
]
