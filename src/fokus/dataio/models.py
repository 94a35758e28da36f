"""Rows of the data in/out area: uploaded import files waiting for their column mapping,
and the secret calendar feeds of users."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fokus.accounts.models import Organisation


class ImportKind(models.TextChoices):
    CHECKINS = "checkins", _("Check-ins")
    CUSTOMERS = "customers", _("Customers")
    CONTACTS = "contacts", _("Contacts")
    REVENUE = "revenue", _("Revenue entries")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    IMPORTED = "imported", _("Imported")


class ImportJob(models.Model):
    """An uploaded CSV/XLSX file kept while the user maps its columns and previews it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="import_jobs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ImportKind.choices)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField()
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    created = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class CalendarFeed(models.Model):
    """A user's secret iCalendar feed URL; only the SHA-256 of its secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
