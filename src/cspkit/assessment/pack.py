"""Every CSP of a force, a county or England and Wales in one pass, with an index.

The warehouse is opened once with CSPs as the unit (:mod:`cspkit.assessment.areas`). The
league table behind the index is computed from one aggregation per period over all CSPs, so
peer rates, ranks and changes are computed once; the per-CSP reports are then written in
parallel, each worker process holding one in-memory copy of the records for all of its CSPs.
A CSP that cannot be assessed (a period its force has not fully published, say) is listed in
the index with the reason, and the other CSPs are still written.

Example::

    run_pack(Path("national.duckdb"), "2024-01..2024-02", out=Path("pack"), select_all=True)
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import duckdb

from cspkit.assessment.areas import (
    MOST_SIMILAR,
    Csp,
    all_csps,
    find_csp,
    most_similar_units,
    unit_connection,
)
from cspkit.assessment.comparison import choose_comparison
from cspkit.assessment.league import LeagueCell, LeagueRow
from cspkit.errors import CspkitError
from cspkit.ingest.forces import nearest_force_ids
from cspkit.stats.change import compare_counts
from cspkit.stats.periods import Period, comparison_period, parse_period
from cspkit.stats.rank import Rank, rank_areas
from cspkit.stats.rates import DenominatorBasis, rate_per_1000
from cspkit.stats.similarity import METHOD_TEXT
from cspkit.warehouse.coverage import Coverage, ForceMonth, coverage
from cspkit.warehouse.registry import police_indicators, slugify
from cspkit.warehouse.series import district_population

Progress = Callable[[str, int, int], None]
#: The indicators of the league table: police.uk ids.
LEAGUE_INDICATORS = ("all-crime", "anti-social-behaviour")
ASSESSED = "assessed"


@dataclass(frozen=True)
class PackResult:
    """What a pack run wrote."""

    period: Period
    previous: Period | None
    rows: tuple[LeagueRow, ...]
    coverage_gaps: tuple[ForceMonth, ...]
    forces: tuple[str, ...]
    index_html: Path
    index_csv: Path

    @property
    def assessed(self) -> int:
        return sum(1 for r in self.rows if r.status == ASSESSED)


def _units_with_data(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    rows = con.execute("SELECT lad_code, force, force_slug FROM district_force").fetchall()
    return {str(u): (str(f), str(s)) for u, f, s in rows}


def select_csps(
    con: duckdb.DuckDBPyConnection,
    *,
    select_all: bool = False,
    force: str | None = None,
    csps: Sequence[str] = (),
) -> list[Csp]:
    """The CSPs to assess: every CSP with data, a force's (police.uk id), or those named."""
    held = _units_with_data(con)
    if csps:
        chosen = [find_csp(c) for c in csps]
    elif force is not None:
        slug = force.strip().lower()
        chosen = [c for c in all_csps() if held.get(c.unit_code, ("", ""))[1] == slug]
        if not chosen:
            near = [f for f in nearest_force_ids(force) if f != slug]
            hint = f"; did you mean {' or '.join(near)}?" if near else ""
            raise CspkitError(
                f"no CSPs with records of force {force!r}{hint} (see 'cspkit coverage')"
            )
    elif select_all:
        chosen = [c for c in all_csps() if c.unit_code in held]
    else:
        raise CspkitError("choose the CSPs: all of them, a force, or CSPs by name")
    if not chosen:
        raise CspkitError("the warehouse holds no police.uk records for any CSP")
    return sorted(chosen, key=lambda c: c.name)


def _counts(con: duckdb.DuckDBPyConnection, period: Period) -> dict[str, dict[str, int]]:
    """unit -> league indicator -> records, for every CSP in one aggregation."""
    inds = {i.id: i for i in police_indicators() if i.id in LEAGUE_INDICATORS}
    rows = con.execute(
        "SELECT lad_code, category, count(*) FROM crimes WHERE month BETWEEN ? AND ? "
        "AND lad_code IS NOT NULL GROUP BY ALL",
        [period.first, period.last],
    ).fetchall()
    out: dict[str, dict[str, int]] = {}
    for unit, category, n in rows:
        per = out.setdefault(str(unit), dict.fromkeys(LEAGUE_INDICATORS, 0))
        for ind_id, ind in inds.items():
            if category in ind.categories:
                per[ind_id] += int(n)
    return out


def _rank_text(ranks: dict[str, Rank], unit: str) -> str:
    rank = ranks.get(unit)
    if rank is None or rank.position is None:
        return "n/a"
    return f"{rank.label} of {rank.of}"


def league_table(
    con: duckdb.DuckDBPyConnection, csps: Sequence[Csp], period: Period, cov: Coverage
) -> tuple[tuple[LeagueRow, ...], Period | None]:
    """Rates, change and ranks of every CSP with data, from one aggregation per period."""
    held = _units_with_data(con)
    units = sorted(held)
    previous = comparison_period(period)
    comparable = {
        slug: choose_comparison(cov, slug, period, previous) for _, slug in set(held.values())
    }
    current = _counts(con, period)
    before = _counts(con, previous)
    pops = district_population(con, units, DenominatorBasis.PERSONS.value, period.first.year)
    rates: dict[str, dict[str, float | None]] = {i: {} for i in LEAGUE_INDICATORS}
    # A CSP whose force has not fully published the period gets no rate or rank: its count
    # is what is held, but a rate from part of the months would mislead.
    complete = {u for u, (_, slug) in held.items() if cov.covers(slug, period)}
    for unit in units:
        denominator, year, _ = pops.get(unit, (None, None, ""))
        for ind in LEAGUE_INDICATORS:
            count = current.get(unit, {}).get(ind, 0)
            rates[ind][unit] = (
                None
                if unit not in complete
                else rate_per_1000(
                    count, denominator, basis=DenominatorBasis.PERSONS, year=year
                ).value
            )
    by_force: dict[str, list[str]] = {}
    for unit, (_, slug) in held.items():
        by_force.setdefault(slug, []).append(unit)
    force_ranks = {
        ind: {
            u: r
            for members in by_force.values()
            for u, r in rank_areas({m: rates[ind][m] for m in members}).items()
        }
        for ind in LEAGUE_INDICATORS
    }
    rows: list[LeagueRow] = []
    for csp in csps:
        unit = csp.unit_code
        force, slug = held.get(unit, ("", ""))
        group = [u for u in most_similar_units(csp) if u in held] + [unit]
        denominator, year, _ = pops.get(unit, (None, None, ""))
        full_previous = comparable.get(slug)
        cells = []
        for ind in LEAGUE_INDICATORS:
            now = current.get(unit, {}).get(ind, 0)
            similar = rank_areas({g: rates[ind].get(g) for g in group})
            if full_previous is not None and not full_previous.like_for_like:
                then = before.get(unit, {}).get(ind, 0)
                change = compare_counts(now, then)
                prev_count: int | None = then
                pct, p, sig = change.pct_change, change.p_value, change.significant
            else:
                prev_count, pct, p, sig = None, None, None, False
            cells.append(
                LeagueCell(
                    now,
                    prev_count,
                    None if prev_count is not None and change.small_counts else pct,
                    p,
                    sig,
                    rates[ind].get(unit),
                    _rank_text(force_ranks[ind], unit),
                    _rank_text(similar, unit),
                )
            )
        rows.append(LeagueRow(csp, force, denominator, year, tuple(cells), "", slugify(csp.name)))
    has_previous = any(c.previous is not None for r in rows for c in r.cells)
    return tuple(rows), previous if has_previous else None


# Worker processes: one in-memory copy of the records per process, reused for every CSP.
_WORKER: dict[str, duckdb.DuckDBPyConnection] = {}


def _init_worker(db: str) -> None:
    _WORKER["con"] = unit_connection(Path(db), materialise=True)


def _assess_one(
    unit: str,
    period: str,
    compare: str | None,
    peers: list[str] | None,
    notes: tuple[str, ...],
    folder: str,
    formats: tuple[str, ...],
    public: bool,
) -> tuple[str, str]:
    """Assess one CSP in a worker; returns (unit, status)."""
    from cspkit.assessment.run import write_outputs

    try:
        write_outputs(
            _WORKER["con"],
            unit,
            parse_period(period),
            compare=parse_period(compare) if compare else None,
            peers=peers,
            notes=notes,
            out=Path(folder),
            formats=formats,
            public=public,
        )
    except CspkitError as exc:
        return unit, f"not assessed: {exc}"
    return unit, ASSESSED


def run_pack(
    db: Path,
    period: str,
    *,
    out: Path,
    select_all: bool = False,
    force: str | None = None,
    csps: Sequence[str] = (),
    compare: str | None = None,
    peers: str = "force",
    formats: Sequence[str] = ("html",),
    public: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
) -> PackResult:
    """Assess many CSPs for ``period`` and write one folder each plus ``index.html``/``.csv``.

    ``peers`` is "force" (rank among the force's CSPs) or "most-similar".
    """
    from cspkit.assessment.pack_index import write_index

    parsed = parse_period(period)
    con = unit_connection(db)
    try:
        chosen = select_csps(con, select_all=select_all, force=force, csps=csps)
        cov = coverage(con)
        rows, previous = league_table(con, chosen, parsed, cov)
        held = _units_with_data(con)
    finally:
        con.close()
    out.mkdir(parents=True, exist_ok=True)
    statuses: dict[str, str] = {}
    total = len(rows)
    if progress is not None:
        progress("assessing CSPs", 0, total)
    jobs = []
    with ProcessPoolExecutor(
        max_workers=min(workers or os.cpu_count() or 1, total),
        # Fresh interpreters, not forks: a fork copies locks held by DuckDB's and the numeric
        # libraries' threads, and a worker can then wait on them for ever.
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(str(db),),
    ) as pool:
        for row in rows:
            similar = [u for u in most_similar_units(row.csp) if u in held]
            group = [row.csp.unit_code, *similar] if peers == MOST_SIMILAR else None
            notes = (METHOD_TEXT,) if peers == MOST_SIMILAR else ()
            jobs.append(
                pool.submit(
                    _assess_one,
                    row.csp.unit_code,
                    period,
                    compare,
                    group,
                    notes,
                    str(out / row.folder),
                    tuple(formats),
                    public,
                )
            )
        for done, job in enumerate(as_completed(jobs), start=1):
            unit, status = job.result()
            statuses[unit] = status
            if progress is not None:
                progress("assessing CSPs", done, total)
    final = tuple(
        LeagueRow(
            r.csp,
            r.force,
            r.denominator,
            r.denominator_year,
            r.cells,
            statuses[r.csp.unit_code],
            r.folder,
        )
        for r in rows
    )
    # Coverage of the forces whose records make up the chosen CSPs (every force for --all).
    forces = (
        cov.forces
        if select_all
        else tuple(sorted({held[r.csp.unit_code][1] for r in final if r.csp.unit_code in held}))
    )
    gaps = tuple(g for slug in forces for g in cov.gaps(slug, parsed))
    html, csv_path = write_index(out, parsed, previous, final, gaps, forces, whole=select_all)
    return PackResult(parsed, previous, final, gaps, forces, html, csv_path)
