"""The one review page of a period, at ``/review/`` (mounted by ``fokus.urls``): every
KPI's verdict, what moved, the funnels' bottlenecks and the next period's proposals; its
PDF; and one click for the proposed KPIs."""

from django.urls import path

from fokus.plans import views

urlpatterns = [
    path("", views.review, name="review"),
    path("pdf/", views.review_pdf, name="review_pdf"),
    path("create/", views.review_create, name="review_create"),
]
