"""The KPI as one plain sentence, in both languages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import translation

from fokus.kpis.sentences import kpi_sentence, period_phrase

YEAR = {"start": dt.date(2027, 1, 1), "end": dt.date(2027, 12, 31)}


def test_a_period_in_one_year_names_the_year_once_in_danish_and_english():
    with translation.override("da"):
        assert period_phrase(**YEAR) == "1. januar – 31. december 2027"
    with translation.override("en"):
        assert period_phrase(**YEAR) == "1 January – 31 December 2027"


def test_a_period_across_years_names_both_years():
    with translation.override("da"):
        text = period_phrase(dt.date(2027, 7, 1), dt.date(2028, 6, 30))

    assert text == "1. juli 2027 – 30. juni 2028"


def test_the_articles_example_sentence_in_english():
    with translation.override("en"):
        text = kpi_sentence(
            name="Nye kunder", target=Decimal(10), unit_label="new customers", **YEAR
        )

    assert text == "Get 10 new customers in the period 1 January – 31 December 2027"


def test_money_is_formatted_the_danish_way_and_the_name_says_what():
    with translation.override("da"):
        text = kpi_sentence(name="Omsætning", target=Decimal(1_000_000), unit="currency", **YEAR)

    assert text.startswith("Omsætning: ")
    assert "1.000.000 kr." in text
    assert text.endswith("1. januar – 31. december 2027")


def test_recurring_rank_and_checklist_kpis_read_naturally():
    with translation.override("en"):
        readers = kpi_sentence(
            name="Læsere",
            target=None,
            interval="month",
            interval_target=Decimal(100),
            unit_label="new readers",
            **YEAR,
        )
        rank = kpi_sentence(
            name="Google",
            target=Decimal(3),
            unit="rank",
            direction="decrease",
            measure="last",
            **YEAR,
        )
        checklist = kpi_sentence(
            name="LinkedIn", target=Decimal(15), measure="checklist", items=15, **YEAR
        )

    assert readers == "Get 100 new readers every month in the period 1 January – 31 December 2027"
    assert rank == "Google: reach no. 3 in the period 1 January – 31 December 2027"
    assert checklist == "LinkedIn: tick off 15 items in the period 1 January – 31 December 2027"
