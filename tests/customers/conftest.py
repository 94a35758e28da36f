"""Fixtures of the customer-register tests: contacts logged through the service."""

from __future__ import annotations

import pytest
from django.utils import timezone

from fokus.customers.services import contact_log
from tests.helpers import TODAY


@pytest.fixture
def log_contact():
    """Log a contact with ``customer`` on ``date`` (today is TODAY, or ``date`` if later)."""

    def log(customer, date, **fields):
        fields.setdefault("today", max(date, TODAY))
        fields.setdefault("now", timezone.now())
        return contact_log(customer=customer, date=date, **fields)

    return log
