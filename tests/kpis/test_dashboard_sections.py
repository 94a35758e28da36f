"""The dashboard's hook for the areas built on the KPIs: ``dashboard_sections`` asks every
receiver for a section, so the KPI app shows what another app renders without importing
it (ARCHITECTURE.md)."""

from __future__ import annotations

import pytest
from django.utils.safestring import mark_safe

from fokus.core.periods import parse_period
from fokus.kpis.signals import DashboardSection, dashboard_sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def receivers():
    """Connect receivers for one test only."""
    connected = []

    def connect(receiver):
        dashboard_sections.connect(receiver, weak=False)
        connected.append(receiver)

    yield connect
    for receiver in connected:
        dashboard_sections.disconnect(receiver)


def test_every_section_answered_is_shown_in_its_order(alice_client, org, today, receivers):
    asked = []

    def late(**kwargs):
        asked.append(kwargs)
        return DashboardSection(key="b", html=mark_safe("<section id='late'></section>"), order=200)

    def early(**kwargs):
        return DashboardSection(key="a", html=mark_safe("<section id='early'></section>"), order=1)

    def silent(**kwargs):
        return None

    for receiver in (late, silent, early):
        receivers(receiver)

    content = alice_client.get("/?period=2027-K2").content.decode()

    assert content.index("<section id='early'>") < content.index("<section id='late'>")
    [call] = asked
    assert call["organisation"] == org
    assert call["period"] == parse_period("2027-K2")  # the period shown
    assert call["today"] == today
    assert call["can_edit"] is True
    assert call["request"].path == "/"


def test_a_viewer_is_asked_for_as_one_who_may_not_edit(vera_client, today, receivers):
    asked = []
    receivers(lambda **kwargs: asked.append(kwargs["can_edit"]))

    vera_client.get("/")

    assert asked == [False]
