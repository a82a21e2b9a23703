"""Outcomes of the crimes of a period, for the outcomes section: one pass over the warehouse.

Each crime's outcome is its street record's "Last outcome category". Where the force's
outcomes files are loaded, a crime whose street record is still pending (under investigation,
status update unavailable) or blank takes its latest final outcome event from them. Outcome
strings are grouped and rates computed by :func:`cspkit.stats.outcomes.resolution_rates`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import cast

import duckdb
import pandas as pd

from cspkit.assessment.context import SectionContext
from cspkit.stats.outcomes import (
    DEFAULT_RESOLVED,
    OutcomeGroup,
    OutcomeSummary,
    ResolutionRow,
    classify_outcome,
    resolution_rates,
)
from cspkit.stats.polarity import Polarity
from cspkit.stats.rank import Rank, rank_areas
from cspkit.warehouse.registry import ASB_CATEGORY

PENDING_OUTCOMES = ("Under investigation", "Status update unavailable")

_OUTCOME_SQL = """
WITH c AS (
    SELECT lad_code, month, category, crime_id, last_outcome FROM crimes
    WHERE month BETWEEN ? AND ? AND list_contains(?, lad_code) AND category <> ?
), o AS (
    SELECT crime_id, arg_max(outcome_type, (month, outcome_type)) AS later
    FROM outcomes
    WHERE NOT list_contains(?, outcome_type)
      AND crime_id IN (SELECT crime_id FROM c WHERE crime_id IS NOT NULL)
    GROUP BY crime_id
)
SELECT c.lad_code, strftime(c.month, '%Y-%m') AS month, c.category,
       CASE WHEN (c.last_outcome IS NULL OR list_contains(?, c.last_outcome))
                 AND o.later IS NOT NULL THEN o.later ELSE c.last_outcome END AS outcome,
       (c.last_outcome IS NULL OR list_contains(?, c.last_outcome))
           AND o.later IS NOT NULL AS updated,
       count(*) AS count
FROM c LEFT JOIN o USING (crime_id)
GROUP BY ALL
"""


@dataclass(frozen=True)
class PeerResolution:
    """One district's overall resolution and its rank (1 = the lowest resolution rate)."""

    code: str
    name: str
    row: ResolutionRow
    rank: Rank | None


@dataclass(frozen=True)
class OutcomesAnalysis:
    """The area's outcome summary, the peer group's, and how outcomes were sourced."""

    area: OutcomeSummary
    peer_group: OutcomeSummary
    peers: tuple[PeerResolution, ...]
    by_category_group: tuple[tuple[str, tuple[tuple[OutcomeGroup, int], ...]], ...]
    updated_from_outcomes_files: int
    outcomes_files_loaded: bool


def outcome_counts(
    con: duckdb.DuckDBPyConnection, lad_codes: list[str], first: date, last: date
) -> pd.DataFrame:
    """Crimes (ASB excluded) by district, month, category and outcome, in one pass.

    Columns: lad_code, month ('YYYY-MM'), category, outcome, updated (taken from the
    outcomes files), count.
    """
    pending = list(PENDING_OUTCOMES)
    return con.execute(
        _OUTCOME_SQL, [first, last, lad_codes, ASB_CATEGORY, pending, pending, pending]
    ).df()


def analyse_outcomes(
    con: duckdb.DuckDBPyConnection,
    ctx: SectionContext,
    resolved: Collection[OutcomeGroup] = DEFAULT_RESOLVED,
) -> OutcomesAnalysis:
    """Resolution of the area's crimes in the period, and of every peer district's."""
    codes = list(dict.fromkeys([*(p.code for p in ctx.peers), ctx.area.code]))
    frame = outcome_counts(con, codes, ctx.period.first, ctx.period.last)
    mine = frame[frame["lad_code"] == ctx.area.code]
    names = {p.code: p.name for p in ctx.peers} | {ctx.area.code: ctx.area.name}
    # Each district's overall rate only needs its outcome totals, not months or categories.
    totals = frame.groupby(["lad_code", "outcome"], dropna=False)["count"].sum().reset_index()
    rows = {
        str(code): resolution_rates(part.assign(month="all", category="all"), resolved).overall
        for code, part in totals.groupby("lad_code", sort=True)
    }
    # ranked like every rate in the report: 1 = the lowest rate
    ranks = rank_areas(
        {c: r.resolution_rate for c, r in rows.items()}, polarity=Polarity.HIGHER_IS_WORSE
    )
    peers = sorted(
        (PeerResolution(c, names[c], r, ranks.get(c)) for c, r in rows.items()),
        key=lambda p: (-(p.row.resolution_rate or 0.0), p.name),
    )
    groups = mine.assign(group=[classify_outcome(o) for o in mine["outcome"]])
    tally = groups.groupby(["category", "group"])["count"].sum()
    by_category: dict[str, list[tuple[OutcomeGroup, int]]] = {}
    for key, n in tally.items():
        category, group = cast(tuple[str, str], key)
        by_category.setdefault(str(category), []).append((OutcomeGroup(str(group)), int(n)))
    loaded = con.execute(
        "SELECT count(*) > 0 FROM outcomes WHERE force_slug = ?", [ctx.area.force_slug]
    ).fetchone()
    return OutcomesAnalysis(
        area=resolution_rates(mine, resolved),
        peer_group=resolution_rates(frame, resolved),
        peers=tuple(peers),
        by_category_group=tuple((c, tuple(g)) for c, g in sorted(by_category.items())),
        updated_from_outcomes_files=int(mine.loc[mine["updated"], "count"].sum()),
        outcomes_files_loaded=bool(loaded and loaded[0]),
    )
