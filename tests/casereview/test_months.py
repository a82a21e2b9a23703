"""Calendar-month shifts: the same day, or the last day of a shorter month."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cspkit.casereview.months import shift_months

D = datetime.date.fromisoformat


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2024-12-31", 1, "2025-01-31"),
        ("2025-01-31", 1, "2025-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-06-30", -6, "2024-12-30"),
        ("2025-08-31", -6, "2025-02-28"),
        ("2025-03-31", -1, "2025-02-28"),
        ("2025-01-15", -1, "2024-12-15"),
        ("2025-05-31", 1, "2025-06-30"),
    ],
)
def test_known_shifts(start: str, months: int, expected: str) -> None:
    assert shift_months(D(start), months) == D(expected)


@given(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 1, 1)),
    st.integers(-36, 36),
)
def test_shift_lands_in_the_right_month_never_later_in_it(day: datetime.date, n: int) -> None:
    shifted = shift_months(day, n)
    assert (shifted.year * 12 + shifted.month) - (day.year * 12 + day.month) == n
    assert shifted.day <= day.day
    if shifted.day < day.day:  # clamped: the last day of its month
        assert (shifted + datetime.timedelta(days=1)).day == 1
