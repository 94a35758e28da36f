from django.urls import path

from fokus.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("funnel/new/", views.funnel_new, name="funnel_new"),
    path("funnel/preview/", views.funnel_preview, name="funnel_preview"),
    path("funnel/<int:pk>/", views.funnel_detail, name="funnel_detail"),
    path("funnel/<int:pk>/delete/", views.funnel_delete, name="funnel_delete"),
    path("funnel/<int:pk>/kpis/", views.funnel_kpis, name="funnel_kpis"),
    path("funnel/<int:pk>/replan/", views.funnel_replan, name="funnel_replan"),
    path("funnel/<int:pk>/what-if/", views.funnel_what_if, name="funnel_what_if"),
    path("revenue/", views.revenue, name="revenue"),
    path("new/", views.plan_new, name="plan_new"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("<int:pk>/link/", views.plan_link, name="plan_link"),
    path("<int:pk>/unlink/<int:link>/", views.plan_unlink, name="plan_unlink"),
    # The review moved to /review/ (``fokus.plans.review_urls``): the old addresses
    # redirect there with their query.
    path("review/", views.review_moved, {"to": "review"}, name="review"),
    path("review/pdf/", views.review_moved, {"to": "review_pdf"}, name="review_pdf"),
    path("review/create/", views.review_moved, {"to": "review_create"}, name="review_create"),
]
