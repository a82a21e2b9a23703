"""Coverage: missing and partially published months are found, never assumed away."""

from __future__ import annotations

from datetime import date

import duckdb
from hypothesis import given
from hypothesis import strategies as st

from cspkit.stats.periods import parse_period
from cspkit.warehouse.coverage import MISSING, OK, PARTIAL, coverage, judge_months


def test_a_month_far_below_its_neighbours_is_partial_and_a_gap_is_missing() -> None:
    counts = {date(2025, m, 1): 1000 for m in range(1, 13) if m != 5}
    counts[date(2025, 8, 1)] = 300
    cells = {c.month.month: c.status for c in judge_months("x", counts)}
    assert cells[5] == MISSING
    assert cells[8] == PARTIAL
    assert [m for m, s in cells.items() if s == OK] == [1, 2, 3, 4, 6, 7, 9, 10, 11, 12]


@given(st.lists(st.integers(min_value=500, max_value=1000), min_size=1, max_size=36))
def test_steady_months_are_never_flagged(values: list[int]) -> None:
    # Every value is at least half of any other, so none is below 0.5 x a neighbour median.
    counts = {date(2020 + i // 12, i % 12 + 1, 1): v for i, v in enumerate(values)}
    assert all(c.status == OK for c in judge_months("x", counts))


def test_sample_coverage(sample_con: duckdb.DuckDBPyConnection) -> None:
    cov = coverage(sample_con)
    assert cov.forces == ("kent", "lincolnshire")
    kent_gaps = cov.gaps("kent", parse_period("2024"))
    assert [g.month.month for g in kent_gaps] == list(range(5, 13))
    assert cov.covers("kent", parse_period("2025"))
    assert cov.covers("lincolnshire", parse_period("2017-02..2020-01"))
    assert not cov.covers("lincolnshire", parse_period("2017"))
