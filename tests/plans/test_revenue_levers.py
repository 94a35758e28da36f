"""The revenue planner's levers refuse what is no amount with their own words (the field's
name in the sentence), whatever the reason the number could not be read."""

from __future__ import annotations

import pytest
from django.utils import translation

from fokus.plans.errors import PlanError
from fokus.plans.revenue import new_customers_lever, upsell_lever


@pytest.mark.parametrize("spend", ["abc", "1e999", "10.000.000.000.000.000.000", "1\x00"])
def test_a_spend_that_is_no_amount_is_refused_as_an_amount(spend):
    with pytest.raises(PlanError) as refused, translation.override("en"):
        new_customers_lever(10, spend)

    assert (refused.value.code, refused.value.field) == (
        "amount_invalid",
        "new_customers.annual_spend",
    )


@pytest.mark.parametrize("value", ["ti procent", "nan", "-0.1", "11"])
def test_an_upsell_percentage_that_is_no_fraction_is_refused(value):
    with pytest.raises(PlanError) as refused:
        upsell_lever("percent", value)

    assert refused.value.code == "upsell_percent_invalid"


def test_an_unknown_upsell_mode_is_refused_in_the_planners_words():
    with pytest.raises(PlanError) as refused, translation.override("da"):
        upsell_lever("gratis", 5)

    assert (refused.value.code, refused.value.field) == ("upsell_mode_invalid", "upsell.mode")
    assert "fixed" in refused.value.message
