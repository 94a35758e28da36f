"""Import of customers, contacts and revenue entries (docs/interfaces.md "Import columns"),
through the customer register's own services.

Re-importing changes nothing: a customer with the same name (or CVR number) is left
alone; a contact or revenue entry identical to a stored one (same customer, date, kind
or amount, and text, counting repeats) is not stored again, nor is a revenue entry with
the external id of a stored one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from fokus.accounts.models import Organisation, User
from fokus.customers import services as customer_services
from fokus.customers.errors import CustomerError
from fokus.customers.models import Contact, ContactKind, Customer, CustomerStatus, RevenueEntry
from fokus.customers.selectors import name_key, starts_overdue
from fokus.dataio.errors import DataError
from fokus.dataio.importing import (
    Column,
    ImportKind,
    ImportResult,
    Progress,
    Review,
    RowContext,
    normalise_header,
    register,
)
from fokus.dataio.parsing import parse_day, parse_number, parse_whole_number
from fokus.errors import InputError, NotFound, ProductError, RowProblem, row_problem
from fokus.values import check_text

Checker = Callable[[], Any]

STATUS_WORDS = {
    CustomerStatus.PROSPECT: ("emne", "prospekt", "potentiel", "lead"),
    CustomerStatus.ACTIVE: ("aktiv", "kunde"),
    CustomerStatus.FORMER: ("tidligere", "ophørt", "inaktiv", "forhenværende"),
}
KIND_WORDS = {
    ContactKind.CALL: ("opkald", "telefon", "ringet", "phone"),
    ContactKind.EMAIL: ("mail", "e-mail", "email"),
    ContactKind.MEETING: ("møde",),
    ContactKind.ADVISORY: ("rådgivningsmøde", "rådgivning", "advisory meeting"),
    ContactKind.OTHER: ("andet", "anden"),
}


def _choices(choices: Any, words: dict[Any, tuple[str, ...]]) -> dict[str, str]:
    """Value, English and Danish label and extra words of each choice → value."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        names = [value, *words.get(value, ())]
        for language in ("en", "da"):
            with translation.override(language):
                names.append(str(label))
        for name in names:
            lookup[normalise_header(name)] = value
    return lookup


def _choice(text: str, lookup: dict[str, str], default: str, name: str) -> str:
    if not text:
        return default
    value = lookup.get(normalise_header(text))
    if value is None:
        raise InputError(
            "invalid_choice",
            value=text[:40],
            name=name,
            choices=", ".join(sorted(set(lookup.values()))),
        )
    return value


def _collect(row: int, checks: dict[str, Checker]) -> tuple[dict[str, Any], list[RowProblem]]:
    """Run each field's check; every failing field is a problem of the row."""
    values: dict[str, Any] = {}
    problems: list[RowProblem] = []
    for name, check in checks.items():
        try:
            values[name] = check()
        except ProductError as error:
            problems.append(row_problem(row, name, error))
    return values, problems


def _optional(ctx: RowContext, name: str, parse: Callable[[Any], Any]) -> Any:
    return parse(ctx.cells.get(name)) if ctx.has(name) else None


class CustomerLookup:
    """Customers by id or exact name (case-insensitive), loaded with one query."""

    def __init__(self, organisation: Organisation) -> None:
        customers = list(Customer.objects.filter(organisation=organisation))
        self.by_id = {str(c.pk): c for c in customers}
        self.by_name: dict[str, list[Customer]] = {}
        for customer in customers:
            self.by_name.setdefault(customer.name.strip().casefold(), []).append(customer)

    def __call__(self, ref: str) -> Customer:
        text = ref.strip()
        if not text:
            raise InputError("required")
        named = self.by_name.get(text.casefold(), [])
        if len(named) == 1:
            return named[0]
        if named:
            raise CustomerError("ambiguous_customer", ref=text[:80])
        customer = self.by_id.get(text)
        if customer is None:
            raise NotFound("unknown_customer", ref=text[:80])
        return customer


# Customers ---------------------------------------------------------------------------


class CustomerImport(ImportKind):
    name = "customers"
    label = _("Customers")
    columns = (
        Column("name", _("Name"), ("navn", "kunde", "firma"), required=True),
        Column("since", _("Customer since"), ("kunde_siden", "kundesiden", "startdato")),
        Column("status", _("Status"), ()),
        Column("email", _("E-mail"), ("e-mail", "mail")),
        Column("phone", _("Phone"), ("telefon", "tlf")),
        Column("cvr", _("CVR number"), ("cvr-nr", "cvrnummer")),
        Column("monthly_revenue", _("Monthly revenue"), ("månedlig_omsætning",), numeric=True),
        Column("interval_months", _("Contact interval (months)"), ("kontaktinterval",)),
        Column("contact_person", _("Contact person"), ("kontaktperson", "kontakt")),
        Column("notes", _("Notes"), ("noter", "note", "bemærkninger")),
        Column("last_contact", _("Last contact"), ("seneste_kontakt", "sidste_kontakt")),
        Column("clock_start", _("Count contact from"), ("tæl_fra", "kontakt_fra")),
    )

    def prepare(self, organisation: Organisation, today: dt.date) -> Any:
        return {
            "organisation": organisation,
            "today": today,
            "statuses": _choices(CustomerStatus, STATUS_WORDS),
        }

    def parse_row(self, ctx: RowContext, prepared: Any) -> tuple[Any, list[RowProblem]]:
        organisation = prepared["organisation"]

        def clean(field: str, value: Any) -> Any:
            # The register's own checks, one field at a time so each bad field is listed.
            return customer_services._clean(organisation, {field: value})[field]

        checks: dict[str, Checker] = {
            "name": lambda: clean("name", ctx.text("name")),
            "since": lambda: clean(
                "since", _optional(ctx, "since", parse_day) or prepared["today"]
            ),
            "status": lambda: _choice(
                ctx.text("status"), prepared["statuses"], CustomerStatus.ACTIVE, "status"
            ),
            "email": lambda: clean("email", ctx.text("email")),
            "phone": lambda: clean("phone", ctx.text("phone")),
            "cvr": lambda: clean("cvr", ctx.text("cvr")),
            "monthly_revenue": lambda: clean(
                "monthly_revenue",
                _money(
                    _optional(
                        ctx,
                        "monthly_revenue",
                        lambda c: parse_number(c, style=ctx.styles["monthly_revenue"]),
                    )
                ),
            ),
            "interval_months": lambda: clean(
                "interval_months", _optional(ctx, "interval_months", parse_whole_number)
            ),
            "contact_person": lambda: clean("contact_person", ctx.text("contact_person")),
            "notes": lambda: clean("notes", ctx.text("notes")),
            "last_contact": lambda: clean(
                "last_contact", _optional(ctx, "last_contact", parse_day)
            ),
            "clock_start": lambda: clean("clock_start", _optional(ctx, "clock_start", parse_day)),
        }
        return _collect(ctx.row, checks)

    def describe(self, record: Any) -> list[str]:
        return ["" if record.get(c.name) is None else str(record[c.name]) for c in self.columns]

    def check_all(self, records: list[tuple[int, Any]]) -> list[RowProblem]:
        """A customer twice in the file: the same name (case and spaces aside) or CVR
        number as an earlier row."""
        first: dict[tuple[str, str], int] = {}
        problems = []
        for number, record in records:
            keys = [("name", name_key(record["name"]))]
            if record["cvr"]:
                keys.append(("cvr", record["cvr"]))
            earlier = next((key for key in keys if key in first), None)
            if earlier is not None:
                error = DataError("duplicate_in_file", what=_("customer"), row=first[earlier])
                problems.append(row_problem(number, earlier[0], error))
                continue
            for key in keys:
                first[key] = number
        return problems

    def review(
        self, *, organisation: Organisation, records: list[tuple[int, Any]], today: dt.date
    ) -> Review:
        """The rows the register has already (by name or CVR number: left alone, say
        which customer), and how many of the new ones would be overdue from day one."""
        existing = _Existing(organisation)
        review = Review()
        interval = organisation.default_contact_interval
        for number, record in records:
            there = existing.match(record)
            if there is not None:
                review.notes[number] = str(
                    _("Already a customer (%(name)s): left as it is") % {"name": there}
                )
                continue
            if starts_overdue(
                since=record["since"],
                status=record["status"],
                interval_months=record["interval_months"] or interval,
                last_contact=record["last_contact"],
                clock_start=record["clock_start"],
                today=today,
            ):
                review.overdue += 1
        return review

    def with_clock_start(
        self, records: list[tuple[int, Any]], day: dt.date
    ) -> list[tuple[int, Any]]:
        """Count contact from ``day`` for the rows with neither a last contact nor a
        clock start (docs/engine.md: a clock start is no contact)."""
        return [
            (
                number,
                record
                if record["last_contact"] or record["clock_start"]
                else {**record, "clock_start": day},
            )
            for number, record in records
        ]

    def store(
        self,
        *,
        organisation: Organisation,
        records: list[tuple[int, Any]],
        user: User | None,
        today: dt.date,
        now: dt.datetime,
        progress: Progress | None,
    ) -> ImportResult:
        existing = _Existing(organisation)
        result = ImportResult()
        for _number, record in records:
            if existing.match(record) is not None:
                result.unchanged += 1
            else:
                customer_services.customer_create(organisation=organisation, today=today, **record)
                existing.add(record["name"], record["cvr"])
                result.created += 1
            if progress is not None:
                progress("import", 1)
        return result


class _Existing:
    """The organisation's customers by name (case and spaces aside) and CVR number, in
    one query: an imported customer found here is left alone."""

    def __init__(self, organisation: Organisation) -> None:
        self.names: dict[str, str] = {}
        self.cvrs: dict[str, str] = {}
        for name, cvr in Customer.objects.filter(organisation=organisation).values_list(
            "name", "cvr"
        ):
            self.add(name, cvr)

    def add(self, name: str, cvr: str) -> None:
        self.names.setdefault(name_key(name), name)
        if cvr:
            self.cvrs.setdefault(cvr, name)

    def match(self, record: dict[str, Any]) -> str | None:
        """The name of the customer the row is, when the register has it."""
        return self.names.get(name_key(record["name"])) or (
            self.cvrs.get(record["cvr"]) if record["cvr"] else None
        )


def _money(value: Decimal | None) -> Decimal | None:
    if value is not None and value != value.quantize(Decimal("0.01")):
        raise InputError("too_many_decimals", field="amount", text=value, places=2)
    return value


# Contacts ----------------------------------------------------------------------------


class ContactImport(ImportKind):
    name = "contacts"
    label = _("Contacts")
    columns = (
        Column("customer", _("Customer"), ("kunde", "customer_id"), required=True),
        Column("date", _("Date"), ("dato",), required=True),
        Column("kind", _("Kind"), ("type", "art")),
        Column("note", _("Note"), ("notat", "bemærkning", "referat")),
    )

    def prepare(self, organisation: Organisation, today: dt.date) -> Any:
        return {
            "customers": CustomerLookup(organisation),
            "kinds": _choices(ContactKind, KIND_WORDS),
        }

    def parse_row(self, ctx: RowContext, prepared: Any) -> tuple[Any, list[RowProblem]]:
        lookup: CustomerLookup = prepared["customers"]

        def date() -> dt.date:
            # A contact may be dated in the future, as on the register's other edges.
            return customer_services.check_day(parse_day(ctx.cells.get("date")))

        return _collect(
            ctx.row,
            {
                "customer": lambda: lookup(ctx.text("customer")),
                "date": date,
                "kind": lambda: _choice(
                    ctx.text("kind"), prepared["kinds"], ContactKind.CALL, "kind"
                ),
                "note": lambda: check_text(ctx.text("note"), field="note"),
            },
        )

    def describe(self, record: Any) -> list[str]:
        return [str(record[c.name]) for c in self.columns]

    def store(
        self,
        *,
        organisation: Organisation,
        records: list[tuple[int, Any]],
        user: User | None,
        today: dt.date,
        now: dt.datetime,
        progress: Progress | None,
    ) -> ImportResult:
        customer_ids = {r["customer"].pk for _n, r in records}
        stored = Counter(
            Contact.objects.filter(customer_id__in=customer_ids).values_list(
                "customer_id", "date", "kind", "note"
            )
        )
        result = ImportResult()
        for _number, r in records:
            key = (r["customer"].pk, r["date"], r["kind"], r["note"])
            if stored[key] > 0:
                stored[key] -= 1
                result.unchanged += 1
            else:
                customer_services.contact_log(user=user, today=today, now=now, **r)
                result.created += 1
            if progress is not None:
                progress("import", 1)
        return result


# Revenue -----------------------------------------------------------------------------


class RevenueImport(ImportKind):
    name = "revenue"
    label = _("Revenue entries")
    columns = (
        Column("customer", _("Customer"), ("kunde", "customer_id"), required=True),
        Column("date", _("Date"), ("dato",), required=True),
        Column("amount", _("Amount"), ("beløb", "belob", "omsætning"), required=True, numeric=True),
        Column("description", _("Description"), ("beskrivelse", "tekst")),
        Column("external_id", _("External id"), ("ekstern_id", "bilag", "fakturanr")),
    )

    def prepare(self, organisation: Organisation, today: dt.date) -> Any:
        return CustomerLookup(organisation)

    def parse_row(self, ctx: RowContext, prepared: Any) -> tuple[Any, list[RowProblem]]:
        def amount() -> Decimal:
            value = _money(parse_number(ctx.cells.get("amount"), style=ctx.styles["amount"]))
            assert value is not None
            if value == 0:
                raise CustomerError("amount_zero", field="amount")
            if abs(value) >= Decimal(10) ** 12:
                raise InputError("too_large", field="amount", text=value)
            return value

        def external_id() -> str | None:
            text = check_text(ctx.text("external_id"), field="external_id")
            if len(text) > 200:
                raise InputError("text_too_long", limit=200)
            return text or None

        return _collect(
            ctx.row,
            {
                "customer": lambda: prepared(ctx.text("customer")),
                "date": lambda: parse_day(ctx.cells.get("date")),
                "amount": amount,
                "description": lambda: customer_services.clean_text(
                    ctx.text("description"), "description"
                ),
                "external_id": external_id,
            },
        )

    def describe(self, record: Any) -> list[str]:
        return ["" if record[c.name] is None else str(record[c.name]) for c in self.columns]

    def store(
        self,
        *,
        organisation: Organisation,
        records: list[tuple[int, Any]],
        user: User | None,
        today: dt.date,
        now: dt.datetime,
        progress: Progress | None,
    ) -> ImportResult:
        customer_ids = {r["customer"].pk for _n, r in records}
        entries = RevenueEntry.objects.filter(customer_id__in=customer_ids)
        stored = Counter(entries.values_list("customer_id", "date", "amount", "description"))
        known = set(entries.exclude(external_id=None).values_list("customer_id", "external_id"))
        result = ImportResult()
        for _number, r in records:
            content = (r["customer"].pk, r["date"], r["amount"], r["description"])
            if r["external_id"] is not None:
                key = (r["customer"].pk, r["external_id"])
                if key in known:
                    result.unchanged += 1
                    continue
                known.add(key)
            elif stored[content] > 0:
                stored[content] -= 1
                result.unchanged += 1
                continue
            customer_services.revenue_record(user=user, today=today, **r)
            result.created += 1
            if progress is not None:
                progress("import", 1)
        return result


register(CustomerImport())
register(ContactImport())
register(RevenueImport())
