"""Templates for every KPI example of the article, filled with its numbers.

The wizard offers them; each becomes a ``KpiSpec`` for a chosen year that the user edits
before saving. Names and descriptions are in the UI language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fokus.core.periods import Period, parse_period
from fokus.kpis.milestones import split_linearly
from fokus.kpis.models import Cadence, Category, Direction, Interval, Measure, Unit
from fokus.kpis.services import KpiSpec


def _people() -> list[str]:
    return [_("Person %(n)s (who can open doors)") % {"n": n} for n in range(1, 16)]


def _media() -> list[str]:
    return [_("Trade magazine"), _("National newspaper"), _("Industry podcast")]


@dataclass(frozen=True)
class KpiTemplate:
    slug: str
    category: str
    name: Promise
    example: Promise  # the article's wording of the goal
    description: Promise
    target: Decimal | None
    unit: str = Unit.COUNT
    unit_label: Promise | str = ""
    baseline: Decimal = Decimal(0)
    direction: str = Direction.INCREASE
    measure: str = Measure.SUM
    interval: str | None = None
    interval_target: Decimal | None = None
    items: Callable[[], list[str]] | None = None
    quarter: int | None = None  # the funnel stages of the article sit in K1..K4
    cadence: str = Cadence.MONTHLY
    focus: bool = False

    def period(self, year: int) -> Period:
        return parse_period(f"{year}-K{self.quarter}" if self.quarter else str(year))

    def spec(self, year: int) -> KpiSpec:
        """The template as a KPI for ``year``, with quarterly sub-goals split linearly."""
        period = self.period(year)
        items = self.items() if self.items else []
        target = self.target
        if self.measure == Measure.CHECKLIST:
            target = self.baseline + len(items)
        milestones: list[tuple[dt.date, Decimal]] = []
        if target is not None and self.interval is None:
            milestones = split_linearly(period.start, period.end, self.baseline, target)
        return KpiSpec(
            name=str(self.name),
            description=str(self.description),
            start=period.start,
            end=period.end,
            target=target,
            baseline=self.baseline,
            unit=self.unit,
            unit_label=str(self.unit_label),
            direction=self.direction,
            measure=self.measure,
            milestones=milestones,
            interval=self.interval,
            interval_target=self.interval_target,
            items=items,
            category=self.category,
            cadence=self.cadence,
            focus=self.focus,
            kind=self.slug,
        )


TEMPLATES: tuple[KpiTemplate, ...] = (
    # Sales: the article's three levers.
    KpiTemplate(
        slug="new-customers",
        category=Category.SALES,
        name=gettext_lazy("New customers"),
        example=gettext_lazy("Get 10 new customers who each buy for 100,000 DKK a year"),
        description=gettext_lazy("10 new customers this year."),
        target=Decimal(10),
        unit_label=gettext_lazy("new customers"),
        focus=True,
    ),
    KpiTemplate(
        slug="new-customer-revenue",
        category=Category.SALES,
        name=gettext_lazy("Revenue from new customers"),
        example=gettext_lazy("Get 10 new customers who each buy for 100,000 DKK a year"),
        description=gettext_lazy("10 new customers × 100,000 DKK a year."),
        target=Decimal(1_000_000),
        unit=Unit.CURRENCY,
        focus=True,
    ),
    KpiTemplate(
        slug="upsell-amount",
        category=Category.SALES,
        name=gettext_lazy("More sales to existing customers"),
        example=gettext_lazy("Sell for 100,000 DKK more to each existing customer"),
        description=gettext_lazy("Extra sales to the customers you already have."),
        target=Decimal(100_000),
        unit=Unit.CURRENCY,
    ),
    KpiTemplate(
        slug="upsell-percent",
        category=Category.SALES,
        name=gettext_lazy("Growth in sales to existing customers"),
        example=gettext_lazy("Sell 10 % more to each existing customer"),
        description=gettext_lazy("Growth compared with last year, in percent."),
        target=Decimal(10),
        unit=Unit.PERCENT,
        measure=Measure.LAST,
    ),
    KpiTemplate(
        slug="retention",
        category=Category.SALES,
        name=gettext_lazy("Revenue from keeping customers longer"),
        example=gettext_lazy(
            "Extend the work with every customer by 2 months at 10,000 DKK a month"
        ),
        description=gettext_lazy(
            "10 customers × 2 more months × 10,000 DKK. And why stop at 2 months?"
        ),
        target=Decimal(200_000),
        unit=Unit.CURRENCY,
    ),
    # Marketing: the road to new customers.
    KpiTemplate(
        slug="google-top-3",
        category=Category.MARKETING,
        name=gettext_lazy("Top 3 on Google for a search phrase"),
        example=gettext_lazy("Get into the top 3 on Google with specific SEO texts"),
        description=gettext_lazy("The position on Google for the chosen search phrase."),
        target=Decimal(3),
        baseline=Decimal(20),
        unit=Unit.RANK,
        direction=Direction.DECREASE,
        measure=Measure.LAST,
    ),
    KpiTemplate(
        slug="newsletter-readers",
        category=Category.MARKETING,
        name=gettext_lazy("New newsletter readers"),
        example=gettext_lazy("Get 100 new readers of the newsletter every month"),
        description=gettext_lazy("New subscribers to the newsletter, counted every month."),
        target=None,
        unit_label=gettext_lazy("new readers"),
        interval=Interval.MONTH,
        interval_target=Decimal(100),
        cadence=Cadence.WEEKLY,
    ),
    KpiTemplate(
        slug="newsletter-customers",
        category=Category.MARKETING,
        name=gettext_lazy("New customers through the newsletter"),
        example=gettext_lazy("Get one new customer through the newsletter per month/week/day"),
        description=gettext_lazy("Customers won through the newsletter."),
        target=None,
        unit_label=gettext_lazy("new customers"),
        interval=Interval.MONTH,
        interval_target=Decimal(1),
    ),
    KpiTemplate(
        slug="named-media",
        category=Category.MARKETING,
        name=gettext_lazy("Mentioned as an expert in named media"),
        example=gettext_lazy("Appear in named media as an expert in your field"),
        description=gettext_lazy("Name the media; tick each one off when you appear."),
        target=None,
        measure=Measure.CHECKLIST,
        items=_media,
    ),
    KpiTemplate(
        slug="followers",
        category=Category.MARKETING,
        name=gettext_lazy("Followers on a social medium"),
        example=gettext_lazy("Reach 5,000 followers on a specific social medium"),
        description=gettext_lazy("The number of followers, read off once a month."),
        target=Decimal(5000),
        baseline=Decimal(1000),
        unit_label=gettext_lazy("followers"),
        measure=Measure.LAST,
    ),
    KpiTemplate(
        slug="linkedin-15",
        category=Category.MARKETING,
        name=gettext_lazy("Connect on LinkedIn with 15 specific people"),
        example=gettext_lazy(
            "Connect on LinkedIn with 15 specific people who can open relevant doors"
        ),
        description=gettext_lazy("Name the 15 people; tick each one off when connected."),
        target=None,
        measure=Measure.CHECKLIST,
        items=_people,
    ),
    # The article's funnel, one stage per quarter (10 buyers planned backwards).
    KpiTemplate(
        slug="funnel-hear",
        category=Category.MARKETING,
        name=gettext_lazy("Hear about the firm"),
        example=gettext_lazy("How many shall hear about your firm in Q1"),
        description=gettext_lazy("The top of the funnel: 8,000 reached in the first quarter."),
        target=Decimal(8000),
        unit_label=gettext_lazy("people reached"),
        quarter=1,
        cadence=Cadence.WEEKLY,
    ),
    KpiTemplate(
        slug="funnel-visit",
        category=Category.MARKETING,
        name=gettext_lazy("Visit, subscribe or make contact"),
        example=gettext_lazy(
            "How many shall visit your website, subscribe to your newsletter or contact you in Q2"
        ),
        description=gettext_lazy("800 visits, sign-ups or contacts in the second quarter."),
        target=Decimal(800),
        unit_label=gettext_lazy("visits"),
        quarter=2,
        cadence=Cadence.WEEKLY,
    ),
    KpiTemplate(
        slug="funnel-quote",
        category=Category.SALES,
        name=gettext_lazy("Ask for a quote"),
        example=gettext_lazy("How many shall ask for a quote in Q3"),
        description=gettext_lazy("40 requests for a quote in the third quarter."),
        target=Decimal(40),
        unit_label=gettext_lazy("quote requests"),
        quarter=3,
        cadence=Cadence.WEEKLY,
    ),
    KpiTemplate(
        slug="funnel-buy",
        category=Category.SALES,
        name=gettext_lazy("Buy"),
        example=gettext_lazy("How many shall buy in Q4"),
        description=gettext_lazy("10 buyers in the fourth quarter."),
        target=Decimal(10),
        unit_label=gettext_lazy("buyers"),
        quarter=4,
        cadence=Cadence.WEEKLY,
    ),
    # Service and customer care for existing customers.
    KpiTemplate(
        slug="contacted-customers",
        category=Category.SERVICE,
        name=gettext_lazy("Customers contacted within 3 months"),
        example=gettext_lazy(
            "Be reminded when you have not had contact with a customer in 3 months"
        ),
        description=gettext_lazy("The share of active customers you spoke with in time."),
        target=Decimal(100),
        baseline=Decimal(0),
        unit=Unit.PERCENT,
        measure=Measure.LAST,
    ),
    KpiTemplate(
        slug="advisory-meetings",
        category=Category.SERVICE,
        name=gettext_lazy("Free advisory meetings held"),
        example=gettext_lazy("Offer a free advisory meeting to every customer once a year"),
        description=gettext_lazy("One meeting a year with each of 20 customers."),
        target=Decimal(20),
        unit_label=gettext_lazy("advisory meetings"),
    ),
    KpiTemplate(
        slug="customer-measurement",
        category=Category.SERVICE,
        name=gettext_lazy("A measurement point at the customer"),
        example=gettext_lazy(
            "Keep an eye on measurement points at the customer related to your service"
        ),
        description=gettext_lazy("For example the customer's satisfaction score, 1–10."),
        target=Decimal(9),
        baseline=Decimal(7),
        unit=Unit.NUMBER,
        measure=Measure.AVERAGE,
    ),
)

CATEGORY_ORDER = (Category.SALES, Category.MARKETING, Category.SERVICE)


def template_get(slug: str) -> KpiTemplate | None:
    return next((t for t in TEMPLATES if t.slug == slug), None)


def templates_by_category() -> list[tuple[str, list[KpiTemplate]]]:
    """``[(category label, templates), ...]`` in the article's order."""
    labels = dict(Category.choices)
    return [
        (str(labels[category]), [t for t in TEMPLATES if t.category == category])
        for category in CATEGORY_ORDER
    ]
