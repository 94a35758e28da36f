from django.urls import include, path

from fokus.api.main import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("fokus.web.urls")),
]
