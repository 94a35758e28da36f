from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fokus.dataio.errors import DataError
from fokus.dataio.parsing import NumberStyle, cell_text, column_style, parse_day, parse_number
from fokus.errors import InputError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,50", "1234.50"),
        ("1234,5", "1234.5"),
        ("1234.50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1.234.567", "1234567"),
        ("-12,5", "-12.5"),
        ("  7 ", "7"),
        ("1 234,50", "1234.50"),
        ("12.500 kr.", "12500"),
        ("DKK 99,95", "99.95"),
        ("\u22123", "-3"),
    ],
)
def test_danish_and_english_numbers_are_read(text, expected):
    assert parse_number(text, style=NumberStyle.DANISH) == Decimal(expected)


def test_an_ambiguous_number_follows_the_columns_style():
    assert parse_number("1.234", style=NumberStyle.DANISH) == Decimal(1234)
    assert parse_number("1.234", style=NumberStyle.ENGLISH) == Decimal("1.234")
    assert parse_number("1,234", style=NumberStyle.DANISH) == Decimal("1.234")
    assert parse_number("1,234", style=NumberStyle.ENGLISH) == Decimal(1234)


def test_a_columns_unambiguous_values_decide_its_style():
    assert column_style(["1.234", "2,5"], NumberStyle.ENGLISH) == NumberStyle.DANISH
    assert column_style(["1.234", "2.50"], NumberStyle.DANISH) == NumberStyle.ENGLISH
    assert column_style(["1.234", "7"], NumberStyle.ENGLISH) == NumberStyle.ENGLISH


@pytest.mark.parametrize("text", ["abc", "1,2,3", "1.2.3,4.5", "", "12-3"])
def test_text_that_is_not_a_number_is_refused(text):
    with pytest.raises(InputError):
        parse_number(text)


def test_spreadsheet_number_cells_are_used_as_they_are():
    assert parse_number(1234.5) == Decimal("1234.5")
    assert parse_number(7) == Decimal(7)


@pytest.mark.parametrize(
    "text", ["31-12-2027", "31.12.2027", "31/12/2027", "2027-12-31", "2027-12-31 00:00:00"]
)
def test_the_accepted_date_formats(text):
    assert parse_day(text) == dt.date(2027, 12, 31)


def test_a_day_and_month_without_leading_zeros():
    assert parse_day("1.2.2027") == dt.date(2027, 2, 1)


def test_date_cells_of_spreadsheets_are_used_as_they_are():
    assert parse_day(dt.datetime(2027, 3, 4, 0, 0)) == dt.date(2027, 3, 4)


@pytest.mark.parametrize("text", ["31-02-2027", "12/31/2027", "2027/12/31", "i går", "31-12-27"])
def test_dates_that_do_not_exist_or_are_not_danish_are_refused(text):
    with pytest.raises(DataError):
        parse_day(text)


def test_our_own_formula_escaping_is_undone_on_import():
    assert cell_text("'=SUM(A1)") == "=SUM(A1)"
    assert cell_text("'hej") == "'hej"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False))
def test_a_number_written_the_danish_way_reads_back_the_same(value):
    whole, _, fraction = f"{abs(value):,.2f}".partition(".")
    danish = ("-" if value < 0 else "") + whole.replace(",", ".") + "," + fraction
    assert parse_number(danish, style=NumberStyle.DANISH) == value
