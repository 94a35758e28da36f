from django.urls import include, path

from fokus.api.main import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("customers/", include("fokus.customers.urls")),
    path("alerts/", include("fokus.alerts.urls")),
    path("data/", include("fokus.dataio.urls")),
    path("plans/", include("fokus.plans.urls")),
    path("", include("fokus.web.urls")),
]
