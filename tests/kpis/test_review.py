"""The period review: verdicts, final values and % of target; printable and as PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers import clear_kpi_cache, pdf_text

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def quarter_kpis(make_kpi, check_in):
    won = make_kpi(
        name="K1 tilbud", start=dt.date(2027, 1, 1), end=dt.date(2027, 3, 31), target=Decimal(40)
    )
    check_in(won, {dt.date(2027, 2, 1): 25, dt.date(2027, 3, 20): 20})
    lost = make_kpi(
        name="K1 omsætning",
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 3, 31),
        target=Decimal(100_000),
        unit="currency",
    )
    check_in(lost, {dt.date(2027, 3, 1): 50_000})
    make_kpi(name="K2 køb", start=dt.date(2027, 4, 1), end=dt.date(2027, 6, 30))
    return won, lost


def test_the_review_gives_every_kpi_its_verdict_final_value_and_percent(
    alice_client, today, quarter_kpis
):
    response = alice_client.get("/review/?period=2027-K1", **EN)

    content = response.content.decode()
    rows = {row.kpi.name: row for row in response.context["rows"]}
    assert rows["K1 tilbud"].status == "achieved"
    assert (rows["K1 tilbud"].final, rows["K1 tilbud"].percent) == ("45", "112%")
    assert rows["K1 omsætning"].status == "missed"
    assert rows["K1 omsætning"].final == "50,000 DKK"
    assert "1 of 2 KPIs achieved" in content
    assert "Next period: 2027-Q2" in content
    assert "K2 køb" in content
    assert "Proposed: carry these goals over" in content


def test_the_review_speaks_danish_numbers(alice_client, today, quarter_kpis):
    response = alice_client.get("/review/?period=2027-K1")

    rows = {row.kpi.name: row for row in response.context["rows"]}
    assert rows["K1 omsætning"].final == "50.000 kr."


def test_the_review_has_a_print_stylesheet_and_a_pdf_link(alice_client, today, quarter_kpis):
    content = alice_client.get("/review/?period=2027-K1").content.decode()
    css = b"".join(alice_client.get("/static/ui/fokus.css").streaming_content).decode()

    assert "/review/pdf/?period=2027-K1" in content
    assert "@media print" in css


def test_the_pdf_is_a_real_pdf_with_the_kpis(alice_client, today, quarter_kpis):
    response = alice_client.get("/review/pdf/?period=2027-K1", **EN)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="fokus-2027-k1.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    texts = pdf_text(response.content)
    assert texts[:4] == [
        "Acme ApS",
        "Review of 2027-Q1",
        "1 January 2027 – 31 March 2027 · Final: the period ended 31 March 2027.",
        "1 of 2 KPIs achieved",
    ]
    rows = texts[texts.index("% of target") + 1 : texts.index("Next period: 2027-Q2")]
    assert rows == [
        *("K1 omsætning", "Missed", "50,000 DKK", "100,000 DKK", "50%"),
        *("K1 tilbud", "Achieved", "45", "40", "112%"),
    ]


def test_a_viewer_may_read_and_print_the_review(vera_client, today, quarter_kpis):
    assert vera_client.get("/review/?period=2027-K1").status_code == 200
    assert vera_client.get("/review/pdf/?period=2027-K1").status_code == 200


def test_an_outsider_sees_none_of_the_kpis(charlie_client, today, quarter_kpis):
    assert charlie_client.get("/review/?period=2027-K1").context["rows"] == []


def test_the_review_runs_the_same_number_of_queries_for_3_and_30_kpis(
    alice_client, today, make_kpi
):
    def count() -> int:
        clear_kpi_cache()
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get("/review/?period=2027").status_code == 200
        return len(queries)

    for n in range(3):
        make_kpi(name=f"KPI {n}")
    few = count()
    for n in range(3, 30):
        make_kpi(name=f"KPI {n}")

    assert count() == few
