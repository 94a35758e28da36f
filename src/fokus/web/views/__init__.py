"""Pages of the web UI. Views translate HTTP to selector and service calls and back."""

from fokus.accounts.views import LoginView
from fokus.web.views.checkins import checkin_delete, checkin_edit, kpi_checkin, kpi_tick, kpi_untick
from fokus.web.views.dashboard import dashboard
from fokus.web.views.kpis import kpi_archive, kpi_detail, kpi_edit, kpi_new, kpi_preview
from fokus.web.views.review import review, review_pdf

__all__ = [
    "LoginView",
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
