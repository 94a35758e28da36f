"""Fixtures of the data in/out tests: the KPI the files check in on."""

from __future__ import annotations

import pytest


@pytest.fixture
def kpi(make_kpi):
    return make_kpi(name="Nye kunder")
