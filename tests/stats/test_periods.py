"""Tests for reporting periods."""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cspkit.errors import InputError
from cspkit.stats.periods import (
    PERIOD_KINDS,
    Period,
    add_months,
    calendar_quarter,
    calendar_year,
    comparison_period,
    financial_year,
    financial_year_to_date,
    format_month,
    month_label,
    month_range,
    parse_month,
    parse_period,
    rolling_12_months,
    single_month,
)

D = datetime.date


# --- months -------------------------------------------------------------------------------


def test_month_helpers() -> None:
    assert month_label(D(2020, 1, 1)) == "January 2020"
    assert month_label(D(2020, 12, 31)) == "December 2020"
    assert format_month(D(2020, 1, 15)) == "2020-01"
    assert parse_month("2020-01") == D(2020, 1, 1)
    assert parse_month(" 2020-12 ") == D(2020, 12, 1)


@pytest.mark.parametrize("bad", ["2020-13", "2020-00", "2020-1", "20-01", "January 2020", ""])
def test_parse_month_rejects(bad: str) -> None:
    with pytest.raises(InputError, match="YYYY-MM"):
        parse_month(bad)


def test_add_months_crosses_years() -> None:
    assert add_months(D(2024, 11, 20), 3) == D(2025, 2, 1)
    assert add_months(D(2025, 2, 1), -14) == D(2023, 12, 1)
    assert add_months(D(2025, 2, 1), 0) == D(2025, 2, 1)


# --- parsing each accepted form -----------------------------------------------------------


def test_calendar_year() -> None:
    p = parse_period("2025")
    assert (p.first, p.last, p.label, p.kind) == (
        D(2025, 1, 1),
        D(2025, 12, 1),
        "2025",
        "calendar-year",
    )
    assert p.n_months == 12
    assert str(p) == "2025"


@pytest.mark.parametrize("text", ["2024/25", "2024-25", "2024/2025", " 2024/25 "])
def test_financial_year(text: str) -> None:
    p = parse_period(text)
    assert (p.first, p.last) == (D(2024, 4, 1), D(2025, 3, 1))
    assert p.label == "2024/25"
    assert p.kind == "financial-year"
    assert p.n_months == 12


def test_financial_year_across_a_century() -> None:
    p = parse_period("2099/00")
    assert (p.first, p.last, p.label) == (D(2099, 4, 1), D(2100, 3, 1), "2099/00")


def test_ambiguous_hyphen_form_is_a_month() -> None:
    # "2011-12" could be December 2011 or financial year 2011/12: ISO reading wins.
    assert parse_period("2011-12").kind == "month"
    assert parse_period("2011/12").kind == "financial-year"


def test_month_range_within_a_year() -> None:
    p = parse_period("2025-01..2025-04")
    assert (p.first, p.last, p.kind) == (D(2025, 1, 1), D(2025, 4, 1), "months")
    assert p.label == "January-April 2025"
    assert p.months == (D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1), D(2025, 4, 1))


def test_month_range_across_years() -> None:
    p = parse_period("2024-11..2025-02")
    assert p.label == "November 2024-February 2025"
    assert p.n_months == 4


def test_month_range_of_one_month() -> None:
    p = parse_period("2025-03..2025-03")
    assert (p.label, p.kind, p.n_months) == ("March 2025", "months", 1)


def test_single_month() -> None:
    p = parse_period("2025-03")
    assert (p.first, p.last, p.label, p.kind) == (
        D(2025, 3, 1),
        D(2025, 3, 1),
        "March 2025",
        "month",
    )
    assert p.months == (D(2025, 3, 1),)


@pytest.mark.parametrize("text", ["2025Q1", "2025-Q1", "2025q1"])
def test_quarter(text: str) -> None:
    p = parse_period(text)
    assert (p.first, p.last, p.kind) == (D(2025, 1, 1), D(2025, 3, 1), "quarter")
    assert p.label == "Q1 2025 (January-March)"


def test_fourth_quarter() -> None:
    p = parse_period("2024Q4")
    assert (p.first, p.last) == (D(2024, 10, 1), D(2024, 12, 1))


def test_rolling_12_months() -> None:
    p = parse_period("12m:2020-01")
    assert (p.first, p.last, p.kind) == (D(2019, 2, 1), D(2020, 1, 1), "rolling-12")
    assert p.label == "12 months to January 2020"
    assert p == rolling_12_months(D(2020, 1, 31))


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    ["", "last year", "2025Q5", "2024/26", "2025-13", "25", "2025-04..2025-01", "12m:2020", "0000"],
)
def test_parse_period_rejects_with_accepted_forms(bad: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_period(bad)
    message = str(caught.value)
    assert f"'{bad}'" in message
    for example in ("2025", "2024/25", "2025-01..2025-04", "2025-03", "2025Q1", "12m:2020-01"):
        assert example in message


def test_reversed_range_says_so() -> None:
    with pytest.raises(InputError, match="ends before it starts"):
        parse_period("2025-04..2025-01")
    with pytest.raises(ValueError, match="before it starts"):
        month_range(D(2025, 4, 1), D(2025, 1, 1))


def test_period_validates_fields() -> None:
    with pytest.raises(ValueError, match="kind"):
        Period(D(2025, 1, 1), D(2025, 1, 1), "x", "fortnight")
    with pytest.raises(ValueError, match="first day"):
        Period(D(2025, 1, 2), D(2025, 1, 1), "x", "month")
    with pytest.raises(ValueError, match="before it starts"):
        Period(D(2025, 2, 1), D(2025, 1, 1), "x", "months")
    with pytest.raises(ValueError, match="is not a financial-year"):
        Period(D(2025, 1, 1), D(2025, 12, 1), "2025/26", "financial-year")
    with pytest.raises(ValueError, match="is not a quarter"):
        Period(D(2025, 2, 1), D(2025, 4, 1), "Q1", "quarter")
    with pytest.raises(ValueError, match="is not a month"):
        Period(D(2025, 2, 1), D(2025, 3, 1), "x", "month")
    with pytest.raises(ValueError, match="is not a rolling-12"):
        Period(D(2025, 2, 1), D(2025, 3, 1), "x", "rolling-12")
    with pytest.raises(ValueError, match="is not a calendar-year"):
        Period(D(2025, 2, 1), D(2026, 1, 1), "2025", "calendar-year")


# --- shifting and comparison ---------------------------------------------------------------


def test_shifted_relabels_each_kind() -> None:
    assert parse_period("2025").shifted(-1).label == "2024"
    assert parse_period("2024/25").shifted(-1).label == "2023/24"
    assert parse_period("12m:2020-01").shifted(-1).label == "12 months to January 2019"
    assert parse_period("2025-03").shifted(-1).label == "March 2024"
    assert parse_period("2025Q2").shifted(2).label == "Q2 2027 (April-June)"
    assert parse_period("2024-11..2025-02").shifted(-1).label == "November 2023-February 2024"
    assert parse_period("2025-01..2025-04").shifted(-1).label == "January-April 2024"


def test_comparison_period_is_same_months_a_year_earlier() -> None:
    current = parse_period("2024/25")
    previous = comparison_period(current)
    assert previous == financial_year(2023)
    assert comparison_period(current, years_back=3) == financial_year(2021)
    with pytest.raises(ValueError):
        comparison_period(current, years_back=0)


def test_financial_year_to_date() -> None:
    ytd = financial_year_to_date(D(2025, 6, 1))
    assert (ytd.first, ytd.last, ytd.label) == (D(2025, 4, 1), D(2025, 6, 1), "April-June 2025")
    assert comparison_period(ytd).label == "April-June 2024"
    # In January-March the financial year started the previous April.
    assert financial_year_to_date(D(2025, 2, 1)).first == D(2024, 4, 1)


def test_contains_any_day_of_a_month() -> None:
    p = parse_period("2024/25")
    assert p.contains(D(2024, 4, 1))
    assert p.contains(D(2025, 3, 31))
    assert not p.contains(D(2024, 3, 31))
    assert not p.contains(D(2025, 4, 1))


# --- properties ----------------------------------------------------------------------------

years = st.integers(min_value=1900, max_value=2200)
month_dates = st.builds(D, years, st.integers(min_value=1, max_value=12), st.just(1))


@st.composite
def ranges(draw: st.DrawFn) -> Period:
    first = draw(month_dates)
    return month_range(first, add_months(first, draw(st.integers(min_value=0, max_value=40))))


periods = st.one_of(
    st.builds(calendar_year, years),
    st.builds(financial_year, years),
    st.builds(calendar_quarter, years, st.integers(min_value=1, max_value=4)),
    st.builds(single_month, month_dates),
    st.builds(rolling_12_months, month_dates),
    ranges(),
)


@given(periods)
def test_spec_round_trips(period: Period) -> None:
    assert parse_period(period.spec) == period
    assert period.kind in PERIOD_KINDS


@given(periods, st.integers(min_value=-50, max_value=50))
def test_shift_back_and_forth(period: Period, years_moved: int) -> None:
    assert period.shifted(-1).shifted(1) == period
    moved = period.shifted(years_moved)
    assert moved.kind == period.kind
    assert moved.n_months == period.n_months
    assert moved.shifted(-years_moved) == period


@given(periods)
def test_months_are_consecutive_and_contained(period: Period) -> None:
    months = period.months
    assert len(months) == period.n_months >= 1
    assert months[0] == period.first
    assert months[-1] == period.last
    assert all(add_months(a, 1) == b for a, b in itertools.pairwise(months))
    assert all(period.contains(m) for m in months)
    assert not period.contains(add_months(period.first, -1))
    assert not period.contains(add_months(period.last, 1))
