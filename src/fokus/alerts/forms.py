"""Forms of the alert pages (the services check again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fokus.customers.models import ContactKind


class SnoozeForm(forms.Form):
    until = forms.DateField(label=_("Snooze until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices, initial=ContactKind.CALL)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class InboxFilterForm(forms.Form):
    """The inbox's filters (GET): a kind of alert and a state; a bad value is no filter."""

    group = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("All kinds")),
            ("customers", _("Customers to contact")),
            ("advisory", _("Advisory meetings")),
            ("monitors", _("Monitors")),
            ("kpis", _("KPIs")),
        ],
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All states")),
            ("open", _("Open")),
            ("acknowledged", _("Acknowledged")),
            ("snoozed", _("Snoozed")),
        ],
    )


class BulkForm(forms.Form):
    """What to do with the ticked alerts (their ids come as the ``alert`` list)."""

    action = forms.ChoiceField(
        label=_("Action"), choices=[("ack", _("Acknowledge")), ("snooze", _("Snooze"))]
    )
    until = forms.DateField(
        label=_("Snooze until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
