"""The project's addresses: each app's pages, and the REST API assembled from each app's
router (the composition root: the one module that names every area)."""

from django.urls import include, path

from fokus.alerts.api import router as alerts_router
from fokus.api.main import api
from fokus.customers.api import router as customers_router
from fokus.kpis.api import checkins_router, kpis_router
from fokus.plans.api import router as plans_router

api.add_router("/customers", customers_router)
api.add_router("/kpis", kpis_router)
api.add_router("/checkins", checkins_router)
api.add_router("/alerts", alerts_router)
api.add_router("/plans", plans_router)

urlpatterns = [
    path("api/v1/", api.urls),
    path("customers/", include("fokus.customers.urls")),
    path("alerts/", include("fokus.alerts.urls")),
    path("data/", include("fokus.dataio.urls")),
    path("plans/", include("fokus.plans.urls")),
    path("guide/", include("fokus.guide.urls")),
    path("review/", include("fokus.plans.review_urls")),
    path("", include("fokus.kpis.urls")),
    path("", include("fokus.accounts.urls")),
]
