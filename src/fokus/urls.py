from django.urls import include, path

urlpatterns = [
    path("", include("fokus.web.urls")),
]
