"""The review at the end of each quarter and year: verdicts, what moved, the bottleneck
and the next period's proposed KPIs, as a page, a PDF, an e-mail and a CLI command."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fokus.core.periods import Period, parse_period
from fokus.kpis.models import Kpi
from fokus.plans.mail import review_mails_all
from fokus.plans.models import ReviewMail
from fokus.plans.review import plan_review, review_period
from tests.helpers import clear_kpi_cache

NEW_YEAR = dt.datetime(2028, 1, 2, 8, 0, tzinfo=dt.UTC)  # 09:00 in Copenhagen


@pytest.fixture
def new_year_client(client, alice, time_machine):
    """alice logged in on 2 January 2028, just after the year ended."""
    time_machine.move_to(NEW_YEAR, tick=False)
    client.force_login(alice)
    return client


@pytest.fixture
def finished_year(article_funnel, stage_kpis, make_kpi, record):
    """2027 is over: the funnel's stages reached 8,000 / 640 / 30 / 8, and "Nye kunder"
    got 7 of its 10."""
    for kpi, value in zip(stage_kpis, [8000, 640, 30, 8], strict=True):
        record(kpi, kpi.start, value)
    customers = make_kpi(name="Nye kunder", target=Decimal(10))
    record(customers, dt.date(2027, 5, 1), 7)
    return customers


def test_the_default_review_is_the_last_quarter_or_after_k4_the_year():
    assert review_period(dt.date(2027, 7, 5)) == parse_period("2027-K2")
    assert review_period(dt.date(2027, 4, 1)) == parse_period("2027-K1")
    assert review_period(dt.date(2028, 1, 2)) == parse_period("2027")


def test_the_years_review_proposes_next_years_kpis(org, finished_year):
    review = plan_review(organisation=org, period=parse_period("2027"), today=dt.date(2028, 1, 5))

    assert review.finished
    assert {row.kpi.name: row.status for row in review.rows}["Nye kunder"] == "missed"
    assert len(review.moved) == 5
    [bottleneck] = review.bottlenecks
    assert (bottleneck.upper.position, bottleneck.lower.position) == (0, 1)  # 8 % of 10 %
    [carry] = review.carry_over
    assert carry.kpi == finished_year
    assert (carry.spec.start, carry.spec.end) == (dt.date(2028, 1, 1), dt.date(2028, 12, 31))
    assert (carry.spec.baseline, carry.spec.target) == (Decimal(7), Decimal(10))
    assert [(s.stage.position, s.proposed) for s in review.next_stages] == [
        (1, 800),  # 8,000 heard at 10 %
        (2, 32),  # 640 visits at 5 %
        (3, 7),  # 30 quotes at 25 % = 7.5
    ]
    [next_funnel] = review.next_funnels
    assert "period=2028" in next_funnel.url and "rate_0=8" in next_funnel.url


def test_the_review_page_shows_verdicts_bottleneck_and_proposals_in_danish(
    new_year_client, finished_year
):
    page = new_year_client.get(reverse("review"))  # the year 2027, just ended

    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="verdicts"' in html and 'id="moved"' in html
    assert 'id="review-bottleneck"' in html
    assert re.search(r"”\s8\s%\s", html)  # the actual conversion, in Danish
    assert f'name="kpi" value="{finished_year.pk}"' in html
    assert html.count('class="next-stage"') == 3


def test_one_click_carries_the_missed_kpis_over(new_year_client, finished_year):
    response = new_year_client.post(
        reverse("review_create"), {"period": "2027", "kpi": [str(finished_year.pk)]}
    )

    assert response.status_code == 302
    carried = Kpi.objects.get(name="Nye kunder", start=dt.date(2028, 1, 1))
    assert (carried.baseline, carried.target, carried.end) == (7, 10, dt.date(2028, 12, 31))


def test_the_review_pdf_is_a_pdf(new_year_client, finished_year):
    response = new_year_client.get(reverse("review_pdf"), {"period": "2027"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="fokus-review-2027.pdf"' in response["Content-Disposition"]


def test_the_review_mail_goes_once_to_every_member_in_their_language(
    org, alice, bob, vera, finished_year, smtp_server
):
    bob.language = "en"
    bob.save(update_fields=["language"])

    assert review_mails_all(now=NEW_YEAR) == 3
    assert review_mails_all(now=NEW_YEAR + dt.timedelta(hours=1)) == 0  # once

    by_recipient = {m["To"]: m for m in smtp_server.messages}
    assert sorted(by_recipient) == ["alice@example.com", "bob@example.com", "vera@example.com"]
    english = by_recipient["bob@example.com"]
    assert english["Subject"] == "Fokus: review of 2027 for Acme ApS"
    text = english.get_body(("plain",)).get_content()
    assert "1 of 5 KPIs achieved" in text
    assert "Nye kunder" in text and "/review/?period=2027" in text
    assert "/plans/review/" not in text  # the one review page
    html = by_recipient["alice@example.com"].get_body(("html",)).get_content()
    assert '<html lang="da">' in html
    assert ReviewMail.objects.count() == 3


def test_no_review_mail_is_due_in_the_middle_of_a_quarter(org, alice, smtp_server):
    assert review_mails_all(now=dt.datetime(2027, 5, 15, 8, 0, tzinfo=dt.UTC)) == 0
    assert smtp_server.messages == []


def test_the_cli_prints_the_review_and_sends_it(org, alice, finished_year, smtp_server):
    out = StringIO()
    call_command(
        "plans",
        "review",
        "--period",
        "2027",
        "--as-of",
        "2028-01-05",
        "--json",
        "--send",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["sent"] == 1
    assert data["period"] == {"start": "2027-01-01", "end": "2027-12-31"}
    assert [p["kind"] for p in data["proposed"]] == ["carry_over"] + ["funnel_stage"] * 3


def test_the_review_page_costs_the_same_queries_with_more_kpis(
    new_year_client, finished_year, make_kpi, record
):
    url = reverse("review") + "?period=2027"
    new_year_client.get(url)
    clear_kpi_cache()
    with CaptureQueriesContext(connection) as few:
        new_year_client.get(url)
    for n in range(10):
        record(make_kpi(name=f"Mål {n}", target=Decimal(5)), dt.date(2027, 3, 1), 1)
    clear_kpi_cache()
    with CaptureQueriesContext(connection) as many:
        new_year_client.get(url)
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as cached:
        new_year_client.get(url)
    assert len(cached) <= len(many)


def test_an_outsider_sees_only_their_own_review(client, charlie, finished_year, time_machine):
    time_machine.move_to(NEW_YEAR, tick=False)
    client.force_login(charlie)
    html = client.get(reverse("review")).content.decode()
    assert "Nye kunder" not in html
    response = client.post(
        reverse("review_create"), {"period": "2027", "kpi": [str(finished_year.pk)]}
    )
    assert response.status_code == 302
    assert not Kpi.objects.filter(start=dt.date(2028, 1, 1)).exists()


def test_the_review_on_1_october_is_of_the_third_quarter():
    assert review_period(dt.date(2027, 10, 1)) == Period(dt.date(2027, 7, 1), dt.date(2027, 9, 30))


def test_the_page_the_mail_and_the_cli_say_the_same(
    new_year_client, org, alice, finished_year, smtp_server
):
    """One set of words: the bottleneck and what moved read the same everywhere, and the
    bottleneck names every conversion below plan and every stage that fell short."""
    page = unescape(new_year_client.get(reverse("review"), {"period": "2027"}).content.decode())
    review = plan_review(organisation=org, period=parse_period("2027"), today=dt.date(2028, 1, 2))
    notes = [note.text for note in review.funnel_notes]
    out = StringIO()
    call_command(
        "plans",
        "review",
        "--period",
        "2027",
        "--as-of",
        "2028-01-02",
        "--json",
        "--send",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    text = smtp_server.messages[0].get_body(("plain",)).get_content()

    assert len(notes) == 5  # 2 conversions below plan, 3 stages short of their targets
    assert [b["text"] for b in data["bottlenecks"]] + [
        m["text"] for m in data["missed_stages"]
    ] == notes
    assert data["funnels_fine"] is None
    for note in notes:
        assert note in page
        assert note in text
    [moved] = [m for m in data["moved"] if m["name"] == "Nye kunder"]
    assert moved["change"] == "+70 %-point af målet" and moved["points"] == 70.0
    assert "+70 %-point af målet" in page and "+70 %-point af målet" in text
