"""Tests for small-number suppression with totals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from cspkit.errors import InputError
from cspkit.report.suppress import (
    SUPPRESSION_THRESHOLD,
    TOTAL_LABEL,
    Reason,
    SuppressionResult,
    recoverable_cells,
    suppress_table,
)


def frame(rows: list[list[int]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        index=[f"r{i}" for i in range(len(rows))],
        columns=[f"c{j}" for j in range(len(rows[0]))],
    )


def test_threshold_is_five() -> None:
    assert SUPPRESSION_THRESHOLD == 5


def test_nothing_hidden_when_no_small_numbers_and_zeros_published() -> None:
    res = suppress_table(frame([[0, 10], [12, 20]]))
    assert res.values == ((0, 10, 10), (12, 20, 32), (12, 30, 42))
    assert res.suppressed == ()
    assert res.row_labels == ("r0", "r1", TOTAL_LABEL)


def test_one_small_cell_needs_three_complements_in_a_2x2() -> None:
    res = suppress_table(frame([[3, 10], [12, 20]]))
    assert res.values == ((None, None, 13), (None, None, 32), (15, 30, 45))
    reasons = {(c.row, c.column): c.reason for c in res.suppressed}
    assert reasons == {
        ("r0", "c0"): Reason.PRIMARY,
        ("r0", "c1"): Reason.SECONDARY,
        ("r1", "c0"): Reason.SECONDARY,
        ("r1", "c1"): Reason.SECONDARY,
    }


def test_complement_is_the_smallest_positive_cell_not_a_zero() -> None:
    res = suppress_table(frame([[2, 0, 9, 30], [6, 7, 8, 40], [50, 60, 70, 80]]))
    published = res.values
    assert published[0][0] is None and published[0][1] == 0 and published[0][2] is None
    assert published[1][0] is None  # smallest positive in column c0 below the 2
    assert published[1][2] is None  # column c2 needs its second hidden cell
    assert published[0][3] == 30 and published[2][0] == 50


def test_small_totals_are_hidden_too() -> None:
    res = suppress_table(frame([[2, 1], [10, 20]]))
    assert res.values[0] == (None, None, None)
    primary = {(c.row, c.column) for c in res.suppressed if c.reason is Reason.PRIMARY}
    assert primary == {("r0", "c0"), ("r0", "c1"), ("r0", TOTAL_LABEL)}
    assert_safe(frame([[2, 1], [10, 20]]), res)


def test_single_column_table() -> None:
    res = suppress_table(pd.DataFrame({"count": [3, 8, 20]}, index=["a", "b", "c"]))
    column = [row[0] for row in res.values]
    assert column == [None, None, 20, 31]
    assert_safe(pd.DataFrame({"count": [3, 8, 20]}), res)


def test_to_frame_uses_missing_values() -> None:
    out = suppress_table(frame([[3, 10], [12, 20]])).to_frame()
    assert out.loc["r0", TOTAL_LABEL] == 13
    assert out["c0"].isna().tolist() == [True, True, False]
    assert str(out.dtypes.iloc[0]) == "Int64"


def test_recoverable_cells_finds_a_lone_hidden_cell() -> None:
    assert recoverable_cells((3, 3), {(0, 0)}) == {(0, 0)}
    assert recoverable_cells((3, 3), {(0, 0), (0, 1), (1, 0), (1, 1)}) == set()
    assert recoverable_cells((3, 3), set()) == set()


@pytest.mark.parametrize(
    ("table", "threshold", "message"),
    [
        (frame([[1, -2]]), 5, "negative count in row 'r0'"),
        (pd.DataFrame({"x": [1.5, 2.0]}), 5, "whole-number counts"),
        (frame([[1, 2]]), 0, "threshold"),
        (pd.DataFrame(), 5, "no cells"),
    ],
)
def test_invalid_tables_are_named(table: pd.DataFrame, threshold: int, message: str) -> None:
    with pytest.raises(InputError, match=message):
        suppress_table(table, threshold)


def assert_safe(table: pd.DataFrame, res: SuppressionResult) -> None:
    """Independent check: by linear programming, no hidden count is pinned by what is published.

    Unknowns are the hidden cells (>= 0); constraints are every row and column sum of the
    table with margins. The constraint matrix is a transportation matrix (totally
    unimodular), so LP extremes are integers and min < max means two different
    integer tables fit the published figures.
    """
    grid = np.array([[np.nan if v is None else v for v in row] for row in res.values])
    n_rows, n_cols = grid.shape
    hidden = [(i, j) for i in range(n_rows) for j in range(n_cols) if np.isnan(grid[i, j])]
    published = [v for row in res.values for v in row if v is not None]
    assert all(v == 0 or v >= res.threshold for v in published)
    lines = [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
    lines += [[(i, j) for i in range(n_rows)] for j in range(n_cols)]
    for line in lines:
        assert sum(c in hidden for c in line) != 1, line
    if not hidden:
        return
    a_eq, b_eq = [], []
    for line in lines:
        coef = np.zeros(len(hidden))
        rhs = 0.0
        for k, cell in enumerate(line):
            sign = -1.0 if k == len(line) - 1 else 1.0
            if cell in hidden:
                coef[hidden.index(cell)] += sign
            else:
                rhs -= sign * grid[cell]
        a_eq.append(coef)
        b_eq.append(rhs)
    for k in range(len(hidden)):
        c = np.zeros(len(hidden))
        c[k] = 1.0
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert low.status == 0
        if high.status == 3:  # unbounded above: everything around it is hidden
            continue
        assert high.status == 0
        assert -high.fun - low.fun > 0.5, f"hidden cell {hidden[k]} is recoverable"


tables = st.integers(1, 4).flatmap(
    lambda r: st.integers(1, 4).flatmap(
        lambda c: st.lists(
            st.lists(st.integers(0, 25), min_size=c, max_size=c), min_size=r, max_size=r
        )
    )
)


@settings(max_examples=150, deadline=None)
@given(tables)
def test_no_hidden_cell_is_recoverable_and_no_small_number_is_published(
    rows: list[list[int]],
) -> None:
    table = frame(rows)
    res = suppress_table(table)
    assert_safe(table, res)
    # every published value is the true value
    full = np.array(rows)
    for i, row in enumerate(res.values[:-1]):
        for j, v in enumerate(row[:-1]):
            assert v is None or v == full[i, j]
