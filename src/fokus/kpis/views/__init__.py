"""Pages of the KPIs: the dashboard, a KPI's page and form and check-ins (the period
review is the plans' page, ``fokus.plans.views.review``, at ``/review/``). Views
translate HTTP to selector and service calls and back."""

from fokus.kpis.views.checkins import (
    checkin_delete,
    checkin_edit,
    kpi_checkin,
    kpi_tick,
    kpi_untick,
)
from fokus.kpis.views.dashboard import dashboard
from fokus.kpis.views.kpis import kpi_archive, kpi_detail, kpi_edit, kpi_new, kpi_preview

__all__ = [
    "checkin_delete",
    "checkin_edit",
    "dashboard",
    "kpi_archive",
    "kpi_checkin",
    "kpi_detail",
    "kpi_edit",
    "kpi_new",
    "kpi_preview",
    "kpi_tick",
    "kpi_untick",
]
