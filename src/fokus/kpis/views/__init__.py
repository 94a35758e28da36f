"""Pages of the KPIs: the dashboard, a KPI's page and form, check-ins and the period
review. Views translate HTTP to selector and service calls and back."""

from fokus.kpis.views.checkins import (
    checkin_delete,
    checkin_edit,
    kpi_checkin,
    kpi_tick,
    kpi_untick,
)
from fokus.kpis.views.dashboard import dashboard
from fokus.kpis.views.kpis import kpi_archive, kpi_detail, kpi_edit, kpi_new, kpi_preview
from fokus.kpis.views.review import review, review_pdf

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
    "review",
    "review_pdf",
]
