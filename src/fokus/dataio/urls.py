from django.urls import path

from fokus.dataio import views

app_name = "dataio"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_review, name="import_review"),
    path("export/", views.export, name="export"),
    path("backup/", views.backup, name="backup"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
