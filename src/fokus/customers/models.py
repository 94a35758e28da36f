from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from fokus.accounts.models import Organisation
from fokus.core.contact import counted_from
from fokus.kpis.models import value_field

# ``Customer.counted_from`` in SQL: the later of the last contact and the clock start,
# else customer since. Both arguments of GREATEST are never NULL (SQLite would answer NULL).
COUNTED_FROM = Greatest(
    Coalesce("last_contact_on", "clock_start", "since"),
    Coalesce("clock_start", "last_contact_on", "since"),
)


class CustomerStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    ACTIVE = "active", _("Active")
    FORMER = "former", _("Former")


class ContactKind(models.TextChoices):
    CALL = "call", _("Call")
    EMAIL = "email", _("E-mail")
    MEETING = "meeting", _("Meeting")
    ADVISORY = "advisory", _("Advisory meeting")
    OTHER = "other", _("Other")


class AdvisoryStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    BOOKED = "booked", _("Booked")
    HELD = "held", _("Held")
    DECLINED = "declined", _("Declined")


OPEN_ADVISORY = (AdvisoryStatus.OFFERED, AdvisoryStatus.BOOKED)


class Tag(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="tag_name_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="customers"
    )
    name = models.CharField(_("name"), max_length=200)
    cvr = models.CharField(_("CVR number"), max_length=8, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CustomerStatus.choices, default=CustomerStatus.ACTIVE
    )
    since = models.DateField(_("customer since"))
    monthly_revenue = models.DecimalField(
        _("monthly revenue"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    contact_interval_months = models.PositiveSmallIntegerField(
        _("contact interval (months)"), default=3
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="customers", verbose_name=_("tags"))
    # When the contact history is unknown (an import, a register started today), the day
    # the contact rule starts counting from; it is no contact (docs/engine.md).
    clock_start = models.DateField(_("count contact from"), null=True, blank=True)
    # Kept on the row by the contact service so the due scan is one indexed query.
    last_contact_on = models.DateField(null=True, blank=True)
    contact_due_on = models.DateField()
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    snooze_reason = models.CharField(_("reason"), max_length=200, blank=True)
    # The yearly advisory meeting, kept on the row by the contact and advisory services:
    # the base of the cycle (docs/engine.md: the latest held meeting; null = customer since),
    # its due date, and after a declined meeting the day until which the advisory alert
    # keeps quiet (the day the next cycle would have started), like a snooze.
    advisory_base_on = models.DateField(null=True, blank=True)
    advisory_due_on = models.DateField(null=True, blank=True)
    advisory_snoozed_until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(
                fields=["organisation", "contact_due_on"],
                condition=models.Q(status="active"),
                name="customer_active_due",
            ),
            # The worker's scan across every organisation.
            models.Index(
                fields=["contact_due_on"],
                condition=models.Q(status="active"),
                name="customer_active_due_all",
            ),
            models.Index(
                fields=["organisation", "advisory_due_on"],
                condition=models.Q(status="active"),
                name="customer_active_advisory",
            ),
            # The list's default order: longest since the last contact first.
            models.Index(
                models.F("organisation"),
                COUNTED_FROM,
                models.F("name"),
                models.F("id"),
                name="customer_counted_from",
            ),
            models.Index(fields=["organisation", "name", "id"], name="customer_by_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def counted_from(self) -> dt.date:
        """The last contact as the contact rule counts it: the latest logged contact or the
        clock start, else customer since (``COUNTED_FROM`` in the database)."""
        return counted_from(
            since=self.since, last_contact=self.last_contact_on, clock_start=self.clock_start
        )


class Contact(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField(_("date"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=ContactKind.choices, default=ContactKind.CALL
    )
    note = models.TextField(_("note"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["customer", "date"])]


class RevenueEntry(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="revenue")
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    description = models.CharField(_("description"), max_length=300, blank=True)
    external_id = models.CharField(max_length=200, null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("revenue entry")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["customer", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "external_id"],
                condition=models.Q(external_id__isnull=False),
                name="revenue_external_id_per_customer",
            )
        ]


class Partner(models.Model):
    """A business the organisation refers customers to for a need it does not cover."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partners"
    )
    name = models.CharField(_("name"), max_length=200)
    speciality = models.CharField(_("speciality"), max_length=200, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="partner_name_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class AdvisoryMeeting(models.Model):
    """One cycle's yearly advisory meeting: offered → booked → held / declined."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="advisory_meetings"
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=AdvisoryStatus.choices)
    offered_on = models.DateField(_("offered on"), null=True, blank=True)
    booked_for = models.DateField(_("booked for"), null=True, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    declined_on = models.DateField(_("declined on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("advisory meeting")
        ordering = ["-due_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(status__in=["offered", "booked"]),
                name="one_open_advisory_per_customer",
            )
        ]
        indexes = [models.Index(fields=["customer", "status"])]

    @property
    def date(self) -> dt.date:
        """The date the meeting's current state happened (or is planned) on."""
        return self.held_on or self.declined_on or self.booked_for or self.offered_on or self.due_on


class Referral(models.Model):
    """A need found at a customer, referred to a partner who specialises in it."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="referrals")
    partner = models.ForeignKey(Partner, on_delete=models.RESTRICT, related_name="referrals")
    meeting = models.ForeignKey(
        AdvisoryMeeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    date = models.DateField(_("date"))
    need = models.TextField(_("need"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        ordering = ["-date", "-id"]


class Monitor(models.Model):
    """A measurement point at a customer: a KPI scoped to the customer, with thresholds and
    the number of days within which a new reading is expected."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="monitors"
    )
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="monitors")
    kpi = models.OneToOneField("kpis.Kpi", on_delete=models.CASCADE, related_name="monitor")
    lower = value_field(_("lower limit"), null=True, blank=True)
    upper = value_field(_("upper limit"), null=True, blank=True)
    cadence_days = models.PositiveSmallIntegerField(_("expect a reading every (days)"))
    watching_since = models.DateField(_("watching since"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("monitor")
        ordering = ["customer", "id"]
        indexes = [models.Index(fields=["organisation", "customer"])]

    def __str__(self) -> str:
        return self.kpi.name
