"""The demo organisation "Demo ApS", built from the article's examples for the current year.

Check-ins are placed relative to ``today`` so that, whatever the day, the dashboard shows
KPIs on track, at risk, off track, achieved and without data.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from fokus.accounts.models import Membership, Organisation, Role, User
from fokus.accounts.services import organisation_create
from fokus.core import kpi as core
from fokus.core.periods import Period, sub_periods
from fokus.customers.demo import customer_care_demo
from fokus.customers.models import ContactKind
from fokus.customers.services import contact_log, customer_create
from fokus.kpis.models import Kpi, Source
from fokus.kpis.selectors import kpi_definition
from fokus.kpis.services import KpiSpec, checkin_record, checklist_tick, kpi_create
from fokus.plans.services import funnel_create, plan_create

DEMO_ORG = "Demo ApS"
DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo"

LINKEDIN_PEOPLE = [
    "Mette Frederiksen (Dansk Erhverv)",
    "Lars Larsen (Væksthus Hovedstaden)",
    "Anne Holm (Nordea Erhverv)",
    "Peter Skov (IDA)",
    "Sofie Berg (Startup Denmark)",
    "Jens Kofoed (DI Digital)",
    "Camilla Dahl (Innovationsfonden)",
    "Mikkel Lund (Børsen)",
    "Louise Vang (Erhvervshus Midtjylland)",
    "Thomas Bak (SMVdanmark)",
    "Ida Nørgaard (Danske Bank Growth)",
    "Rasmus Krogh (Vækstfonden)",
    "Maria Juhl (Copenhagen Fintech)",
    "Kasper Møller (Dansk Industri)",
    "Line Storm (Iværksætterforeningen)",
]
MEDIA = ["Børsen", "Berlingske Business", "Erhvervsbladet", "Jyllands-Posten Erhverv"]
CUSTOMERS = [
    "Bageriet Østerbro ApS",
    "Blomsterhuset Vejle",
    "Cykelsmeden Aarhus",
    "Dansk Tagservice",
    "Elinstallatør Holm & Søn",
    "Fiskehandleren i Skagen",
    "Frisør Lotte",
    "Grøn Have ApS",
    "Hansen VVS",
    "Isbutikken Ribe",
    "Jensens Auto",
    "Kaffebaren Nørrebro",
    "Køge Revision",
    "Lundgaard Tømrer",
    "Malerfirmaet Farve & Co",
    "Nordisk Kontorhjælp",
    "Odense Rengøring",
    "Pedersens Boghandel",
    "Restaurant Havnen",
    "Silkeborg Fysioterapi",
    "Tandlæge Bruun",
    "Urmager Winther",
    "Vinhandel Bordeaux ApS",
    "Yoga Loft Aalborg",
    "Aalborg Event & Lyd",
]


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _quarter_milestones(period: Period, baseline: Decimal, target: Decimal) -> list:
    """K1–K3 sub-goals split linearly (K4 ends at the target)."""
    quarters = sub_periods(period, 4)
    step = (target - baseline) / 4
    return [(q.end, _money(baseline + step * (i + 1))) for i, q in enumerate(quarters[:3])]


def _dates(start: dt.date, today: dt.date, every_days: int) -> list[dt.date]:
    """Check-in dates from the start up to and including today."""
    dates, day = [], start + dt.timedelta(days=every_days - 1)
    while day < today:
        dates.append(day)
        day += dt.timedelta(days=every_days)
    dates.append(today)
    return dates


def _plan_at(kpi: Kpi, day: dt.date) -> Decimal:
    """The KPI's plan line (expected value) at the end of ``day``."""
    return Decimal(str(core.evaluate(kpi_definition(kpi), (), day).plan))


def _sum_on_pace(kpi: Kpi, spec: KpiSpec, today: dt.date, pace: str, every: int) -> None:
    """Sum check-ins whose total is ``pace`` × the plan as of today (whole numbers for
    counts, øre for money)."""
    step = Decimal(1) if spec.unit == "count" else Decimal("0.01")
    expected = _plan_at(kpi, today) - spec.baseline
    total = (expected * Decimal(pace)).quantize(step, rounding=ROUND_HALF_UP)
    dates = _dates(spec.start, today, every)
    share = (total / len(dates)).quantize(step, rounding=ROUND_HALF_UP)
    for i, day in enumerate(dates):
        value = total - share * (len(dates) - 1) if i == len(dates) - 1 else share
        checkin_record(kpi=kpi, date=day, value=value, source=Source.MANUAL)


def _last_on_pace(kpi: Kpi, spec: KpiSpec, today: dt.date, pace: str, every: int) -> None:
    """Readings of a 'latest value' KPI that follow ``pace`` × the plan."""
    for day in _dates(spec.start, today, every):
        expected = _plan_at(kpi, day) - spec.baseline
        value = (spec.baseline + expected * Decimal(pace)).quantize(Decimal(1))
        checkin_record(kpi=kpi, date=day, value=value, source=Source.MANUAL)


def _create(organisation: Organisation, user: User, **fields) -> tuple[Kpi, KpiSpec]:
    spec = KpiSpec(**fields)
    return kpi_create(organisation=organisation, spec=spec, user=user), spec


def _yearly(
    organisation: Organisation,
    user: User,
    year: Period,
    name: str,
    target: Decimal,
    baseline: Decimal = Decimal(0),
    **extra,
) -> tuple[Kpi, KpiSpec]:
    """A KPI over the whole year with K1–K3 milestones on the straight line (none for a
    falling 'latest value', such as a ranking)."""
    milestones = _quarter_milestones(year, baseline, target)
    if extra.get("measure") in ("last",) and extra.get("direction") == "decrease":
        milestones = []
    return _create(
        organisation,
        user,
        name=name,
        target=target,
        baseline=baseline,
        milestones=milestones,
        start=year.start,
        end=year.end,
        **extra,
    )


def _new_customer_kpis(
    organisation: Organisation, user: User, year: Period, today: dt.date
) -> None:
    """The first sales lever: revenue from 10 new customers, and the customers themselves."""
    kpi, spec = _yearly(
        organisation,
        user,
        year,
        "Omsætning fra 10 nye kunder",
        Decimal(1_000_000),
        kind="new-customer-revenue",
        unit="currency",
        category="sales",
        focus=True,
        cadence="monthly",
        description="10 nye kunder, der hver køber for 100.000 kr. om året.",
    )
    _sum_on_pace(kpi, spec, today, "1.06", 30)
    kpi, _spec = _yearly(
        organisation,
        user,
        year,
        "Nye kunder",
        Decimal(10),
        kind="new-customers",
        unit="count",
        unit_label="kunder",
        category="sales",
        focus=True,
        cadence="monthly",
    )
    for i, day in enumerate(_dates(year.start, today, 45)):
        if i % 2 == 0:
            checkin_record(kpi=kpi, date=day, value=Decimal(1))


def _existing_customer_kpis(
    organisation: Organisation, user: User, year: Period, today: dt.date
) -> None:
    """The other two sales levers: selling more to the customers there are, and keeping
    them longer."""
    kpi, spec = _yearly(
        organisation,
        user,
        year,
        "Mersalg: +10 % til hver eksisterende kunde",
        Decimal(250_000),
        kind="upsell-amount",
        unit="currency",
        category="sales",
        focus=True,
        cadence="monthly",
        description="10 % mere til hver af de eksisterende kunder.",
    )
    _sum_on_pace(kpi, spec, today, "0.88", 30)
    kpi, spec = _yearly(
        organisation,
        user,
        year,
        "Fastholdelse: 2 måneder mere à 10.000 kr.",
        Decimal(300_000),
        kind="retention",
        unit="currency",
        category="service",
        focus=True,
        cadence="monthly",
        description="Forlæng samarbejdet med alle kunder i 2 måneder à 10.000 kr. pr. måned.",
    )
    _sum_on_pace(kpi, spec, today, "0.55", 30)


def _newsletter_kpis(organisation: Organisation, user: User, year: Period, today: dt.date) -> None:
    """Two monthly targets: new readers (a seeded weekly count) and a customer a month."""
    kpi, _spec = _create(
        organisation,
        user,
        name="100 nye læsere på nyhedsbrevet hver måned",
        kind="newsletter-readers",
        target=None,
        interval="month",
        interval_target=Decimal(100),
        unit="count",
        unit_label="læsere",
        category="marketing",
        cadence="weekly",
        start=year.start,
        end=year.end,
    )
    rng = random.Random(7)
    for day in _dates(year.start, today, 7):
        checkin_record(kpi=kpi, date=day, value=Decimal(rng.randint(15, 32)))
    kpi, _spec = _create(
        organisation,
        user,
        name="En ny kunde via nyhedsbrevet pr. måned",
        kind="newsletter-customers",
        target=None,
        interval="month",
        interval_target=Decimal(1),
        unit="count",
        unit_label="kunder",
        category="marketing",
        cadence="monthly",
        start=year.start,
        end=year.end,
    )
    for i, day in enumerate(_dates(year.start, today, 30)):
        if i % 3 != 2:
            checkin_record(kpi=kpi, date=day, value=Decimal(1))


def _reach_kpis(organisation: Organisation, user: User, year: Period, today: dt.date) -> None:
    """Two Google rankings (the second without data) and Instagram followers."""
    kpi, spec = _yearly(
        organisation,
        user,
        year,
        "Top 3 på Google: “revisor københavn”",
        Decimal(3),
        baseline=Decimal(18),
        unit="rank",
        measure="last",
        direction="decrease",
        category="marketing",
    )
    _last_on_pace(kpi, spec, today, "1.1", 30)
    _yearly(
        organisation,
        user,
        year,
        "Top 3 på Google: “bogføring for iværksættere”",
        Decimal(3),
        baseline=Decimal(24),
        unit="rank",
        measure="last",
        direction="decrease",
        category="marketing",
    )
    kpi, spec = _yearly(
        organisation,
        user,
        year,
        "5.000 følgere på Instagram",
        Decimal(5000),
        kind="followers",
        baseline=Decimal(1200),
        unit="count",
        unit_label="følgere",
        measure="last",
        category="marketing",
        cadence="monthly",
    )
    _last_on_pace(kpi, spec, today, "0.9", 30)


def _network_kpis(organisation: Organisation, user: User, year: Period, today: dt.date) -> None:
    """Two checklists: LinkedIn connections ticked near the plan, media all ticked."""
    kpi, _spec = _create(
        organisation,
        user,
        name="Connect på LinkedIn med 15 personer, der kan åbne døre",
        kind="linkedin-15",
        target=None,
        measure="checklist",
        items=LINKEDIN_PEOPLE,
        category="marketing",
        start=year.start,
        end=year.end,
    )
    done = int((_plan_at(kpi, today) * Decimal("0.9")).to_integral_value())
    for item, day in zip(kpi.items.all()[:done], _dates(year.start, today, 20), strict=False):
        checklist_tick(kpi=kpi, item=item, date=min(day, today), user=user)
    kpi, _spec = _create(
        organisation,
        user,
        name="Nævnt som ekspert i navngivne medier",
        kind="named-media",
        target=None,
        measure="checklist",
        items=MEDIA[:3],
        category="marketing",
        start=year.start,
        end=year.end,
    )
    for item in kpi.items.all():
        checklist_tick(kpi=kpi, item=item, date=year.start + (today - year.start) // 2, user=user)


def _kpis(organisation: Organisation, user: User, today: dt.date, now: dt.datetime) -> None:
    """The demo's KPIs for the current year: sales, marketing; then the funnel and the
    year's plan over them, through the planners (which link the KPIs the demo has)."""
    year = Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    _new_customer_kpis(organisation, user, year, today)
    _existing_customer_kpis(organisation, user, year, today)
    _newsletter_kpis(organisation, user, year, today)
    _reach_kpis(organisation, user, year, today)
    _network_kpis(organisation, user, year, today)
    _funnel(organisation, user, year, today, now)
    _plan(organisation, user, year)


# The funnel planner's own Danish stage names, so that a funnel planned on the demo
# finds the demo's stage KPIs.
FUNNEL_STAGES = [
    "Hører om virksomheden",
    "Besøger hjemmesiden, tilmelder sig nyhedsbrevet eller tager kontakt",
    "Beder om et tilbud",
    "Køber",
]


def _funnel(
    organisation: Organisation, user: User, year: Period, today: dt.date, now: dt.datetime
) -> None:
    """The article's funnel, stored by the funnel planner: 10 buyers planned backwards
    over K1–K4. Its bottom stage is the demo's "Nye kunder" (the planner links it), the
    upper stages get their own KPIs, checked in near the plan (K2 and K3 short of it)."""
    funnel = funnel_create(
        organisation=organisation,
        user=user,
        goal=10,
        rates=["0.10", "0.05", "0.25"],
        stages=FUNNEL_STAGES,
        period=year,
        placement="sequential",
        name=f"Salgstragt {year.start.year}",
        create_kpis=True,
        now=now,
    )
    paces = ["1.04", "0.9", "0.85"]
    stages = list(funnel.stages.select_related("kpi").order_by("position"))
    for stage, pace in zip(stages[:-1], paces, strict=True):
        if stage.kpi is not None and stage.start <= today:
            _stage_on_pace(stage.kpi, min(today, stage.end), pace)


def _stage_on_pace(kpi: Kpi, today: dt.date, pace: str) -> None:
    spec = KpiSpec(name=kpi.name, start=kpi.start, end=kpi.end, target=kpi.target, unit=kpi.unit)
    _sum_on_pace(kpi, spec, today, pace, 14)


def _plan(organisation: Organisation, user: User, year: Period) -> None:
    """The year's plan over two periods, stored by the plan planner: the first half's
    leading indicators feed the second half's sales. Every KPI of its templates exists in
    the demo already, so the planner links them all and creates none."""
    first = Period(year.start, dt.date(year.start.year, 6, 30))
    second = Period(dt.date(year.start.year, 7, 1), year.end)
    plan_create(
        organisation=organisation,
        user=user,
        name=f"Årsplan {year.start.year}",
        goal="10 nye kunder",
        leading=first,
        sales=second,
    )


def _customers(organisation: Organisation, user: User, today: dt.date, now: dt.datetime) -> None:
    """25 customers; a few not contacted for more than 3 months, a few due soon."""
    rng = random.Random(2027)
    for i, name in enumerate(CUSTOMERS):
        since = today - dt.timedelta(days=rng.randint(400, 1500))
        customer = customer_create(
            organisation=organisation,
            name=name,
            since=since,
            email=f"kontakt@{name.split()[0].lower()}.dk",
            monthly_revenue=Decimal(rng.randrange(4000, 25000, 500)),
            owner=user,
            today=today,
        )
        if i % 5 == 0:
            last_ago = rng.randint(100, 220)  # overdue
        elif i % 5 == 1:
            last_ago = rng.randint(80, 88)  # due within 14 days
        else:
            last_ago = rng.randint(3, 60)
        day = today - dt.timedelta(days=last_ago + 90 * 3)
        while day < today - dt.timedelta(days=last_ago):
            contact_log(
                customer=customer,
                date=day,
                kind=ContactKind.CALL,
                user=user,
                today=today,
                now=now,
            )
            day += dt.timedelta(days=rng.randint(45, 80))
        contact_log(
            customer=customer,
            date=today - dt.timedelta(days=last_ago),
            kind=rng.choice([ContactKind.CALL, ContactKind.EMAIL, ContactKind.MEETING]),
            note="Hørte hvordan det går.",
            user=user,
            today=today,
            now=now,
        )


def demo_exists() -> bool:
    return Organisation.objects.filter(name=DEMO_ORG).exists()


@transaction.atomic
def demo_load(*, today: dt.date, now: dt.datetime, reset: bool = False) -> Organisation:
    """Load Demo ApS (idempotent: an existing demo is kept unless ``reset``)."""
    existing = Organisation.objects.filter(name=DEMO_ORG).first()
    if existing is not None:
        if not reset:
            return existing
        existing.delete()
    organisation = organisation_create(name=DEMO_ORG, slug="demo")
    user = User.objects.filter(email=DEMO_EMAIL).first()
    if user is None:
        user = User.objects.create_user(DEMO_EMAIL, DEMO_PASSWORD, first_name="Demo")
    else:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": Role.OWNER}
    )
    _kpis(organisation, user, today, now)
    _customers(organisation, user, today, now)
    customer_care_demo(organisation=organisation, user=user, today=today, now=now)
    return organisation
