from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fokus.accounts.models import Organisation
from fokus.values import VALUE_DIGITS, VALUE_PLACES


def value_field(verbose_name: str | object, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,  # type: ignore[arg-type]
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        **kwargs,  # type: ignore[arg-type]
    )


class Category(models.TextChoices):
    SALES = "sales", _("Sales")
    MARKETING = "marketing", _("Marketing")
    SERVICE = "service", _("Service")
    OTHER = "other", _("Other")


class Unit(models.TextChoices):
    COUNT = "count", _("Count")
    CURRENCY = "currency", _("Currency")
    PERCENT = "percent", _("Percent")
    RANK = "rank", _("Rank")
    NUMBER = "number", _("Number")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")


class Measure(models.TextChoices):
    SUM = "sum", _("Sum of check-ins")
    LAST = "last", _("Latest value")
    AVERAGE = "average", _("Average")
    CHECKLIST = "checklist", _("Checklist")


class Interval(models.TextChoices):
    WEEK = "week", _("Every week")
    MONTH = "month", _("Every month")
    QUARTER = "quarter", _("Every quarter")


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class Source(models.TextChoices):
    MANUAL = "manual", _("Manual")
    IMPORT = "import", _("Import")
    API = "api", _("API")
    DERIVED = "derived", _("Derived")


class Derived(models.TextChoices):
    """KPIs whose check-ins follow the customer register (nobody enters them twice)."""

    NEW_CUSTOMERS = "new_customers", _("New customers won")
    NEW_CUSTOMER_REVENUE = "new_customer_revenue", _("Revenue from new customers")
    EXISTING_CUSTOMER_REVENUE = "existing_customer_revenue", _("Revenue from existing customers")
    CONTACTED_SHARE = "contacted_share", _("Share of active customers contacted in time")
    ADVISORY_MEETINGS = "advisory_meetings", _("Advisory meetings held")


class Kpi(models.Model):
    """A goal as a concrete number and a period."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="kpis")
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(
        _("category"), max_length=12, choices=Category.choices, default=Category.OTHER
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.COUNT)
    unit_label = models.CharField(_("unit label"), max_length=40, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    measure = models.CharField(
        _("measure"), max_length=10, choices=Measure.choices, default=Measure.SUM
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    baseline = value_field(_("baseline"), default=0)
    target = value_field(_("target"))
    interval = models.CharField(
        _("recurring every"), max_length=10, choices=Interval.choices, null=True, blank=True
    )
    interval_target = value_field(_("target per interval"), null=True, blank=True)
    cadence = models.CharField(
        _("check-in cadence"), max_length=10, choices=Cadence.choices, blank=True
    )
    focus = models.BooleanField(_("focus"), default=False)
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kpis",
    )
    derived = models.CharField(
        _("derived from the customer register"),
        max_length=30,
        choices=Derived.choices,
        blank=True,
    )
    # What the KPI measures, where that is known: the key of the article's template it
    # was made from (``kpis.kpi_templates``), set by the wizard and the planners. Two KPIs
    # of one kind, unit and time measure the same thing (``kpis.matching``).
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("KPI")
        ordering = ["-focus", "start", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="kpi_slug_per_org"),
        ]
        indexes = [models.Index(fields=["organisation", "start", "end"])]

    def __str__(self) -> str:
        return self.name

    def in_period(self, date: dt.date) -> bool:
        """Whether a check-in on ``date`` counts: one outside ``[start, end]`` is kept but
        not counted (docs/engine.md)."""
        return self.start <= date <= self.end

    def sub_goals(self) -> list[Milestone]:
        """The milestones by date: as loaded with the KPI (``kpis.selectors.MILESTONES``,
        one query for many KPIs), else queried now."""
        loaded: list[Milestone] | None = getattr(self, "milestone_list", None)
        return list(loaded) if loaded is not None else list(self.milestones.order_by("date"))


class Milestone(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField(_("date"))
    value = value_field(_("value"))

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "date"], name="one_milestone_per_date")
        ]


def _recorded_by() -> models.ForeignKey:
    """Who recorded or changed a check-in. Users are never deleted (a member leaves an
    organisation), so check-ins are never looked up by user: no index."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )


class CheckIn(models.Model):
    # Check-ins are read by KPI (a KPI's check-ins all lie in its period). The one index
    # that finds them is the unique (kpi, external_id) below, whose first column is the
    # KPI, so the foreign key needs none of its own: each check-in writes one index entry
    # besides the table row. An index on (kpi, date) was written all over for check-ins
    # of mixed dates, and cost bulk writes a fifth of their speed.
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="checkins", db_index=False)
    date = models.DateField(_("date"))
    value = value_field(_("value"))
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    external_id = models.CharField(max_length=200, null=True, blank=True)
    created_by = _recorded_by()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = _recorded_by()
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            # Not partial: a check-in without an external id (NULL, never equal to
            # another) is in it too, so that it also serves every read by KPI.
            models.UniqueConstraint(fields=["kpi", "external_id"], name="checkin_kpi_external_id")
        ]


class ChecklistItem(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField(default=0)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "name"], name="checklist_item_name_per_kpi")
        ]

    def __str__(self) -> str:
        return self.name


class KpiChange(models.Model):
    """One change of a KPI's target or definition: a goal is a commitment."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    field = models.CharField(max_length=40)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]


class KpiDataStamp(models.Model):
    """A random token per KPI that changes with every write to its check-ins or checklist
    items: database triggers (``fokus.kpis.stamps``, installed after every migrate) set it
    on INSERT, UPDATE and DELETE, whatever wrote the rows. An evaluation cached under the
    token is current as long as the token is; see ``kpis.selectors.kpi_evaluations_cached``.

    ``kpi_id`` is a plain number, not a foreign key: a stamp may outlive its KPI (KPI
    ids are never reused) and the triggers need no constraint to keep."""

    # Derived state: the restore's own inserts stamp every restored KPI afresh.
    backup_exclude = True

    kpi_id = models.BigIntegerField(primary_key=True)
    token = models.BigIntegerField()
