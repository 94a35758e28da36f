"""Strings with a count say "1 day" / "2 days" (Danish "1 dag" / "2 dage"): they are
plural-aware, in both languages."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from fokus.accounts import throttle
from fokus.accounts.forms import EmailAuthenticationForm
from fokus.dataio.errors import DataError
from fokus.kpis.sentences import kpi_sentence

YEAR = {"start": dt.date(2027, 1, 1), "end": dt.date(2027, 12, 31)}


def _invitation(days: int) -> str:
    return render_to_string(
        "accounts/email/invitation.txt",
        {
            "inviter": SimpleNamespace(email="alice@example.com"),
            "organisation": SimpleNamespace(name="Firma A/S"),
            "role": "Editor",
            "link": "https://fokus.example/invitation/x",
            "days": days,
        },
    )


def _digest(days: int) -> str:
    return render_to_string(
        "alerts/email/digest.txt",
        {
            "organisation": SimpleNamespace(name="Firma A/S"),
            "date": dt.date(2027, 6, 30),
            "items": [],
            "inbox_url": "https://fokus.example/alerts/",
            "link_days": days,
        },
    )


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        (
            "en",
            "The link works once and for 1 day.",
            "The link works once and for 2 days.",
        ),
        ("da", "Linket virker én gang og i 1 dag.", "Linket virker én gang og i 2 dage."),
    ],
)
def test_the_invitation_says_how_many_days_the_link_works(language, one, two):
    with translation.override(language):
        assert one in _invitation(1)
        assert two in _invitation(2)


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "They work once, for 1 day.", "They work once, for 2 days."),
        ("da", "De virker én gang og i 1 dag.", "De virker én gang og i 2 dage."),
    ],
)
def test_the_digest_says_how_many_days_its_links_work(language, one, two):
    with translation.override(language):
        assert one in _digest(1)
        assert two in _digest(2)


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        (
            "en",
            "1 of 3 rows is invalid; nothing was imported (fix it,",
            "2 of 3 rows are invalid; nothing was imported (fix them,",
        ),
        (
            "da",
            "1 af 3 rækker er ugyldig; intet blev importeret (ret den,",
            "2 af 3 rækker er ugyldige; intet blev importeret (ret dem,",
        ),
    ],
)
def test_a_lazy_plural_error_message_picks_its_form_by_the_count(language, one, two):
    with translation.override(language):
        assert DataError("rows_invalid", count=1, rows=3).message.startswith(one)
        assert DataError("rows_invalid", count=2, rows=3).message.startswith(two)


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "Liste: tick off 1 item in the period", "Liste: tick off 2 items in the period"),
        ("da", "Liste: sæt flueben ved 1 punkt i perioden", "Liste: sæt flueben ved 2 punkter"),
    ],
)
def test_a_checklist_sentence_counts_its_items(language, one, two):
    with translation.override(language):
        sentences = [
            kpi_sentence(name="Liste", target=None, measure="checklist", items=n, **YEAR)
            for n in (1, 2)
        ]

    assert sentences[0].startswith(one)
    assert sentences[1].startswith(two)


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "Wait 1 minute and try again", "Wait 2 minutes and try again"),
        ("da", "Vent 1 minut, og prøv igen", "Vent 2 minutter, og prøv igen"),
    ],
)
def test_the_login_lockout_says_how_many_minutes_to_wait(monkeypatch, language, one, two):
    monkeypatch.setattr(throttle, "login_blocked", lambda **_kwargs: True)
    errors = []
    for minutes in (1, 2):
        monkeypatch.setattr(throttle, "window_minutes", lambda minutes=minutes: minutes)
        form = EmailAuthenticationForm(
            RequestFactory().post("/login/"),
            data={"username": "alice@example.com", "password": "wrong"},
        )
        with translation.override(language):
            assert not form.is_valid()
            errors.append(" ".join(form.non_field_errors()))

    assert one in errors[0]
    assert two in errors[1]
