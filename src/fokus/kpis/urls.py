from django.urls import path

from fokus.kpis import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kpis/new/", views.kpi_new, name="kpi_new"),
    path("kpis/new/preview/", views.kpi_preview, name="kpi_preview"),
    path("kpis/<int:pk>/", views.kpi_detail, name="kpi_detail"),
    path("kpis/<int:pk>/edit/", views.kpi_edit, name="kpi_edit"),
    path("kpis/<int:pk>/archive/", views.kpi_archive, name="kpi_archive"),
    path("kpis/<int:pk>/checkin/", views.kpi_checkin, name="kpi_checkin"),
    path("kpis/<int:pk>/tick/", views.kpi_tick, name="kpi_tick"),
    path("kpis/<int:pk>/items/<int:item>/untick/", views.kpi_untick, name="kpi_untick"),
    path("checkins/<int:pk>/edit/", views.checkin_edit, name="checkin_edit"),
    path("checkins/<int:pk>/delete/", views.checkin_delete, name="checkin_delete"),
]
