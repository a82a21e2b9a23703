"""Building an assessment: the overview plus what a reader needs to trust it.

Sections are computed here from warehouse data and statistics; renderers only read the
frozen result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from cspkit import __version__
from cspkit.assessment.overview import Overview, build_overview
from cspkit.stats.periods import Period
from cspkit.warehouse.coverage import ForceMonth, coverage


@dataclass(frozen=True)
class SourceSummary:
    """The loaded files behind an assessment, for the data-sources note."""

    kind: str
    force_slug: str
    files: int
    first_month: date | None
    last_month: date | None
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_unassigned: int


@dataclass(frozen=True)
class Assessment:
    """Everything a Strategic Assessment report shows, computed."""

    overview: Overview
    coverage: tuple[ForceMonth, ...]
    sources: tuple[SourceSummary, ...]
    generated_at: datetime
    version: str


def _sources(con: duckdb.DuckDBPyConnection, force_slug: str) -> tuple[SourceSummary, ...]:
    rows = con.execute(
        """
        SELECT kind, force_slug, count(*), min(month), max(month), sum(rows_read),
               sum(rows_loaded), sum(rows_quarantined), sum(rows_unassigned)
        FROM sources WHERE replaced_by IS NULL AND force_slug = ?
        GROUP BY kind, force_slug ORDER BY kind
        """,
        [force_slug],
    ).fetchall()
    return tuple(
        SourceSummary(str(k), str(f), int(n), a, b, int(r), int(lo), int(q), int(u))
        for k, f, n, a, b, r, lo, q, u in rows
    )


def assess(
    con: duckdb.DuckDBPyConnection,
    area: str,
    period: Period,
    *,
    compare: Period | None = None,
    peers: list[str] | None = None,
) -> Assessment:
    """Compute an assessment of a district for a period from the warehouse."""
    overview = build_overview(con, area, period, compare=compare, peers=peers)
    force = overview.area.force_slug or ""
    return Assessment(
        overview=overview,
        coverage=coverage(con).for_force(force),
        sources=_sources(con, force),
        generated_at=datetime.now().replace(microsecond=0),
        version=__version__,
    )
