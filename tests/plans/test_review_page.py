"""The one review page of a period at /review/: every KPI's verdict, value and % of target,
what moved in percentage points of the target, the funnels' bottleneck told truly, the
customers' monitors left out; printable and as one PDF. The old address under /plans/
redirects to it with the same query.

(This was the KPI app's own review page; the two pages are one now, in the plans' words.)"""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fokus.core.periods import parse_period
from fokus.plans.review import change_text, plan_review
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


def test_the_review_gives_every_kpi_its_verdict_value_and_percent(
    alice_client, today, quarter_kpis
):
    response = alice_client.get("/review/?period=2027-K1", **EN)

    content = response.content.decode()
    rows = {row.kpi.name: row for row in response.context["review"].rows}
    assert rows["K1 tilbud"].status == "achieved"
    assert (rows["K1 tilbud"].final, rows["K1 tilbud"].percent) == ("45", "112%")
    assert rows["K1 omsætning"].status == "missed"
    assert rows["K1 omsætning"].final == "50,000 DKK"
    assert "1 of 2 KPIs achieved" in content
    assert "Final: the period ended 31 March 2027." in content
    assert "Proposed for 2027-Q2" in content
    assert "K2 køb" in content  # set already for the next period
    assert "Missed: carry over with adjusted targets" in content
    assert 'aria-current="page">Review<' in content  # the main navigation's page


def test_the_review_speaks_danish_numbers(alice_client, today, quarter_kpis):
    response = alice_client.get("/review/?period=2027-K1")

    rows = {row.kpi.name: row for row in response.context["review"].rows}
    assert rows["K1 omsætning"].final == "50.000 kr."


def test_what_moved_is_told_in_percentage_points_of_the_target(alice_client, today, quarter_kpis):
    english = alice_client.get("/review/?period=2027-K1", **EN).context["review"]
    danish = alice_client.get("/review/?period=2027-K1").content.decode()

    moved = {m.kpi.name: m.change for m in english.moved}
    assert moved == {"K1 tilbud": "+112.5 pp of target", "K1 omsætning": "+50 pp of target"}
    assert "+50 %-point af målet" in danish
    assert change_text(0.85) == "+85 %-point af målet"
    assert change_text(-0.125) == "−12,5 %-point af målet"


def test_the_review_has_a_print_stylesheet_and_a_pdf_link(alice_client, today, quarter_kpis):
    content = alice_client.get("/review/?period=2027-K1").content.decode()
    css = b"".join(alice_client.get("/static/ui/fokus.css").streaming_content).decode()

    assert "/review/pdf/?period=2027-K1" in content
    assert "@media print" in css


def test_the_pdf_is_the_pages_review(alice_client, today, quarter_kpis):
    response = alice_client.get("/review/pdf/?period=2027-K1", **EN)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="fokus-review-2027-k1.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    texts = pdf_text(response.content)
    assert texts[:4] == [
        "Acme ApS",
        "Review of 2027-Q1",
        "1 January 2027 – 31 March 2027 · Final: the period ended 31 March 2027.",
        "1 of 2 KPIs achieved",
    ]
    rows = texts[texts.index("% of target") + 1 : texts.index("What moved")]
    assert rows == [
        *("K1 omsætning", "Missed", "50,000 DKK", "100,000 DKK", "50%"),
        *("K1 tilbud", "Achieved", "45", "40", "112%"),
    ]
    assert "+112.5 pp of target" in texts
    assert "No funnel is planned for this period." in texts


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/plans/review/?period=2027-K1", "/review/?period=2027-K1"),
        ("/plans/review/pdf/?period=2027-K1&x=1", "/review/pdf/?period=2027-K1&x=1"),
        ("/plans/review/", "/review/"),
    ],
)
def test_the_old_address_redirects_to_the_one_review_with_its_query(alice_client, old, new):
    response = alice_client.get(old)

    assert response.status_code == 301
    assert response["Location"] == new


def test_the_old_create_address_keeps_the_post(alice_client):
    response = alice_client.post("/plans/review/create/", {"period": "2027"})

    assert response.status_code == 307
    assert response["Location"] == "/review/create/"


def test_a_viewer_may_read_and_print_the_review(vera_client, today, quarter_kpis):
    assert vera_client.get("/review/?period=2027-K1").status_code == 200
    assert vera_client.get("/review/pdf/?period=2027-K1").status_code == 200


def test_an_outsider_sees_none_of_the_kpis(charlie_client, today, quarter_kpis):
    assert charlie_client.get("/review/?period=2027-K1").context["review"].rows == []


def test_a_customers_monitor_gets_no_verdict_in_the_review(
    alice_client, today, org, make_kpi, make_customer, check_in
):
    customer = make_customer()
    monitor = make_kpi(name="Omsætning hos Bageriet", customer_id=customer.pk, target=Decimal(5))
    check_in(monitor, {dt.date(2027, 3, 1): 1})
    make_kpi(name="Nye kunder")

    response = alice_client.get("/review/?period=2027", **EN)
    review = response.context["review"]
    content = html.unescape(response.content.decode())

    assert [row.kpi.name for row in review.rows] == ["Nye kunder"]
    assert all(m.kpi != monitor for m in review.moved)
    assert review.monitors == 1
    assert "Omsætning hos Bageriet" not in content
    assert "1 KPI follows a customer" in content and "customers' pages" in content
    assert 'href="/customers/"' in content
    again = plan_review(organisation=org, period=parse_period("2027"), today=dt.date(2028, 1, 5))
    assert monitor not in [c.kpi for c in again.carry_over]


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
