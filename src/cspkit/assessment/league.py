"""The league table of a pack of CSPs: one row per CSP, one cell per indicator."""

from __future__ import annotations

from dataclasses import dataclass

from cspkit.assessment.areas import Csp


@dataclass(frozen=True)
class LeagueCell:
    """One indicator of one CSP in the league table."""

    current: int
    previous: int | None
    pct_change: float | None
    p_value: float | None
    significant: bool
    rate_per_1000: float | None
    force_rank: str
    similar_rank: str


@dataclass(frozen=True)
class LeagueRow:
    """One CSP in the index: its figures, and whether and where its report was written."""

    csp: Csp
    force: str
    denominator: float | None
    denominator_year: int | None
    cells: tuple[LeagueCell, ...]
    status: str
    folder: str
