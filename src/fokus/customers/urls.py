from django.urls import path

from fokus.customers import views

app_name = "customers"

urlpatterns = [
    path("", views.customer_list_view, name="list"),
    path("new/", views.customer_create_view, name="create"),
    path("partners/", views.partners_view, name="partners"),
    path("partners/<int:pk>/", views.partner_edit_view, name="partner_edit"),
    path("<int:pk>/", views.customer_detail_view, name="detail"),
    path("<int:pk>/edit/", views.customer_edit_view, name="edit"),
    path("<int:pk>/delete/", views.customer_delete_view, name="delete"),
    path("<int:pk>/contact/", views.contact_view, name="contact"),
    path("<int:pk>/snooze/", views.snooze_view, name="snooze"),
    path("<int:pk>/unsnooze/", views.unsnooze_view, name="unsnooze"),
    path("<int:pk>/revenue/", views.revenue_view, name="revenue"),
    path("<int:pk>/advisory/<str:action>/", views.advisory_view, name="advisory"),
    path("<int:pk>/referral/", views.referral_view, name="referral"),
    path("<int:pk>/monitors/", views.monitor_create_view, name="monitor_create"),
    path(
        "<int:pk>/monitors/<int:monitor_id>/reading/",
        views.monitor_reading_view,
        name="monitor_reading",
    ),
]
