"""The customer care of the demo organisation: revenue entries, partners, yearly advisory
meetings in every state, a referral, two monitors (one breached, one without fresh data)
and KPIs derived from the register. Called by ``fokus.demo.services.demo_load`` after the
25 customers exist; everything is placed relative to ``today``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fokus.accounts.models import Organisation, User
from fokus.customers.advisory import (
    advisory_book,
    advisory_decline,
    advisory_hold,
    advisory_offer,
    partner_create,
    referral_create,
)
from fokus.customers.derived import derived_kpi_set
from fokus.customers.models import Customer, Partner
from fokus.customers.monitors import monitor_create, monitor_reading
from fokus.customers.services import customer_update, revenue_record
from fokus.kpis.models import Derived
from fokus.kpis.services import KpiSpec, kpi_create

PARTNERS = [
    ("Revisionshuset Nord", "Revision og skat", "Hanne Kjær", "hanne@revisionshuset-nord.dk"),
    ("Advokatfirmaet Lind", "Kontrakter og ansættelsesret", "Jonas Lind", "jl@lind-advokat.dk"),
    ("SikkerIT ApS", "IT-sikkerhed og backup", "Mads Holt", "mads@sikkerit.dk"),
]
TAGS = {0: ["nøglekunde"], 3: ["håndværk"], 8: ["håndværk"], 13: ["håndværk"], 18: ["detail"]}


def _month_ends(start: dt.date, today: dt.date) -> list[dt.date]:
    days: list[dt.date] = []
    year, month = start.year, start.month
    while True:
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        end = nxt - dt.timedelta(days=1)
        if end > today:
            return days
        days.append(end)
        year, month = nxt.year, nxt.month


def _revenue(customers: list[Customer], user: User, today: dt.date) -> None:
    """A monthly invoice per customer for this year's ended months."""
    for customer in customers:
        for day in _month_ends(dt.date(today.year, 1, 1), today):
            revenue_record(
                customer=customer,
                date=day,
                amount=customer.monthly_revenue or Decimal(5000),
                description="Månedlig abonnement",
                external_id=f"demo-{customer.pk}-{day.isoformat()}",
                user=user,
                today=today,
            )


def _partners(organisation: Organisation) -> list[Partner]:
    return [
        partner_create(
            organisation=organisation,
            name=name,
            speciality=speciality,
            contact_person=person,
            email=email,
        )
        for name, speciality, person, email in PARTNERS
    ]


def _advisory(customers: list[Customer], user: User, today: dt.date, now: dt.datetime) -> None:
    """The partners, and yearly advisory meetings in every state: held this year, held
    ten and eleven months ago (one with a referral), offered, booked and declined."""
    partners = _partners(customers[0].organisation)
    recently = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=40))
    for i, customer in enumerate(customers):
        if i in (7, 17):  # held this year
            advisory_hold(
                customer=customer,
                date=recently,
                outcome="Gode resultater; aftalte at følge op på priserne.",
                user=user,
                today=today,
                now=now,
            )
        elif i % 5 == 2:  # held ten months ago: next due in about two months
            meeting = advisory_hold(
                customer=customer,
                date=today - dt.timedelta(days=300),
                outcome="Gennemgik året; kunden vil gerne vokse med en ny butik.",
                user=user,
                today=today,
                now=now,
            )
            if i == 2:
                referral_create(
                    customer=customer,
                    partner=partners[1],
                    need="Lejekontrakt til den nye butik",
                    date=meeting.held_on or today,
                    meeting=meeting,
                    user=user,
                )
        elif i % 5 == 3:  # held 11 months ago: time to offer the next one
            advisory_hold(
                customer=customer,
                date=today - dt.timedelta(days=345),
                outcome="Ingen nye behov.",
                user=user,
                today=today,
                now=now,
            )
        elif i == 4:
            advisory_offer(customer=customer, date=today - dt.timedelta(days=5), user=user, now=now)
        elif i == 9:
            advisory_book(customer=customer, date=today + dt.timedelta(days=10), user=user, now=now)
        elif i == 14:
            advisory_decline(
                customer=customer, date=today - dt.timedelta(days=20), user=user, now=now
            )
        # The others have had no meeting for over a year: due.


def _monitors(customers: list[Customer], user: User, today: dt.date) -> None:
    start = today - dt.timedelta(days=120)
    clinic = customers[19]
    waiting = monitor_create(
        customer=clinic,
        name=f"Ventetid på booking hos {clinic.name}",
        unit="number",
        unit_label="dage",
        baseline=Decimal(10),
        target=Decimal(3),
        lower=None,
        upper=Decimal(5),
        cadence_days=14,
        start=start,
        user=user,
        today=today,
    )
    readings = [9, 8, 6, 5, 4, 4, 5, 7]  # the latest is above the upper limit: breached
    for k, value in enumerate(readings):
        day = today - dt.timedelta(days=7 * (len(readings) - 1 - k))
        monitor_reading(monitor=waiting, date=max(day, start), value=Decimal(value), user=user)
    shop = customers[23]
    uptime = monitor_create(
        customer=shop,
        name=f"Oppetid på webshoppen hos {shop.name}",
        unit="percent",
        baseline=Decimal(95),
        target=Decimal("99.9"),
        lower=Decimal(99),
        upper=None,
        cadence_days=7,
        start=start,
        user=user,
        today=today,
    )
    for days_ago in (60, 45, 30, 20):  # nothing for 20 days: stale
        monitor_reading(
            monitor=uptime,
            date=max(today - dt.timedelta(days=days_ago), start),
            value=Decimal("99.5"),
            user=user,
        )


def _derived_kpis(organisation: Organisation, user: User, today: dt.date) -> None:
    start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    specs = [
        (
            Derived.EXISTING_CUSTOMER_REVENUE,
            KpiSpec(
                name="Omsætning fra eksisterende kunder (fra kunderegistret)",
                target=Decimal(3_500_000),
                unit="currency",
                category="sales",
                cadence="monthly",
                start=start,
                end=end,
            ),
        ),
        (
            Derived.CONTACTED_SHARE,
            KpiSpec(
                name="Kunder kontaktet inden for deres interval",
                target=Decimal(100),
                baseline=Decimal(50),
                unit="percent",
                measure="last",
                category="service",
                start=start,
                end=end,
            ),
        ),
        (
            Derived.ADVISORY_MEETINGS,
            KpiSpec(
                name="Årlige rådgivningsmøder holdt",
                target=Decimal(25),
                unit="count",
                unit_label="møder",
                category="service",
                start=start,
                end=end,
            ),
        ),
    ]
    for kind, spec in specs:
        kpi = kpi_create(organisation=organisation, spec=spec, user=user)
        derived_kpi_set(kpi=kpi, kind=kind, today=today)


def customer_care_demo(
    *, organisation: Organisation, user: User, today: dt.date, now: dt.datetime
) -> None:
    customers = list(Customer.objects.filter(organisation=organisation).order_by("pk"))
    for i, tags in TAGS.items():
        customer_update(customer=customers[i], tags=tags, today=today)
    _revenue(customers, user, today)
    _advisory(customers, user, today, now)
    _monitors(customers, user, today)
    _derived_kpis(organisation, user, today)
