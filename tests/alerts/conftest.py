"""Fixtures of the alert tests: a customer the scan finds overdue."""

from __future__ import annotations

import pytest


@pytest.fixture
def overdue_customer(make_customer):
    """Customer since 1 January, never contacted: due 1 April, overdue on 30 June."""
    return make_customer()
