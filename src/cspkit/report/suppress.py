"""Small-number suppression of a published table with row and column totals.

Primary suppression hides every count from 1 to ``threshold - 1`` (totals
included). Secondary (complementary) suppression then hides further cells so
that no hidden count can be worked out from what is published:

1. every row and column (including the row of column totals and the column of
   row totals) that hides one cell hides at least two;
2. no hidden cell is determined by the published cells through any combination
   of the row and column sums (checked by linear algebra: a hidden cell is
   recoverable exactly when every solution of the sum constraints agrees on it,
   i.e. when the null space of the constraint matrix is zero at that cell).

Zeros are published: a zero describes nobody, and UK practice (ONS, *Disclosure
control guidance for tables produced from administrative sources*, 2014; the
Government Statistical Service guidance on small numbers) suppresses counts of
1-4 but may show 0. Complementary cells are always chosen among positive counts
(smallest first, inner cells before totals), so every hidden count is positive
and non-negativity cannot pin one down either.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd
from scipy.linalg import null_space

from cspkit.errors import InputError

SUPPRESSION_THRESHOLD = 5
"""Counts from 1 to ``SUPPRESSION_THRESHOLD - 1`` are hidden."""
TOTAL_LABEL = "Total"
NULL_SPACE_TOLERANCE = 1e-9

Cell = tuple[int, int]


class Reason(StrEnum):
    """Why a cell is hidden."""

    PRIMARY = "small number"
    SECONDARY = "protects another hidden cell in the same row or column"
    LINEAR = "protects a hidden cell that could be worked out from several totals"


@dataclass(frozen=True)
class SuppressedCell:
    """One hidden cell, by its row and column labels (``TOTAL_LABEL`` for the margins)."""

    row: str
    column: str
    reason: Reason


@dataclass(frozen=True)
class SuppressionResult:
    """The publishable table with margins: ``None`` where a count is hidden."""

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    values: tuple[tuple[int | None, ...], ...]
    suppressed: tuple[SuppressedCell, ...]
    threshold: int

    def to_frame(self) -> pd.DataFrame:
        """The table as a frame of nullable integers (``<NA>`` where hidden)."""
        return pd.DataFrame(
            list(self.values), index=list(self.row_labels), columns=list(self.column_labels)
        ).astype("Int64")


def _with_margins(table: pd.DataFrame) -> np.ndarray:
    inner = table.to_numpy()
    grid = np.zeros((inner.shape[0] + 1, inner.shape[1] + 1), dtype=np.int64)
    grid[:-1, :-1] = inner
    grid[:-1, -1] = inner.sum(axis=1)
    grid[-1, :-1] = inner.sum(axis=0)
    grid[-1, -1] = inner.sum()
    return grid


def _lines(shape: tuple[int, int]) -> list[list[Cell]]:
    """Each row and column of the table with margins; its last cell is the sum of the rest."""
    n_rows, n_cols = shape
    rows = [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
    cols = [[(i, j) for i in range(n_rows)] for j in range(n_cols)]
    return rows + cols


def recoverable_cells(shape: tuple[int, int], hidden: set[Cell]) -> set[Cell]:
    """Hidden cells of a table with margins that the published cells determine exactly."""
    order = sorted(hidden)
    if not order:
        return set()
    position = {cell: k for k, cell in enumerate(order)}
    lines = _lines(shape)
    matrix = np.zeros((len(lines), len(order)))
    for r, line in enumerate(lines):
        for k, cell in enumerate(line):
            if cell in position:
                matrix[r, position[cell]] = -1.0 if k == len(line) - 1 else 1.0
    basis = null_space(matrix)
    free = np.abs(basis).max(axis=1) if basis.size else np.zeros(len(order))
    return {cell for cell, f in zip(order, free, strict=True) if f <= NULL_SPACE_TOLERANCE}


def _complement(grid: np.ndarray, line: list[Cell], hidden: set[Cell]) -> Cell | None:
    """The smallest positive published cell of a line, inner cells before the total."""
    candidates = [c for c in line if c not in hidden and grid[c] > 0]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c == line[-1], int(grid[c]), c))


def _secondary(grid: np.ndarray, hidden: dict[Cell, Reason]) -> None:
    lines = _lines(grid.shape)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(c in hidden for c in line) == 1:
                pick = _complement(grid, line, set(hidden))
                if pick is not None:
                    hidden[pick] = Reason.SECONDARY
                    changed = True
        if changed:
            continue
        exposed = sorted(recoverable_cells(grid.shape, set(hidden)))
        if not exposed:
            return
        picks = (_complement(grid, line, set(hidden)) for line in lines if exposed[0] in line)
        pick = next((p for p in picks if p is not None), None)
        if pick is None:  # every positive cell near it is hidden: take the smallest anywhere
            everywhere = [(i, j) for i in range(grid.shape[0]) for j in range(grid.shape[1])]
            pick = _complement(grid, everywhere, set(hidden))
        if pick is not None:
            hidden[pick] = Reason.LINEAR
            changed = True


def _validate(table: pd.DataFrame, threshold: int) -> None:
    if threshold < 1:
        raise InputError(f"suppression threshold: expected at least 1, found {threshold}")
    if table.empty:
        raise InputError("suppression: the table has no cells")
    for column in table.columns:
        series = table[column]
        if not pd.api.types.is_integer_dtype(series):
            raise InputError(
                f"suppression: expected whole-number counts, found {series.dtype}",
                column=str(column),
            )
        if (series < 0).any():
            row = series.index[series < 0][0]
            raise InputError(f"suppression: negative count in row {row!r}", column=str(column))


def suppress_table(
    table: pd.DataFrame, threshold: int = SUPPRESSION_THRESHOLD
) -> SuppressionResult:
    """Add row and column totals to a table of counts and hide what could disclose a small number.

    ``table`` holds counts (rows x columns, no totals). The result has one more row
    and column (labelled ``TOTAL_LABEL``) and records each hidden cell and why.
    """
    _validate(table, threshold)
    grid = _with_margins(table)
    hidden: dict[Cell, Reason] = {
        (int(i), int(j)): Reason.PRIMARY
        for i, j in zip(*np.nonzero((grid > 0) & (grid < threshold)), strict=True)
    }
    _secondary(grid, hidden)
    rows = (*(str(r) for r in table.index), TOTAL_LABEL)
    cols = (*(str(c) for c in table.columns), TOTAL_LABEL)
    values = tuple(
        tuple(None if (i, j) in hidden else int(grid[i, j]) for j in range(grid.shape[1]))
        for i in range(grid.shape[0])
    )
    cells = tuple(
        SuppressedCell(row=rows[i], column=cols[j], reason=hidden[(i, j)])
        for i, j in sorted(hidden)
    )
    return SuppressionResult(
        row_labels=rows, column_labels=cols, values=values, suppressed=cells, threshold=threshold
    )
