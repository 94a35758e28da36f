"""Which KPIs measure the same thing: the one rule the planners (funnel, two-period plan,
revenue levers) and the KPI form apply before they create a KPI, so that every number is
recorded once.

**The same thing.** An existing KPI measures the same thing as a KPI about to be created
when it is the same organisation's, is not archived and follows no customer (a monitor
of the customer register is never a goal of its own), has the same unit, its period
overlaps the new one's, and

1. it is of the same kind: ``Kpi.kind`` is the key of the article's template a KPI was
   made from (``kpis.kpi_templates``), set by the wizard and by the planners; a funnel's
   bottom stage counts sales and is of the kind ``new-customers``; a KPI derived from the
   customer register is of its figure's kind (new customers won: ``new-customers``, their
   revenue: ``new-customer-revenue``, contacted in time: ``contacted-customers``,
   advisory meetings: ``advisory-meetings``); the funnel template's buyers
   (``funnel-buy``) are of the kind ``new-customers`` too; or
2. it has the same name, ignoring case and the spaces around it; or its name is the
   name of the new KPI's template, in Danish or in English.

The best match comes first: the same period, then the longest overlap, then the oldest.

**A duplicate** (``kpis.services.kpi_duplicates``): the KPI form, ``POST /api/v1/kpis``
and ``fokus kpi add`` ask before they create a KPI with the same name (ignoring case and
spaces) and the same start and end as one that exists (not archived, following the same
customer or none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from django.conf import settings
from django.utils import translation

from fokus.accounts.models import Organisation
from fokus.kpis.kpi_templates import TEMPLATES
from fokus.kpis.models import Derived, Kpi
from fokus.kpis.services import KpiSpec, folded_name

# The kind a funnel's bottom stage has: it counts the buyers, the new customers.
SALES_COUNT_KIND = "new-customers"

# Templates that count what another kind counts: the funnel template's buyers are the
# new customers.
KIND_ALIASES = {"funnel-buy": "new-customers"}

DERIVED_KINDS: dict[str, str] = {
    Derived.NEW_CUSTOMERS: "new-customers",
    Derived.NEW_CUSTOMER_REVENUE: "new-customer-revenue",
    Derived.CONTACTED_SHARE: "contacted-customers",
    Derived.ADVISORY_MEETINGS: "advisory-meetings",
}


def kind_of(kpi: Kpi) -> str:
    """What the KPI measures: its own kind, else that of the register figure it follows."""
    kind = kpi.kind or DERIVED_KINDS.get(kpi.derived, "")
    return KIND_ALIASES.get(kind, kind)


def template_names(kind: str) -> set[str]:
    """The names of the kind's templates in every language of the product, folded."""
    templates = [t for t in TEMPLATES if kind and KIND_ALIASES.get(t.slug, t.slug) == kind]
    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names |= {folded_name(str(template.name)) for template in templates}
    return names


def _same(kpi: Kpi, spec: KpiSpec, names: set[str]) -> bool:
    if kpi.unit != spec.unit or kpi.start > spec.end or kpi.end < spec.start:
        return False
    if spec.kind and kind_of(kpi) == KIND_ALIASES.get(spec.kind, spec.kind):
        return True
    name = folded_name(kpi.name)
    return name == folded_name(spec.name) or name in names


def _overlap(kpi: Kpi, start: dt.date, end: dt.date) -> int:
    return (min(kpi.end, end) - max(kpi.start, start)).days


def _ranked(kpis: list[Kpi], spec: KpiSpec) -> list[Kpi]:
    return sorted(
        kpis,
        key=lambda k: (
            (k.start, k.end) != (spec.start, spec.end),
            -_overlap(k, spec.start, spec.end),
            k.pk,
        ),
    )


def same_kpis_many(
    *, organisation: Organisation, specs: Sequence[KpiSpec], exclude: Collection[int] = ()
) -> list[list[Kpi]]:
    """For each spec the organisation's KPIs that measure the same thing, best first
    (one query for all of them)."""
    if not specs:
        return []
    first = min(spec.start for spec in specs)
    last = max(spec.end for spec in specs)
    kinds = [KIND_ALIASES.get(spec.kind, spec.kind) for spec in specs]
    candidates = list(
        Kpi.objects.filter(
            organisation=organisation,
            archived_at__isnull=True,
            customer__isnull=True,
            start__lte=last,
            end__gte=first,
        )
        .exclude(pk__in=list(exclude))
        .order_by("pk")
    )
    for kpi in candidates:
        kpi.organisation = organisation
    result = []
    for spec, kind in zip(specs, kinds, strict=True):
        names = template_names(kind)
        result.append(_ranked([k for k in candidates if _same(k, spec, names)], spec))
    return result


def same_kpis(
    *, organisation: Organisation, spec: KpiSpec, exclude: Collection[int] = ()
) -> list[Kpi]:
    """The organisation's KPIs that measure what ``spec`` would, best first."""
    return same_kpis_many(organisation=organisation, specs=[spec], exclude=exclude)[0]
