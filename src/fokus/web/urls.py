from django.contrib.auth.views import LogoutView
from django.urls import path

from fokus.web import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("kpis/<int:pk>/", views.kpi_detail, name="kpi_detail"),
]
