"""Dashboard cards come from the cache only while they would render the same: a second
look after any change shows the change."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.template.loader import get_template

from fokus.kpis.fragments import CARD_KPI_FIELDS, CARD_TEMPLATES
from fokus.kpis.services import kpi_update


def _source(name: str) -> str:
    return get_template(name).template.source


def _card(html: str, kpi) -> str:
    match = re.search(rf'<li class="card kpi-card" id="card-{kpi.pk}">.*?</li>', html, re.S)
    assert match, f"no card for {kpi.name}"
    return match.group(0)


def test_a_new_check_in_shows_on_the_cached_card(alice_client, on_track_kpi, check_in):
    before = _card(alice_client.get("/").content.decode(), on_track_kpi)
    assert _card(alice_client.get("/").content.decode(), on_track_kpi) == before  # cached

    check_in(on_track_kpi, {dt.date(2027, 6, 29): 4})

    after = _card(alice_client.get("/").content.decode(), on_track_kpi)
    assert ">10<" in after  # 1 + 2 + 3 + 4 of 10: achieved
    assert after != before


def test_a_renamed_kpi_shows_its_new_name(alice_client, alice, on_track_kpi):
    alice_client.get("/")

    kpi_update(kpi=on_track_kpi, user=alice, name="Nye kunder i Jylland")

    assert "Nye kunder i Jylland" in _card(alice_client.get("/").content.decode(), on_track_kpi)


def test_language_and_role_each_get_their_own_card(client, alice, vera, on_track_kpi, today):
    client.force_login(alice)
    danish = _card(client.get("/").content.decode(), on_track_kpi)
    english = _card(client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode(), on_track_kpi)
    assert "På sporet" in danish and "On track" in english

    client.force_login(vera)
    viewer = _card(client.get("/").content.decode(), on_track_kpi)
    assert "Registrér" in danish
    assert "Registrér" not in viewer


def test_a_new_day_moves_the_days_left(alice_client, on_track_kpi, time_machine):
    assert "184 dage tilbage" in _card(alice_client.get("/").content.decode(), on_track_kpi)

    time_machine.move_to(dt.datetime(2027, 7, 1, 12, 0, tzinfo=dt.UTC), tick=False)

    assert "183 dage tilbage" in _card(alice_client.get("/").content.decode(), on_track_kpi)


def test_the_card_templates_read_only_the_kpi_fields_in_the_cache_key():
    used = set()
    for name in CARD_TEMPLATES:
        used |= set(re.findall(r"card\.kpi\.(\w+)", _source(name)))
        # A card template passing the whole KPI on would hide what it reads.
        assert not re.search(r"card\.kpi(?![.\w])", _source(name)), name
    assert used <= set(CARD_KPI_FIELDS)


def test_the_focus_flag_is_part_of_the_card(alice_client, alice, on_track_kpi):
    alice_client.get("/")

    kpi_update(kpi=on_track_kpi, user=alice, focus=False, target=Decimal(12))

    card = _card(alice_client.get("/").content.decode(), on_track_kpi)
    assert "Fokus" not in card
    assert "af 12" in card
