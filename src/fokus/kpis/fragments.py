"""Dashboard cards rendered once and kept while what they show stays the same.

A card's HTML is cached under a digest of everything its templates read: the card's
formatted figures and texts, the KPI attributes in ``CARD_KPI_FIELDS``, whether the
user may edit, the language and the templates' own source. A changed figure, name,
language or template gives a new key, so a cached card is never out of date; a
dashboard of unchanged KPIs renders no card template at all.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields
from functools import lru_cache

from django.core.cache import caches
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from fokus.kpis.presenters import KpiCard
from fokus.kpis.selectors import KPI_CACHE

CARD_TEMPLATE = "kpis/_kpi_card.html"
# The card template and the ones it includes; their source is part of every key.
CARD_TEMPLATES = (
    CARD_TEMPLATE,
    "ui/_status_badge.html",
    "kpis/_meter.html",
    "kpis/_quick_checkin.html",
)
# The KPI attributes the card templates read (``card.kpi.<name>``); a test checks the
# templates read no other.
CARD_KPI_FIELDS = ("pk", "name", "focus", "measure", "start", "end")
# Card fields the templates never read directly: what they show is in the other fields.
_NOT_SHOWN = frozenset({"kpi", "evaluation", "open_items"})


@lru_cache(maxsize=1)
def _templates_digest() -> str:
    digest = hashlib.blake2b(digest_size=8)
    for name in CARD_TEMPLATES:
        digest.update(get_template(name).template.source.encode())  # type: ignore[attr-defined]
    return digest.hexdigest()


def card_key(card: KpiCard, *, can_edit: bool, language: str) -> str:
    shown = [getattr(card, f.name) for f in fields(card) if f.name not in _NOT_SHOWN]
    kpi = [getattr(card.kpi, name) for name in CARD_KPI_FIELDS]
    items = [(item.pk, item.name) for item in card.open_items]
    raw = repr((shown, kpi, items, can_edit, language, _templates_digest()))
    return "card:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def render_cards(cards: list[KpiCard], *, can_edit: bool) -> list[SafeString]:
    """The cards' HTML (closed, no check-in form open), rendering only those not cached."""
    language = get_language() or ""
    keys = [card_key(card, can_edit=can_edit, language=language) for card in cards]
    store = caches[KPI_CACHE]
    cached = store.get_many(keys)
    template = get_template(CARD_TEMPLATE)
    rendered: dict[str, str] = {}
    html = []
    for key, card in zip(keys, cards, strict=True):
        fragment = cached.get(key)
        if fragment is None:
            fragment = rendered[key] = template.render({"card": card, "can_edit": can_edit})
        html.append(mark_safe(fragment))  # rendered by our own (autoescaping) template
    if rendered:
        store.set_many(rendered)
    return html
