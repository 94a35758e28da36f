"""Fixtures of the shared-UI tests."""

from tests.kpis.conftest import (  # noqa: F401 (fixtures)
    alice_client,
    check_in,
    on_track_kpi,
    today,
)
