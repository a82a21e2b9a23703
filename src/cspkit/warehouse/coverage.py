"""Which force-months the warehouse holds, which are missing, and which look partial.

No comparison should be made silently on incomplete data: the assessment asks this module
whether every month of a period is present and plausibly complete for the area's force.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

import duckdb

from cspkit.config import PARTIAL_MONTH_RATIO, PARTIAL_MONTH_WINDOW
from cspkit.stats.periods import Period, add_months, format_month

OK = "ok"
MISSING = "missing"
PARTIAL = "partial"

STREET = "street"
OUTCOMES = "outcomes"
STOP_SEARCH = "stop-and-search"
#: Each police.uk dataset: the warehouse table holding it, and what one of its rows is.
DATASETS: dict[str, tuple[str, str]] = {
    STREET: ("crimes", "crimes and ASB incidents"),
    OUTCOMES: ("outcomes", "outcome records"),
    STOP_SEARCH: ("stop_search", "stops and searches"),
}


@dataclass(frozen=True)
class ForceMonth:
    """Rows held for one force in one month of street data, and a judgement of them."""

    force_slug: str
    month: date
    rows: int
    status: str  # ok, missing, partial
    neighbour_median: float | None
    dataset: str = STREET


@dataclass(frozen=True)
class Coverage:
    """Months x forces of one police.uk dataset (street-level data unless said otherwise)."""

    cells: tuple[ForceMonth, ...]
    dataset: str = STREET

    @property
    def counted(self) -> str:
        """What the row counts count, e.g. "crimes and ASB incidents"."""
        return DATASETS[self.dataset][1]

    @property
    def forces(self) -> tuple[str, ...]:
        return tuple(sorted({c.force_slug for c in self.cells}))

    def for_force(self, force_slug: str) -> tuple[ForceMonth, ...]:
        return tuple(c for c in self.cells if c.force_slug == force_slug)

    def gaps(self, force_slug: str, period: Period) -> tuple[ForceMonth, ...]:
        """Months of the period that are missing or look partial for the force."""
        held = {c.month: c for c in self.for_force(force_slug)}
        result = []
        for month in period.months:
            cell = held.get(month)
            if cell is None:
                result.append(ForceMonth(force_slug, month, 0, MISSING, None, self.dataset))
            elif cell.status != OK:
                result.append(cell)
        return tuple(result)

    def covers(self, force_slug: str, period: Period) -> bool:
        return not self.gaps(force_slug, period)

    def as_records(self) -> list[dict[str, object]]:
        return [
            {
                "dataset": c.dataset,
                "force": c.force_slug,
                "month": format_month(c.month),
                "rows": c.rows,
                "status": c.status,
                "neighbour_median": c.neighbour_median,
            }
            for c in self.cells
        ]


def judge_months(
    force_slug: str,
    counts: dict[date, int],
    *,
    ratio: float = PARTIAL_MONTH_RATIO,
    window: int = PARTIAL_MONTH_WINDOW,
    dataset: str = STREET,
) -> list[ForceMonth]:
    """Every month from the first to the last held, judged against its neighbours.

    A month is missing when no rows are held; partial when its rows fall below ``ratio`` times
    the median of the held months within ``window`` months either side (itself excluded).
    """
    if not counts:
        return []
    first, last = min(counts), max(counts)
    cells: list[ForceMonth] = []
    month = first
    while month <= last:
        rows = counts.get(month, 0)
        neighbours = [
            counts[m]
            for k in range(-window, window + 1)
            if k != 0 and (m := add_months(month, k)) in counts
        ]
        median = float(statistics.median(neighbours)) if neighbours else None
        if month not in counts:
            status = MISSING
        elif median is not None and rows < ratio * median:
            status = PARTIAL
        else:
            status = OK
        cells.append(ForceMonth(force_slug, month, rows, status, median, dataset))
        month = add_months(month, 1)
    return cells


def coverage(con: duckdb.DuckDBPyConnection, dataset: str = STREET) -> Coverage:
    """Coverage of one dataset (street-level crime and ASB by default) for every force."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; expected one of {', '.join(DATASETS)}")
    table = DATASETS[dataset][0]
    rows = con.execute(
        f"SELECT force_slug, month, count(*) FROM {table} GROUP BY ALL ORDER BY 1, 2"
    ).fetchall()
    by_force: dict[str, dict[date, int]] = {}
    for slug, month, n in rows:
        by_force.setdefault(str(slug), {})[month] = int(n)
    cells: list[ForceMonth] = []
    for slug in sorted(by_force):
        cells.extend(judge_months(slug, by_force[slug], dataset=dataset))
    return Coverage(tuple(cells), dataset)


def coverage_of_all(con: duckdb.DuckDBPyConnection) -> tuple[Coverage, ...]:
    """Coverage of street, outcomes and stop-and-search data, in that order."""
    return tuple(coverage(con, d) for d in DATASETS)
