"""Working-day deadlines across weekends and England and Wales bank holidays."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cspkit.casereview.deadlines import (
    DeadlinePolicy,
    add_working_days,
    bank_holiday,
    deadlines,
    is_working_day,
    working_days_between,
)
from cspkit.errors import InputError

D = datetime.date.fromisoformat
DATES = st.dates(min_value=datetime.date(2015, 1, 1), max_value=datetime.date(2030, 12, 31))
DAYS = st.integers(min_value=1, max_value=60)


def test_christmas_and_new_year_are_skipped() -> None:
    result = deadlines(D("2025-12-19"))
    assert result.as_data() == {
        "acknowledge_by": "2026-01-07",
        "decide_by": "2026-01-14",
        "meeting_by": "2026-01-21",
    }


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2025-06-06", 1, "2025-06-09"),  # Friday -> Monday
        ("2025-06-07", 1, "2025-06-09"),  # received on a Saturday
        ("2025-04-17", 1, "2025-04-22"),  # Good Friday and Easter Monday
        ("2022-09-16", 1, "2022-09-20"),  # the 2022 state funeral (a one-off bank holiday)
        ("2023-05-05", 1, "2023-05-09"),  # the 2023 coronation
        ("2026-12-24", 1, "2026-12-29"),  # Boxing Day on a Saturday is observed on Monday 28th
        ("2025-06-02", 5, "2025-06-09"),
    ],
)
def test_known_dates(start: str, days: int, expected: str) -> None:
    assert add_working_days(D(start), days) == D(expected)


def test_bank_holidays_are_england_and_wales_ones() -> None:
    assert bank_holiday(D("2025-08-25"))  # summer bank holiday (Scotland's is 4 August)
    assert not bank_holiday(D("2025-08-04"))
    assert not bank_holiday(D("2025-03-17"))  # St Patrick's Day: Northern Ireland only


def test_configurable_days() -> None:
    result = deadlines(D("2025-06-02"), DeadlinePolicy(2, 3, 4))
    assert (result.acknowledge_by, result.decide_by, result.meeting_by) == (
        D("2025-06-04"),
        D("2025-06-05"),
        D("2025-06-06"),
    )
    with pytest.raises(InputError):
        DeadlinePolicy(0, 1, 1)


@given(DATES, DAYS)
def test_a_deadline_is_a_working_day_after_the_start(start: datetime.date, days: int) -> None:
    due = add_working_days(start, days)
    assert is_working_day(due)
    assert due > start
    assert working_days_between(start, due) == days


@given(DATES, DAYS, DAYS)
def test_more_days_is_later(start: datetime.date, a: int, b: int) -> None:
    if a < b:
        assert add_working_days(start, a) < add_working_days(start, b)


@given(DATES, DATES)
def test_working_days_never_negative_and_additive(a: datetime.date, b: datetime.date) -> None:
    first, last = sorted((a, b))
    middle = first + (last - first) / 2
    assert working_days_between(last, first) == 0 or first == last
    assert working_days_between(first, last) == (
        working_days_between(first, middle) + working_days_between(middle, last)
    )
