"""Periods: parsing, labels, splitting and calendar intervals."""

from __future__ import annotations

import calendar
import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fokus.core import Period, PeriodError, intervals, parse_period, quarter_label, sub_periods

PROPERTY = settings(database=None, deadline=None)


def test_a_year_runs_from_january_1_to_december_31():
    period = parse_period("2027")
    assert period == Period(date(2027, 1, 1), date(2027, 12, 31))
    assert period.days == 365
    assert period.label == "2027"


def test_a_leap_year_has_366_days():
    assert parse_period("2028").days == 366


@pytest.mark.parametrize("text", ["2027-K4", "2027-k4", "2027-Q4", "2027-q4"])
def test_k4_is_october_1_to_december_31_in_danish_and_english_spelling(text):
    period = parse_period(text)
    assert (period.start, period.end) == (date(2027, 10, 1), date(2027, 12, 31))
    assert period.days == 92
    assert period.label == "2027-K4"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2027-K1", date(2027, 1, 1), date(2027, 3, 31)),
        ("2027-K2", date(2027, 4, 1), date(2027, 6, 30)),
        ("2027-K3", date(2027, 7, 1), date(2027, 9, 30)),
    ],
)
def test_quarters_are_calendar_quarters(text, start, end):
    assert parse_period(text) == Period(start, end)


def test_february_of_a_leap_year_has_29_days():
    period = parse_period("2028-02")
    assert period == Period(date(2028, 2, 1), date(2028, 2, 29))
    assert period.days == 29
    assert period.label == "2028-02"


def test_february_of_a_common_year_has_28_days():
    assert parse_period("2027-02").days == 28


def test_an_explicit_period_keeps_its_dates_and_labels_them():
    period = parse_period("2027-01-15..2027-03-01")
    assert period == Period(date(2027, 1, 15), date(2027, 3, 1))
    assert period.days == 46
    assert period.label == "2027-01-15..2027-03-01"


def test_an_explicit_period_of_one_day_is_valid():
    assert parse_period("2027-05-01..2027-05-01").days == 1


def test_surrounding_whitespace_is_ignored():
    assert parse_period("  2027-K2\n") == parse_period("2027-K2")
    assert parse_period(" 2027-01-15 .. 2027-03-01 ") == parse_period("2027-01-15..2027-03-01")


def test_an_explicit_period_of_whole_months_is_labelled_like_the_short_form():
    assert parse_period("2027-04-01..2027-06-30").label == "2027-K2"
    assert parse_period("2027-01-01..2027-12-31").label == "2027"
    assert parse_period("2027-01-01..2027-02-28").label == "2027-01-01..2027-02-28"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2027-K5",
        "2027-K0",
        "2027-Q5",
        "2027-13",
        "2027-00",
        "2027-5",
        "27",
        "0000",
        "2027-H1",
        "2027\x00",
        "2027-K\x002",
        "2027-02-30..2027-03-01",
        "2027-03-01..2027-01-01",
        "2027-03-01..",
        "..2027-03-01",
        "2027-01-01...2027-02-01",
        "20270101..20270201",
        "2027-W01",
        "２０２７",
    ],
)
def test_anything_else_is_refused_as_period_invalid(text):
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert caught.value.code == "period_invalid"
    assert caught.value.field == "period"


def test_a_non_string_is_refused_as_period_invalid():
    with pytest.raises(PeriodError):
        parse_period(None)  # type: ignore[arg-type]


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(PeriodError):
        Period(date(2027, 2, 1), date(2027, 1, 31))


def test_quarter_label_names_the_quarter_of_a_date():
    assert quarter_label(date(2027, 1, 1)) == "2027-K1"
    assert quarter_label(date(2027, 10, 1)) == "2027-K4"
    assert quarter_label(date(2027, 6, 30)) == "2027-K2"


def test_a_year_in_four_is_k1_to_k4():
    parts = sub_periods(parse_period("2027"), 4)
    assert [p.label for p in parts] == ["2027-K1", "2027-K2", "2027-K3", "2027-K4"]


def test_a_year_in_two_is_two_halves():
    first, second = sub_periods(parse_period("2027"), 2)
    assert first == Period(date(2027, 1, 1), date(2027, 6, 30))
    assert second == Period(date(2027, 7, 1), date(2027, 12, 31))


def test_a_year_in_twelve_is_its_months():
    parts = sub_periods(parse_period("2028"), 12)
    assert [p.label for p in parts] == [f"2028-{m:02d}" for m in range(1, 13)]
    assert parts[1].days == 29


def test_a_split_that_does_not_fit_whole_months_spreads_days_earliest_first():
    parts = sub_periods(parse_period("2028"), 5)  # 366 days
    assert [p.days for p in parts] == [74, 73, 73, 73, 73]
    parts = sub_periods(parse_period("2027-K1"), 2)  # 90 days, 3 months
    assert parts == [
        Period(date(2027, 1, 1), date(2027, 2, 14)),
        Period(date(2027, 2, 15), date(2027, 3, 31)),
    ]
    parts = sub_periods(parse_period("2027-01-01..2027-01-10"), 3)
    assert [p.days for p in parts] == [4, 3, 3]


@pytest.mark.parametrize("n", [0, -1, 11])
def test_a_period_cannot_be_split_into_no_parts_or_more_parts_than_days(n):
    with pytest.raises(PeriodError):
        sub_periods(parse_period("2027-01-01..2027-01-10"), n)


def test_weeks_run_monday_to_sunday_clipped_at_the_period_edges():
    # 2027-01-01 is a Friday, 2027-01-31 a Sunday.
    assert intervals(date(2027, 1, 1), date(2027, 1, 31), "week") == [
        (date(2027, 1, 1), date(2027, 1, 3)),
        (date(2027, 1, 4), date(2027, 1, 10)),
        (date(2027, 1, 11), date(2027, 1, 17)),
        (date(2027, 1, 18), date(2027, 1, 24)),
        (date(2027, 1, 25), date(2027, 1, 31)),
    ]
    # ...and a period ending on a Wednesday clips the last week.
    assert intervals(date(2027, 1, 4), date(2027, 1, 13), "week") == [
        (date(2027, 1, 4), date(2027, 1, 10)),
        (date(2027, 1, 11), date(2027, 1, 13)),
    ]


def test_a_year_has_53_partial_or_whole_weeks_when_it_starts_on_a_friday():
    assert len(intervals(date(2027, 1, 1), date(2027, 12, 31), "week")) == 53


def test_months_and_quarters_are_clipped_to_the_period():
    assert intervals(date(2027, 1, 15), date(2027, 3, 10), "month") == [
        (date(2027, 1, 15), date(2027, 1, 31)),
        (date(2027, 2, 1), date(2027, 2, 28)),
        (date(2027, 3, 1), date(2027, 3, 10)),
    ]
    assert intervals(date(2027, 2, 15), date(2027, 8, 1), "quarter") == [
        (date(2027, 2, 15), date(2027, 3, 31)),
        (date(2027, 4, 1), date(2027, 6, 30)),
        (date(2027, 7, 1), date(2027, 8, 1)),
    ]


def test_an_unknown_interval_kind_is_refused():
    with pytest.raises(PeriodError) as caught:
        intervals(date(2027, 1, 1), date(2027, 1, 31), "fortnight")
    assert caught.value.code == "unknown_interval"


# --- properties --------------------------------------------------------------------------

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@PROPERTY
@given(year=st.integers(1, 9999), month=st.integers(1, 12))
def test_a_month_period_has_the_calendar_days_of_that_month(year, month):
    period = parse_period(f"{year:04d}-{month:02d}")
    assert period.days == calendar.monthrange(year, month)[1]
    assert parse_period(period.label) == period


@PROPERTY
@given(start=dates, length=st.integers(1, 800), n=st.integers(1, 30))
def test_sub_periods_cover_every_day_exactly_once(start, length, n):
    period = Period(start, start + timedelta(days=length - 1))
    if n > period.days:
        n = period.days
    parts = sub_periods(period, n)
    assert len(parts) == n
    assert parts[0].start == period.start
    assert parts[-1].end == period.end
    for before, after in itertools.pairwise(parts):
        assert after.start == before.end + timedelta(days=1)
    assert sum(p.days for p in parts) == period.days


@PROPERTY
@given(start=dates, length=st.integers(1, 800), kind=st.sampled_from(["week", "month", "quarter"]))
def test_intervals_cover_the_period_and_never_cross_a_calendar_boundary(start, length, kind):
    end = start + timedelta(days=length - 1)
    found = intervals(start, end, kind)
    assert found[0][0] == start
    assert found[-1][1] == end
    for (_, before_end), (after_start, _) in itertools.pairwise(found):
        assert after_start == before_end + timedelta(days=1)
    for first, last in found:
        if kind == "week":
            assert first.isocalendar()[:2] == last.isocalendar()[:2]
        elif kind == "month":
            assert (first.year, first.month) == (last.year, last.month)
        else:
            assert (first.year, (first.month - 1) // 3) == (last.year, (last.month - 1) // 3)


@PROPERTY
@given(text=st.text(alphabet=st.characters(exclude_characters="\x00"), max_size=30))
def test_any_text_either_parses_to_a_period_that_round_trips_or_is_period_invalid(text):
    try:
        period = parse_period(text)
    except PeriodError as err:
        assert err.code == "period_invalid"
    else:
        assert parse_period(period.label) == period
