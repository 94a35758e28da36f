"""The guide's pages: the year's steps at a glance, and one page per step that does it
(or skips it) and leads on to the next."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fokus.accounts.access import member_required
from fokus.accounts.http import AuthenticatedHttpRequest
from fokus.customers.models import Customer, CustomerStatus
from fokus.customers.selectors import unknown_contact_overdue
from fokus.errors import REFUSALS
from fokus.guide import services
from fokus.guide.forms import (
    MARKETING_TEMPLATES,
    CareForm,
    CheckinsForm,
    FunnelStepForm,
    GoalForm,
    LeversForm,
    MarketingForm,
)
from fokus.guide.models import StepState, YearPlan
from fokus.guide.steps import STEP, STEPS, finished, next_step, previous_step, progress
from fokus.kpis.models import Kpi
from fokus.kpis.selectors import kpi_list
from fokus.plans import revenue as planner
from fokus.plans.forms import percent_text
from fokus.plans.funnel import default_stage_names
from fokus.plans.selectors import default_funnel_rates, register_facts
from fokus.plans.services import PlannedKpis, linked_text
from fokus.ui.forms import add_refusal, plain_number

# Steps that can be done again: the others made KPIs that are changed on their own pages.
REPEATABLE = {"marketing", "care", "checkins"}
FIRST_YEAR = 2000
LAST_YEAR = 2100
# The article's numbers, where a step starts.
ARTICLE_GOAL = {"new_customers": 10, "annual_spend": "100000"}
ARTICLE_LEVERS = {
    "upsell_mode": "percent",
    "upsell_value": "10",
    "retention_months": 2,
    "retention_default": "10000",
}


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


@member_required
def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The guide of the year being planned."""
    return redirect(
        "guide:year",
        year=services.guide_year(organisation=request.organisation, today=request.today),
    )


def _plan_kpis(plan: YearPlan | None) -> dict[str, list[Kpi]]:
    """The plan's KPIs by the step that made or linked them (one query)."""
    by_step: dict[str, list[Kpi]] = {step.slug: [] for step in STEPS}
    if plan is None:
        return by_step
    for link in plan.links.select_related("kpi").filter(kpi__archived_at__isnull=True):
        by_step.setdefault(link.step, []).append(link.kpi)
    return by_step


@member_required
def year(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    organisation = request.organisation
    plan = services.year_plan_get(organisation=organisation, year=_year(year))
    steps = progress(plan)
    current = next((p for p in steps if p.current), None)
    kpis = _plan_kpis(plan)
    goal = None
    if plan is not None and plan.new_customers and plan.annual_spend:
        currency = organisation.currency
        goal = _("%(count)s new customers × %(spend)s = %(total)s") % {
            "count": plan.new_customers,
            "spend": planner.money(plan.annual_spend, currency),
            "total": planner.money(plan.new_customers * plan.annual_spend, currency),
        }
    return render(
        request,
        "guide/year.html",
        {
            "nav": "plans",
            "year": year,
            "plan": plan,
            "rows": [(item, kpis[item.step.slug]) for item in steps],
            "current": current,
            "finished": finished(plan),
            "goal": goal,
        },
    )


# --- The steps -------------------------------------------------------------------------


class StepPage:
    """What one step page needs: its form, how the form is filled at first, and what a
    valid form does (a message to show, or None with the errors on the form)."""

    def __init__(self, request: AuthenticatedHttpRequest, plan: YearPlan | None, year: int):
        self.request = request
        self.plan = plan
        self.year = year
        self.organisation = request.organisation

    def form(self, data: Any) -> Any:  # pragma: no cover - every step has its own
        raise NotImplementedError

    def save(self, form: Any, plan: YearPlan) -> str | None:  # pragma: no cover
        raise NotImplementedError

    def context(self) -> dict[str, Any]:
        return {}


class GoalPage(StepPage):
    def form(self, data: Any) -> GoalForm:
        plan = self.plan
        initial = dict(ARTICLE_GOAL)
        if plan is not None and plan.new_customers:
            initial = {
                "new_customers": plan.new_customers,
                "annual_spend": plain_number(plan.annual_spend),
            }
        return GoalForm(data, initial=initial)

    def save(self, form: GoalForm, plan: YearPlan) -> str | None:
        data = form.cleaned_data
        try:
            planned, result = services.goal_set(
                plan=plan,
                user=self.request.user,
                new_customers=data["new_customers"],
                annual_spend=data["annual_spend"],
                facts=register_facts(organisation=self.organisation, today=self.request.today),
                today=self.request.today,
            )
        except REFUSALS as error:
            add_refusal(
                form,
                error,
                {
                    "new_customers.count": "new_customers",
                    "new_customers.annual_spend": "annual_spend",
                },
            )
            return None
        warning = result.warning(self.organisation.currency)
        if warning:
            messages.warning(self.request, warning)
        return _made(planned)


class LeversPage(StepPage):
    def form(self, data: Any) -> LeversForm:
        return LeversForm(data, initial=ARTICLE_LEVERS)

    def save(self, form: LeversForm, plan: YearPlan) -> str | None:
        data = form.cleaned_data
        try:
            upsell = None
            if data.get("upsell_value") is not None:
                value = data["upsell_value"]
                percent = data["upsell_mode"] == "percent"
                upsell = planner.upsell_lever(
                    data["upsell_mode"], value / 100 if percent else value
                )
            retention = None
            if data.get("retention_months"):
                retention = planner.retention_lever(
                    data["retention_months"], data.get("retention_default")
                )
            planned = services.levers_set(
                plan=plan,
                user=self.request.user,
                upsell=upsell,
                retention=retention,
                facts=register_facts(organisation=self.organisation, today=self.request.today),
                today=self.request.today,
            )
        except REFUSALS as error:
            add_refusal(
                form,
                error,
                {
                    "upsell.value": "upsell_value",
                    "upsell.mode": "upsell_mode",
                    "retention.months": "retention_months",
                    "retention.default_monthly_revenue": "retention_default",
                },
            )
            return None
        return _made(planned)

    def context(self) -> dict[str, Any]:
        facts = register_facts(organisation=self.organisation, today=self.request.today)
        return {"facts": facts}


class FunnelPage(StepPage):
    def names(self) -> list[str]:
        return default_stage_names(4)

    def form(self, data: Any) -> FunnelStepForm:
        defaults = default_funnel_rates(
            organisation=self.organisation, stages=4, today=self.request.today
        )
        plan = self.plan
        initial: dict[str, Any] = {
            "goal": plan.new_customers if plan is not None and plan.new_customers else 10,
            **{f"name_{i}": name for i, name in enumerate(self.names())},
            **{f"rate_{i}": percent_text(rate) for i, rate in enumerate(defaults.rates)},
        }
        return FunnelStepForm(data, names=self.names(), initial=initial)

    def save(self, form: FunnelStepForm, plan: YearPlan) -> str | None:
        try:
            funnel, planned = services.funnel_set(
                plan=plan,
                user=self.request.user,
                goal=form.cleaned_data["goal"],
                rates=form.rates(),
                stages=form.names(),
                placement=form.cleaned_data["placement"],
                now=timezone.now(),
            )
        except REFUSALS as error:
            form.show_error(error)
            return None
        said = _("The funnel “%(name)s” is planned, with a KPI per stage.") % {"name": funnel.name}
        return " ".join(filter(None, [said, linked_text(planned)]))

    def context(self) -> dict[str, Any]:
        return {"funnel": self.plan.funnel if self.plan is not None else None}


class MarketingPage(StepPage):
    def existing(self) -> dict[str, Kpi]:
        return services.marketing_existing(
            organisation=self.organisation, year=self.year, slugs=MARKETING_TEMPLATES
        )

    def form(self, data: Any) -> MarketingForm:
        return MarketingForm(data, existing=self.existing())

    def save(self, form: MarketingForm, plan: YearPlan) -> str | None:
        try:
            planned = services.marketing_set(
                plan=plan, user=self.request.user, targets=form.targets()
            )
        except REFUSALS as error:
            add_refusal(form, error)
            return None
        return _made(planned)


class CarePage(StepPage):
    def form(self, data: Any) -> CareForm:
        return CareForm(
            data,
            can_manage=self.request.membership.can_manage,
            initial={
                "interval": self.organisation.default_contact_interval,
                "start_clock": True,
                "clock_start": self.request.today,
            },
        )

    def save(self, form: CareForm, plan: YearPlan) -> str | None:
        data = form.cleaned_data
        clock_start = data.get("clock_start") or self.request.today
        try:
            started = services.care_set(
                plan=plan,
                interval=data.get("interval") if self.request.membership.can_manage else None,
                clock_start=clock_start if data.get("start_clock") else None,
                today=self.request.today,
                now=timezone.now(),
            )
        except REFUSALS as error:
            add_refusal(form, error, {"default_contact_interval": "interval"})
            return None
        if started:
            return ngettext(
                "The contact clock of %(count)s customer starts on the chosen date.",
                "The contact clock of %(count)s customers starts on the chosen date.",
                started,
            ) % {"count": started}
        return _("Customer care is set up.")

    def context(self) -> dict[str, Any]:
        counts = Customer.objects.filter(organisation=self.organisation).aggregate(
            total=Count("pk"),
            active=Count("pk", filter=Q(status=CustomerStatus.ACTIVE)),
        )
        return {
            "customer_count": counts["total"],
            "active_count": counts["active"],
            "unknown_overdue": unknown_contact_overdue(
                organisation=self.organisation, as_of=self.request.today
            ).count(),
            "guide_url": reverse("guide:step", args=[self.year, "care"]),
        }


class CheckinsPage(StepPage):
    def kpis(self) -> list[Kpi]:
        return kpi_list(organisation=self.organisation, period=services.year_period(self.year))

    def form(self, data: Any) -> CheckinsForm:
        return CheckinsForm(data, kpis=self.kpis())

    def save(self, form: CheckinsForm, plan: YearPlan) -> str | None:
        try:
            changed = services.cadences_set(
                plan=plan, user=self.request.user, cadences=form.cadences()
            )
        except REFUSALS as error:
            add_refusal(form, error)
            return None
        return ngettext(
            "%(count)s KPI has a new check-in rhythm.",
            "%(count)s KPIs have a new check-in rhythm.",
            changed,
        ) % {"count": changed}


PAGES: dict[str, Callable[..., StepPage]] = {
    "goal": GoalPage,
    "levers": LeversPage,
    "funnel": FunnelPage,
    "marketing": MarketingPage,
    "care": CarePage,
    "checkins": CheckinsPage,
}


def _made(planned: PlannedKpis) -> str:
    """What a step did to the plan's KPIs, in words: the ones made and the ones linked."""
    created = planned.created
    said = []
    if created:
        said.append(
            ngettext(
                "%(count)s KPI added to the plan: %(names)s.",
                "%(count)s KPIs added to the plan: %(names)s.",
                len(created),
            )
            % {"count": len(created), "names": ", ".join(f"“{kpi.name}”" for kpi in created)}
        )
    if planned.linked:
        said.append(linked_text(planned))
    return " ".join(said) or _("Nothing new was needed.")


def _after(year: int, slug: str) -> HttpResponse:
    following = next_step(slug)
    if following is None:
        return redirect("guide:year", year=year)
    return redirect("guide:step", year=year, step=following.slug)


@member_required
def step(request: AuthenticatedHttpRequest, year: int, step: str) -> HttpResponse:
    if step not in STEP:
        raise Http404
    organisation = request.organisation
    plan = services.year_plan_get(organisation=organisation, year=_year(year))
    page = PAGES[step](request, plan, year)
    if request.method == "POST":
        if not request.membership.can_edit:
            raise PermissionDenied
        plan = plan or services.year_plan_for(organisation=organisation, year=year)
        if "skip" in request.POST:
            services.step_mark(plan=plan, slug=step, state=StepState.SKIPPED)
            messages.info(
                request,
                _("“%(step)s” is skipped; you can come back to it from the plan.")
                % {"step": STEP[step].title},
            )
            return _after(year, step)
        form = page.form(request.POST)
        if form.is_valid():
            said = page.save(form, plan)
            if said is not None:
                messages.success(request, said)
                return _after(year, step)
    else:
        form = page.form(None)
    previous = previous_step(step)
    state = (plan.steps.get(step) if plan is not None else None) or "todo"
    return render(
        request,
        f"guide/step_{step}.html",
        {
            "nav": "plans",
            "year": year,
            "plan": plan,
            "step": STEP[step],
            "number": [s.slug for s in STEPS].index(step) + 1,
            "count": len(STEPS),
            "steps": progress(plan, current=step),
            "state": state,
            "show_form": state != StepState.DONE or step in REPEATABLE,
            "next": next_step(step),
            "previous": previous,
            "form": form,
            "kpis": _plan_kpis(plan).get(step, []),
            "currency": organisation.currency,
            **page.context(),
        },
    )
