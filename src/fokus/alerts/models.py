"""Alerts and their delivery.

Raising an alert is not sending it: an :class:`Alert` is one row per episode of a
condition (a unique key in the database), and each way it goes out is a
:class:`Delivery` row, claimed by workers with a conditional UPDATE.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fokus.accounts.models import Organisation


class AlertKind(models.TextChoices):
    CUSTOMER_OVERDUE = "customer_overdue", _("Customer not contacted")
    ADVISORY_DUE = "advisory_due", _("Advisory meeting due")
    MONITOR_BREACHED = "monitor_breached", _("Monitor outside its limits")
    MONITOR_STALE = "monitor_stale", _("Monitor without data")
    KPI_AT_RISK = "kpi_at_risk", _("KPI at risk")
    KPI_OFF_TRACK = "kpi_off_track", _("KPI off track")
    CHECKIN_OVERDUE = "checkin_overdue", _("Check-in overdue")
    PERIOD_ENDED = "period_ended", _("Period ended")


class AlertState(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


ACTIVE_STATES = (AlertState.OPEN, AlertState.ACKNOWLEDGED)


class Resolution(models.TextChoices):
    CLEARED = "cleared", _("The condition cleared")
    CONTACT_LOGGED = "contact_logged", _("A contact was logged")


class Alert(models.Model):
    """One episode of a condition: raised once, resolved when the condition clears."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind.choices)
    # What the alert is about, e.g. "customer:12" or "kpi:3:2027-12-31".
    subject_key = models.CharField(max_length=100)
    # 1, 2, 3, ...: a new episode after the previous one was resolved.
    episode = models.PositiveIntegerField(default=1)
    state = models.CharField(
        _("state"), max_length=12, choices=AlertState.choices, default=AlertState.OPEN
    )
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kpi = models.ForeignKey(
        "kpis.Kpi", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    raised_on = models.DateField()
    raised_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    snooze_reason = models.TextField(_("reason"), blank=True)
    snoozed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(max_length=20, choices=Resolution.choices, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            # An episode is raised once, however many scans run at the same time ...
            models.UniqueConstraint(
                fields=["organisation", "kind", "subject_key", "episode"],
                name="alert_one_row_per_episode",
            ),
            # ... and a subject has at most one unresolved alert of a kind.
            models.UniqueConstraint(
                fields=["organisation", "kind", "subject_key"],
                condition=~models.Q(state="resolved"),
                name="alert_one_active_per_subject",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "state"],
                condition=~models.Q(state="resolved"),
                name="alert_active_per_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_key} #{self.episode}"

    @property
    def is_active(self) -> bool:
        return self.state != AlertState.RESOLVED


class ScanRun(models.Model):
    """When the scan last ran for an organisation: the inbox tells "not checked yet" from
    "checked, nothing found"."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="alert_scan"
    )
    scanned_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.scanned_at:%Y-%m-%d %H:%M}"


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Nothing left to send")


class Event(models.TextChoices):
    RAISED = "alert.raised", _("Alert raised")
    RESOLVED = "alert.resolved", _("Alert resolved")
    DIGEST = "digest", _("Daily digest")


def _webhook_secret() -> str:
    return secrets.token_hex(32)


class WebhookEndpoint(models.Model):
    """An address that receives every alert as a signed JSON POST."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = models.CharField(max_length=64, default=_webhook_secret)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url


class NotificationPreference(models.Model):
    """A member's e-mail settings in one organisation (absent: the role's default)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email_digest = models.BooleanField(_("daily e-mail digest"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="one_notification_preference_per_member"
            )
        ]


class Digest(models.Model):
    """The daily e-mail of one member: the open alerts of the day."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    alerts = models.ManyToManyField(Alert, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "date"], name="one_digest_per_member_and_day"
            )
        ]


class Delivery(models.Model):
    """One way one alert (or digest) goes out to one recipient."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # "alert:<id>:<event>:<channel>:<recipient>" or "digest:<id>:<channel>:<recipient>":
    # one row per (alert or digest, channel, recipient), whoever creates it.
    key = models.CharField(max_length=120, unique=True)
    event = models.CharField(max_length=20, choices=Event.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    alert = models.ForeignKey(
        Alert, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event_id = models.UUIDField(default=uuid.uuid4, unique=True)
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # While pending: not before; while sending: the claim's lease runs out.
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state__in=["pending", "sending"]),
                name="delivery_due",
            )
        ]

    def __str__(self) -> str:
        return self.key
