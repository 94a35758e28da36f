"""The revenue planner: the three levers of docs/engine.md computed from the customer register
where it has data, the realism check, the "why stop at 2 months?" table, and one click
that creates the matching KPIs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from fokus.accounts.models import Organisation, User
from fokus.core.periods import Period
from fokus.core.revenue import (
    Realism,
    UpsellMode,
    new_customers_revenue,
    realism,
    retention_revenue,
    retention_table,
    upsell_revenue,
)
from fokus.customers.derived import derived_kpi_set
from fokus.errors import InputError
from fokus.kpis.milestones import split_linearly
from fokus.kpis.models import Category, Derived, Unit
from fokus.kpis.services import KpiSpec, kpi_create
from fokus.plans.errors import PlanError
from fokus.plans.selectors import RegisterFacts
from fokus.plans.services import KpiOffer, PlannedKpis, kpi_offers
from fokus.ui.formatting import format_value
from fokus.values import parse_value

MAX_AMOUNT = Decimal(10) ** 12
MAX_COUNT = 10**6
MAX_MONTHS = 120
MAX_UPSELL_FRACTION = Decimal(10)  # +1,000 %
DEFAULT_MONTHLY = Decimal(10_000)


@dataclass(frozen=True)
class NewCustomers:
    count: int
    annual_spend: Decimal


@dataclass(frozen=True)
class Upsell:
    mode: str
    value: Decimal  # fixed: DKK per customer; percent: a fraction (0.10 for 10 %)


@dataclass(frozen=True)
class Retention:
    months: int
    default_monthly_revenue: Decimal


@dataclass(frozen=True)
class RevenueRequest:
    new_customers: NewCustomers | None = None
    upsell: Upsell | None = None
    retention: Retention | None = None


FIELD_NAMES = {
    "new_customers.count": gettext_lazy("The number of new customers"),
    "new_customers.annual_spend": gettext_lazy("The annual spend per new customer"),
    "upsell.value": gettext_lazy("The upsell amount"),
    "retention.default_monthly_revenue": gettext_lazy("The default monthly revenue"),
}


def _amount(raw: Any, field: str, *, negative: bool = False) -> Decimal:
    """An amount of money below ``MAX_AMOUNT``; below 0 only where ``negative`` allows
    it (the core then counts it as 0)."""
    name = FIELD_NAMES[field]
    try:
        value = parse_value(raw, field=field)
    except InputError as error:  # not a number, too many decimals, too large
        raise PlanError("amount_invalid", field=field, name=name) from error
    if (value < 0 and not negative) or value >= MAX_AMOUNT:
        raise PlanError("amount_invalid", field=field, name=name)
    return value


def _whole(raw: Any, field: str, limit: int, code: str = "count_invalid") -> int:
    params = {"name": FIELD_NAMES[field]} if field in FIELD_NAMES else {}
    if isinstance(raw, bool) or raw is None:
        raise PlanError(code, field=field, **params)
    if isinstance(raw, str):
        raw = raw.strip()
        if not raw.isdigit() or len(raw) > 9:
            raise PlanError(code, field=field, **params)
        raw = int(raw)
    if (isinstance(raw, float) and raw.is_integer()) or (
        isinstance(raw, Decimal) and raw.is_finite() and raw == raw.to_integral_value()
    ):
        raw = int(raw)
    if not isinstance(raw, int) or not 0 <= raw <= limit:
        raise PlanError(code, field=field, **params)
    return raw


def new_customers_lever(count: Any, annual_spend: Any) -> NewCustomers:
    return NewCustomers(
        count=_whole(count, "new_customers.count", MAX_COUNT),
        annual_spend=_amount(annual_spend, "new_customers.annual_spend"),
    )


def upsell_lever(mode: Any, value: Any) -> Upsell:
    """``fixed``: an amount per active customer, any number (docs/engine.md "Revenue levers": each
    customer adds ``max(0, amount)``, so a negative amount is worth 0, not an error);
    ``percent``: a fraction of each one's last 12 months (0.10 for 10 %)."""
    if mode not in UpsellMode.__members__.values():
        raise PlanError("upsell_mode_invalid", field="upsell.mode")
    if mode == UpsellMode.percent:
        try:
            number = parse_value(value, field="upsell.value")
        except InputError as error:
            raise PlanError("upsell_percent_invalid", field="upsell.value") from error
        if number < 0 or number > MAX_UPSELL_FRACTION:
            raise PlanError("upsell_percent_invalid", field="upsell.value")
        return Upsell(mode=str(mode), value=number)
    return Upsell(mode=str(mode), value=_amount(value, "upsell.value", negative=True))


def percent_as_fraction(value: Decimal) -> Decimal:
    """The API's upsell percentage: a fraction (0.10), or above 1 a percentage (10)."""
    return value / 100 if value > 1 else value


def retention_lever(months: Any, default_monthly_revenue: Any) -> Retention:
    return Retention(
        months=_whole(months, "retention.months", MAX_MONTHS, "months_invalid"),
        default_monthly_revenue=_amount(
            DEFAULT_MONTHLY if default_monthly_revenue is None else default_monthly_revenue,
            "retention.default_monthly_revenue",
        ),
    )


@dataclass(frozen=True)
class RevenueResult:
    request: RevenueRequest
    facts: RegisterFacts
    new_customers_revenue: Decimal
    upsell_revenue: Decimal
    retention_revenue: Decimal
    realism: Realism | None
    table: list[tuple[int, Decimal]]  # retention for 2, 3, 6 and 12 months

    @property
    def total(self) -> Decimal:
        return self.new_customers_revenue + self.upsell_revenue + self.retention_revenue

    @property
    def median_first_year_revenue(self) -> Decimal | None:
        return self.realism.median_first_year_revenue if self.realism else None

    def warning(self, currency: str = "DKK") -> str | None:
        """The article's advice when new customers are planned to buy for more than they
        usually do in their first year; None within history or without enough of it."""
        check = self.realism
        if check is None or not check.warning or check.median_first_year_revenue is None:
            return None
        return _(
            "Each new customer is planned to buy for %(planned)s a year, more than new "
            "customers usually buy in their first year (median %(median)s of the "
            "%(count)s customers who started within the last 24 months). Decide whether "
            "to raise your prices, or which other products or services you will add for "
            "new customers."
        ) % {
            "planned": money(check.planned_annual_spend, currency),
            "median": money(check.median_first_year_revenue, currency),
            "count": len(self.facts.first_years),
        }


def money(value: Decimal | None, currency: str = "DKK") -> str:
    return format_value(value, unit=Unit.CURRENCY, currency=currency)


def revenue_plan(*, request: RevenueRequest, facts: RegisterFacts) -> RevenueResult:
    """The levers over the register's active customers (docs/engine.md "Revenue levers")."""
    if request.new_customers is None and request.upsell is None and request.retention is None:
        raise PlanError("no_levers", field="levers")
    new, upsell, retention = request.new_customers, request.upsell, request.retention
    default_monthly = retention.default_monthly_revenue if retention else DEFAULT_MONTHLY
    return RevenueResult(
        request=request,
        facts=facts,
        new_customers_revenue=(
            new_customers_revenue(new.count, new.annual_spend) if new else Decimal(0)
        ),
        upsell_revenue=(
            upsell_revenue(facts.last_12_months, upsell.mode, upsell.value)
            if upsell
            else Decimal(0)
        ),
        retention_revenue=(
            retention_revenue(facts.monthly, retention.months, default_monthly)
            if retention
            else Decimal(0)
        ),
        realism=realism(facts.first_years, new.annual_spend) if new else None,
        table=retention_table(facts.monthly, default_monthly),
    )


# --- One click: the matching KPIs --------------------------------------------------------


def _spec(
    name: str, description: str, period: Period, target: Decimal, unit: str, kind: str
) -> KpiSpec:
    return KpiSpec(
        kind=kind,
        name=name,
        description=description,
        start=period.start,
        end=period.end,
        target=target,
        unit=unit,
        milestones=split_linearly(period.start, period.end, Decimal(0), target),
        category=Category.SALES,
        cadence="monthly",
    )


def _new_customer_specs(
    new: NewCustomers, result: RevenueResult, period: Period, currency: str
) -> list[tuple[KpiSpec, str]]:
    """The count of new customers, and their revenue when it is worth something; both
    fed by the customer register."""
    specs: list[tuple[KpiSpec, str]] = [
        (
            _spec(
                _("New customers"),
                ngettext(
                    "%(count)s new customer, buying for %(spend)s a year.",
                    "%(count)s new customers, each buying for %(spend)s a year.",
                    new.count,
                )
                % {"count": new.count, "spend": money(new.annual_spend, currency)},
                period,
                Decimal(new.count),
                Unit.COUNT,
                "new-customers",
            ),
            Derived.NEW_CUSTOMERS,
        )
    ]
    if result.new_customers_revenue > 0:
        specs.append(
            (
                _spec(
                    _("Revenue from new customers"),
                    ngettext(
                        "%(count)s new customer × %(spend)s.",
                        "%(count)s new customers × %(spend)s.",
                        new.count,
                    )
                    % {"count": new.count, "spend": money(new.annual_spend, currency)},
                    period,
                    result.new_customers_revenue,
                    Unit.CURRENCY,
                    "new-customer-revenue",
                ),
                Derived.NEW_CUSTOMER_REVENUE,
            )
        )
    return specs


def _upsell_spec(result: RevenueResult, period: Period) -> KpiSpec:
    return _spec(
        _("More sales to existing customers"),
        ngettext(
            "Upsell to the %(count)s active customer.",
            "Upsell to the %(count)s active customers.",
            result.facts.active,
        )
        % {"count": result.facts.active},
        period,
        result.upsell_revenue,
        Unit.CURRENCY,
        "upsell-amount",
    )


def _retention_spec(retention: Retention, result: RevenueResult, period: Period) -> KpiSpec:
    return _spec(
        ngettext(
            "Revenue from keeping customers %(months)s month longer",
            "Revenue from keeping customers %(months)s months longer",
            retention.months,
        )
        % {"months": retention.months},
        ngettext(
            "Every active customer kept %(months)s more month.",
            "Every active customer kept %(months)s more months.",
            retention.months,
        )
        % {"months": retention.months},
        period,
        result.retention_revenue,
        Unit.CURRENCY,
        "retention",
    )


def _lever_specs(result: RevenueResult, period: Period, currency: str) -> list[tuple[KpiSpec, str]]:
    """The specs of the plan's KPIs, each with the register figure that feeds it ("" for
    none); a lever worth nothing has none."""
    request = result.request
    specs: list[tuple[KpiSpec, str]] = []
    new = request.new_customers
    if new is not None and new.count > 0:
        specs += _new_customer_specs(new, result, period, currency)
    if request.upsell is not None and result.upsell_revenue > 0:
        specs.append((_upsell_spec(result, period), ""))
    retention = request.retention
    if retention is not None and result.retention_revenue > 0:
        specs.append((_retention_spec(retention, result, period), ""))
    return specs


def revenue_kpi_offers(
    *, organisation: Organisation, result: RevenueResult, period: Period
) -> list[KpiOffer]:
    """The KPIs of the plan's levers over ``period`` (keyed by what they measure:
    ``new-customers``, ``new-customer-revenue``, ``upsell-amount``, ``retention``), each
    with the KPI that measures the same already, if any (``kpis.matching``)."""
    wanted = [
        (spec.kind, spec) for spec, _derived in _lever_specs(result, period, organisation.currency)
    ]
    return kpi_offers(organisation=organisation, wanted=wanted, exclude=[])


@transaction.atomic
def revenue_kpis_create(
    *,
    organisation: Organisation,
    user: User | None,
    result: RevenueResult,
    period: Period,
    today: dt.date,
    link_existing: bool = True,
    create_new: Collection[str] = (),
) -> PlannedKpis:
    """KPIs for the levers of the plan over ``period``: new customers and their revenue
    (fed by the customer register), more sales to existing customers, and the revenue of
    keeping customers longer. Levers worth nothing get no KPI. A lever whose KPI exists
    already (``revenue_kpi_offers``) is linked to it instead, unless ``link_existing`` is
    off or its key is in ``create_new``; the existing KPI is left as it is."""
    derived = {
        spec.kind: kind for spec, kind in _lever_specs(result, period, organisation.currency)
    }
    planned = PlannedKpis()
    for offer in revenue_kpi_offers(organisation=organisation, result=result, period=period):
        if offer.existing is not None and link_existing and offer.key not in create_new:
            planned.linked.append((offer.key, offer.existing))
            continue
        kpi = kpi_create(organisation=organisation, spec=offer.spec, user=user)
        if derived[offer.key]:
            derived_kpi_set(kpi=kpi, kind=derived[offer.key], today=today)
        planned.created.append(kpi)
    return planned
