"""The revenue planner page: the article's levers, the realism warning, one click."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from fokus.customers.services import customer_create
from fokus.kpis.models import Kpi
from tests.helpers import TODAY


def text_of(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>([^<]+)<', html)
    assert match, element_id
    return match[1].replace("\xa0", " ")


def test_the_article_levers_in_danish(alice_client):
    html = alice_client.get(reverse("plans:revenue")).content.decode()
    assert text_of(html, "new-revenue") == "1.000.000 kr."
    assert 'id="retention-table"' in html


def test_retention_for_15_customers_and_why_stop_at_2_months(alice_client, org):
    for n in range(15):
        customer_create(
            organisation=org,
            name=f"Kunde {n}",
            since=dt.date(2020, 1, 1),
            today=TODAY,
        )
    query = {"retention_months": "2", "retention_default": "10.000", "upsell_mode": "fixed"}
    html = alice_client.get(reverse("plans:revenue"), query).content.decode()
    assert text_of(html, "retention-revenue") == "300.000 kr."
    rows = re.findall(r"<tr><td>(\d+)</td><td class=\"num\">([^<]+)</td></tr>", html)
    assert [(m, v.replace("\xa0", " ")) for m, v in rows] == [
        ("2", "300.000 kr."),
        ("3", "450.000 kr."),
        ("6", "900.000 kr."),
        ("12", "1.800.000 kr."),
    ]


def test_one_click_creates_the_matching_kpis(alice_client):
    query = {"new_count": "10", "new_spend": "100.000", "upsell_mode": "fixed", "period": "2027"}
    response = alice_client.post(reverse("plans:revenue"), query)
    assert response.status_code == 302
    assert sorted(int(k.target) for k in Kpi.objects.all()) == [10, 1_000_000]


def test_a_negative_amount_is_refused_at_its_field(alice_client):
    query = {"new_count": "10", "new_spend": "-5", "upsell_mode": "fixed"}
    response = alice_client.post(reverse("plans:revenue"), query)
    assert response.status_code == 200 and b"field-error" in response.content
    assert Kpi.objects.count() == 0


def test_a_negative_fixed_upsell_counts_as_0_kr(alice_client, org):
    for n in range(3):
        customer_create(
            organisation=org,
            name=f"Kunde {n}",
            since=dt.date(2020, 1, 1),
            today=TODAY,
        )
    query = {"upsell_mode": "fixed", "upsell_value": "-5.000"}
    response = alice_client.get(reverse("plans:revenue"), query)
    html = response.content.decode()
    assert response.status_code == 200 and "field-error" not in html
    assert text_of(html, "upsell-revenue") == "0 kr."
    positive = alice_client.get(reverse("plans:revenue"), {**query, "upsell_value": "5.000"})
    assert text_of(positive.content.decode(), "upsell-revenue") == "15.000 kr."


def test_an_upsell_that_is_not_a_number_is_refused_at_its_field(alice_client):
    query = {"upsell_mode": "fixed", "upsell_value": "fem tusind"}
    response = alice_client.post(reverse("plans:revenue"), query)
    assert response.status_code == 200 and b"field-error" in response.content
    assert Kpi.objects.count() == 0


def test_a_viewer_plans_but_cannot_create(vera_client, today):
    assert vera_client.get(reverse("plans:revenue")).status_code == 200
    query = {"new_count": "10", "new_spend": "100000", "upsell_mode": "fixed"}
    assert vera_client.post(reverse("plans:revenue"), query).status_code == 403
    assert Kpi.objects.count() == 0
