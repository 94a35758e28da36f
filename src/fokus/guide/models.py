"""One organisation's guided plan for one year: the sales goal it was built from and how
far the owner has come through the steps."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fokus.accounts.models import Organisation
from fokus.kpis.models import Kpi
from fokus.plans.models import FunnelPlan


class StepState(models.TextChoices):
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")


class YearPlan(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="year_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    new_customers = models.PositiveIntegerField(_("new customers"), null=True, blank=True)
    annual_spend = models.DecimalField(
        _("yearly spend per new customer"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    funnel = models.ForeignKey(
        FunnelPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {step slug: StepState}; a step not named is still to do.
    steps = models.JSONField(default=dict)
    kpis = models.ManyToManyField(Kpi, through="YearPlanKpi", related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("year plan")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_year_plan_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class YearPlanKpi(models.Model):
    """A KPI of the year plan and the step that made or linked it."""

    plan = models.ForeignKey(YearPlan, on_delete=models.CASCADE, related_name="links")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "kpi"], name="one_year_plan_link_per_kpi")
        ]
