from django.urls import path

from fokus.guide import views

app_name = "guide"

urlpatterns = [
    path("", views.start, name="start"),
    path("<int:year>/", views.year, name="year"),
    path("<int:year>/<slug:step>/", views.step, name="step"),
]
