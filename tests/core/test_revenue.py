"""Revenue levers and the realism check."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fokus.core import (
    CoreError,
    median,
    new_customers_revenue,
    realism,
    retention_revenue,
    upsell_revenue,
)


def test_ten_new_customers_at_100000_a_year_bring_one_million():
    assert new_customers_revenue(10, Decimal(100_000)) == Decimal(1_000_000)


def test_keeping_15_customers_2_months_longer_at_the_default_10000_brings_300000():
    assert retention_revenue([None] * 15, 2, Decimal(10_000)) == Decimal(300_000)


def test_retention_uses_each_customers_own_monthly_revenue_when_known():
    total = retention_revenue([Decimal(5_000), None, Decimal(0)], 3, Decimal(10_000))
    assert total == Decimal(45_000)  # 3 x 5,000 + 3 x 10,000 + 3 x 0


def test_a_fixed_upsell_adds_the_amount_for_every_active_customer():
    revenues = [Decimal(50_000), Decimal(0), Decimal(120_000)]
    assert upsell_revenue(revenues, "fixed", Decimal(2_500)) == Decimal(7_500)


def test_a_negative_fixed_upsell_counts_as_nothing():
    assert upsell_revenue([Decimal(1), Decimal(2)], "fixed", Decimal(-100)) == Decimal(0)


def test_a_percent_upsell_is_a_fraction_of_each_customers_last_12_months():
    revenues = [Decimal(50_000), Decimal("12345.60"), Decimal(0)]
    assert upsell_revenue(revenues, "percent", Decimal("0.10")) == Decimal("6234.560")


def test_an_unknown_upsell_mode_is_refused():
    with pytest.raises(CoreError) as caught:
        upsell_revenue([], "double", Decimal(1))
    assert (caught.value.code, caught.value.field) == ("upsell_mode_invalid", "mode")


@pytest.mark.parametrize("count", [-1, 1.5, True])
def test_a_customer_count_must_be_a_whole_number_of_at_least_zero(count):
    with pytest.raises(CoreError) as caught:
        new_customers_revenue(count, Decimal(1))
    assert caught.value.code == "count_invalid"


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert median([Decimal(4), Decimal(1), Decimal(3), Decimal(2)]) == Decimal("2.5")
    assert median([Decimal(5), Decimal(1), Decimal(3)]) == Decimal(3)
    assert median([]) is None


def test_realism_needs_at_least_three_recent_customers():
    check = realism([Decimal(10), Decimal(20)], Decimal(1_000_000))
    assert check.median_first_year_revenue is None
    assert check.warning is False


def test_realism_warns_when_the_plan_exceeds_the_median_first_year_revenue():
    first_years = [Decimal(60_000), Decimal(80_000), Decimal(200_000)]
    check = realism(first_years, Decimal(100_000))
    assert check.median_first_year_revenue == Decimal(80_000)
    assert check.planned_annual_spend == Decimal(100_000)
    assert check.warning is True


def test_realism_does_not_warn_at_or_below_the_median():
    first_years = [Decimal(60_000), Decimal(80_000), Decimal(200_000)]
    assert realism(first_years, Decimal(80_000)).warning is False
