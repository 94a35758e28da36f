"""Plans: sales funnels planned backwards from a goal, multi-period plans, and the record
of review e-mails sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fokus.accounts.models import Organisation
from fokus.kpis.models import Kpi

# A rate keeps 20 decimals: enough for a third as a client's float writes it
# (0.3333333333333333); the plan is computed from the rate exactly as given.
RATE_DIGITS = 21
RATE_PLACES = 20


class Placement(models.TextChoices):
    SEQUENTIAL = "sequential", _("One stage after the other (Q1, Q2, …)")
    PARALLEL = "parallel", _("Every stage across the whole period")


class FunnelPlan(models.Model):
    """A funnel: stages, conversion rates and the goal at the bottom."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="funnel_plans"
    )
    name = models.CharField(_("name"), max_length=200)
    goal = models.PositiveIntegerField(_("goal"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    placement = models.CharField(
        _("placement"), max_length=12, choices=Placement.choices, default=Placement.SEQUENTIAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    kpis_created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("funnel plan")
        ordering = ["-start", "-id"]
        indexes = [models.Index(fields=["organisation", "start"])]

    def __str__(self) -> str:
        return self.name


class FunnelStage(models.Model):
    """One stage, top (position 0) to bottom; ``required`` is the number planned when the
    funnel was made (a re-plan changes the stage KPI's target, which keeps the history)."""

    funnel = models.ForeignKey(FunnelPlan, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("name"), max_length=200)
    rate_to_next = models.DecimalField(
        _("conversion to the next stage"),
        max_digits=RATE_DIGITS,
        decimal_places=RATE_PLACES,
        null=True,
        blank=True,
    )
    required = models.PositiveBigIntegerField(_("required"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    kpi = models.ForeignKey(
        Kpi, null=True, blank=True, on_delete=models.SET_NULL, related_name="funnel_stages"
    )

    class Meta:
        ordering = ["funnel", "position"]
        constraints = [
            models.UniqueConstraint(fields=["funnel", "position"], name="one_stage_per_position")
        ]

    def __str__(self) -> str:
        return self.name


class PeriodRole(models.TextChoices):
    LEADING = "leading", _("Leading indicators")
    SALES = "sales", _("Sales")


class Plan(models.Model):
    """A strategy over consecutive periods with one primary goal: the leading indicators
    of one period (media, followers, LinkedIn) feed the sales of the next."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="plans")
    name = models.CharField(_("name"), max_length=200)
    goal = models.CharField(_("primary goal"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class PlanPeriod(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="periods")
    position = models.PositiveSmallIntegerField()
    role = models.CharField(_("role"), max_length=10, choices=PeriodRole.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "position"], name="one_plan_period_per_position"
            )
        ]


class PlanKpi(models.Model):
    """A KPI of one period of a plan; a leading KPI may name the KPI of the next period
    it feeds."""

    period = models.ForeignKey(PlanPeriod, on_delete=models.CASCADE, related_name="links")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="plan_links")
    feeds = models.ForeignKey(
        Kpi, null=True, blank=True, on_delete=models.SET_NULL, related_name="fed_by"
    )

    class Meta:
        ordering = ["period", "id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "kpi"], name="one_link_per_period_kpi")
        ]


class ReviewMail(models.Model):
    """A review e-mail of one period to one member: written before sending, so each
    member gets each period's review once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "period_start", "period_end"],
                name="one_review_mail_per_member_and_period",
            )
        ]
