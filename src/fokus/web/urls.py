from django.urls import path

from fokus.web import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
