from django.urls import path

from fokus.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("count/", views.nav_count, name="count"),
    path("bulk/", views.alerts_bulk, name="bulk"),
    path("scan/", views.scan_now, name="scan"),
    path("<int:pk>/ack/", views.alert_ack, name="ack"),
    path("<int:pk>/snooze/", views.alert_snooze, name="snooze"),
    path("<int:pk>/contact/", views.alert_contact, name="contact"),
    path("settings/", views.alert_settings, name="settings"),
    path("contact/<str:token>/", views.contact_link, name="contact_link"),
]
