from __future__ import annotations

from decimal import Decimal

import pytest

from fokus.errors import InputError
from fokus.values import parse_localised_value


@pytest.mark.parametrize(
    ("text", "language", "value"),
    [
        ("1.000.000", "da", Decimal(1_000_000)),
        ("1.000.000,50", "da", Decimal("1000000.50")),
        ("2,5", "da", Decimal("2.5")),
        ("2.5", "da", Decimal("2.5")),
        ("1,000,000", "en", Decimal(1_000_000)),
        ("2.5", "en", Decimal("2.5")),
        ("-1.234", "da", Decimal(-1234)),
        (" 10 ", "en", Decimal(10)),
    ],
)
def test_numbers_are_read_the_way_the_ui_language_writes_them(text, language, value):
    assert parse_localised_value(text, language=language) == value


@pytest.mark.parametrize("text", ["ti", "1,2,3.4", "1\x00", "nan"])
def test_what_is_not_a_number_is_refused(text):
    with pytest.raises(InputError):
        parse_localised_value(text, language="da")
