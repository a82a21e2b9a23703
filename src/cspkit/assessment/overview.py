"""The crime and disorder overview: the table of section 3.1 of a Strategic Assessment.

For each indicator: the count in the period, the change against the comparison period with
its exact test, the rate per 1,000 of the indicator's denominator (with the denominator and
its year), the rank among peer districts and the direction of travel of that rank.

When the compared periods differ in length (12 months against a quarter) or in population,
counts are not comparable: the exact test is given each period's exposure (months times
population), and the change reported is the change of the rate, with the 95% confidence
interval of the rate ratio. Ranks need peers: with fewer than :data:`MIN_PEERS` districts in
the peer group no rank or direction of travel is produced.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from cspkit.assessment.comparison import Comparison, choose_comparison, require_covered
from cspkit.errors import DataCoverageError
from cspkit.stats.change import CountChange, compare_counts
from cspkit.stats.periods import Period, comparison_period
from cspkit.stats.rank import MIN_PEERS, Rank, direction_of_travel, rank_areas
from cspkit.stats.rates import DenominatorBasis, rate_per_1000
from cspkit.warehouse.coverage import Coverage, coverage
from cspkit.warehouse.registry import Indicator
from cspkit.warehouse.series import (
    District,
    district_population,
    force_districts,
    indicator_registry,
    indicator_values,
    resolve_district,
)


@dataclass(frozen=True)
class OverviewRow:
    """One indicator's line of the overview table."""

    indicator_id: str
    indicator: str
    unit: str
    polarity: str
    current: float
    previous: float | None
    current_compared: float | None
    change: float | None
    pct_change: float | None
    p_value: float | None
    significant: bool
    small_counts: bool
    rate_ratio: float | None
    rate_adjusted: bool
    ratio_lower: float | None
    ratio_upper: float | None
    change_text: str
    rate_per_1000: float | None
    denominator: float | None
    denominator_year: int | None
    denominator_basis: str
    denominator_source: str | None
    rank: str | None
    rank_position: int | None
    rank_of: int | None
    rank_compared: str | None
    previous_rank: str | None
    direction: str
    direction_arrow: str
    history: tuple[tuple[str, float | None], ...]
    note: str


@dataclass(frozen=True)
class Overview:
    """The overview of one district for one period."""

    area: District
    period: Period
    requested_compare: Period
    comparison: Comparison | None
    history_periods: tuple[Period, ...]
    peers: tuple[District, ...]
    rows: tuple[OverviewRow, ...]
    notes: tuple[str, ...]

    @property
    def ranked(self) -> bool:
        """Whether the peer group is large enough for ranks to mean anything."""
        return len(self.peers) >= MIN_PEERS

    @property
    def length_differs(self) -> bool:
        """Whether the two compared periods have different numbers of months."""
        c = self.comparison
        return c is not None and c.current.n_months != c.previous.n_months

    @property
    def rate_adjusted(self) -> bool:
        """Whether changes compare rates because the periods differ in length or population."""
        return any(r.rate_adjusted for r in self.rows)


def _rates(
    con: duckdb.DuckDBPyConnection,
    ind: Indicator,
    values: dict[str, float],
    areas: list[str],
    year: int,
) -> dict[str, tuple[float | None, float | None, int | None, str | None]]:
    basis = DenominatorBasis(ind.denominator_basis)
    if ind.unit != "count":
        return {a: (values.get(a), None, None, None) for a in areas}
    pops = district_population(con, areas, basis.value, year)
    out: dict[str, tuple[float | None, float | None, int | None, str | None]] = {}
    for a in areas:
        denominator, pop_year, source = pops.get(a, (None, None, None))
        if a not in values:
            out[a] = (None, denominator, pop_year, source)
            continue
        rate = rate_per_1000(round(values[a]), denominator, basis=basis, year=pop_year)
        out[a] = (rate.value, denominator, pop_year, source)
    return out


def _ranked(
    con: duckdb.DuckDBPyConnection,
    ind: Indicator,
    values: dict[str, float],
    areas: list[str],
    year: int,
) -> tuple[dict[str, Rank], dict[str, tuple[float | None, float | None, int | None, str | None]]]:
    rates = _rates(con, ind, values, areas, year)
    ranks = rank_areas({a: rates[a][0] for a in areas}, polarity=ind.polarity)
    return ranks, rates


def build_overview(
    con: duckdb.DuckDBPyConnection,
    area: str,
    period: Period,
    *,
    compare: Period | None = None,
    peers: list[str] | None = None,
) -> Overview:
    """Compute the overview for a district (name or ONS code) and period."""
    district = resolve_district(con, area)
    if district.force_slug is None:
        raise DataCoverageError(f"the warehouse holds no police.uk records for {district.name}")
    cov: Coverage = coverage(con)
    require_covered(cov, district.force_slug, period)
    requested = compare if compare is not None else comparison_period(period)
    comparison = choose_comparison(cov, district.force_slug, period, requested)
    notes: list[str] = []
    if comparison is None:
        notes.append(
            f"No comparison is possible: the warehouse holds no months of {requested.label} "
            "that match months of the period."
        )
    elif comparison.like_for_like:
        notes.append(comparison.note)
    history = tuple(
        p
        for p in (requested.shifted(-1),)
        if comparison is not None
        and not comparison.like_for_like
        and cov.covers(district.force_slug, p)
    )
    peer_districts = (
        tuple(resolve_district(con, p) for p in peers)
        if peers
        else tuple(force_districts(con, district.force_slug))
    )
    if district.code not in {p.code for p in peer_districts}:
        peer_districts = (*peer_districts, district)
    areas = [p.code for p in peer_districts]
    registry = indicator_registry(con)
    current = indicator_values(con, registry, period, area_codes=areas)
    cur_cmp = (
        indicator_values(con, registry, comparison.current, area_codes=areas) if comparison else {}
    )
    prev = (
        indicator_values(con, registry, comparison.previous, area_codes=areas) if comparison else {}
    )
    hist = [indicator_values(con, registry, p, area_codes=areas) for p in history]
    rows: list[OverviewRow] = []
    for ind in registry:
        values = current.get(ind.id, {})
        if district.code not in values or (not ind.from_police_uk and not values):
            continue
        if ind.from_police_uk and values[district.code] == 0 and not any(values.values()):
            continue
        rows.append(
            _row(con, ind, district.code, areas, period, comparison, values, cur_cmp, prev, hist)
        )
    if len(peer_districts) < MIN_PEERS:
        notes.append(no_ranks_note(len(peer_districts)))
    if comparison is not None and comparison.current.n_months != comparison.previous.n_months:
        notes.append(
            f"{comparison.current.label} ({_months(comparison.current.n_months)}) and "
            f"{comparison.previous.label} ({_months(comparison.previous.n_months)}) differ in "
            "length, so changes compare rates per month, not counts; the table gives both counts "
            "and the rate ratio's 95% confidence interval is in the data files."
        )
    return Overview(
        district, period, requested, comparison, history, peer_districts, tuple(rows), tuple(notes)
    )


def no_ranks_note(n_peers: int) -> str:
    """Why no rank is given for a peer group of ``n_peers`` districts."""
    districts = "district" if n_peers == 1 else "districts"
    return (
        f"The peer group holds {n_peers} {districts}, fewer than {MIN_PEERS}, so no ranks, "
        "'highest' or 'lowest' statements or directions of travel are given; name comparable "
        "districts with --peers to rank against them."
    )


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


def _exposure(
    con: duckdb.DuckDBPyConnection, ind: Indicator, code: str, period: Period
) -> tuple[float, bool]:
    """Months times the denominator (when there is one): the exposure of a count."""
    basis = DenominatorBasis(ind.denominator_basis)
    pops = district_population(con, [code], basis.value, period.last.year)
    denominator = pops.get(code, (None, None, None))[0]
    return (period.n_months * (denominator or 1.0), denominator is not None)


def _compare(
    con: duckdb.DuckDBPyConnection,
    ind: Indicator,
    code: str,
    comparison: Comparison,
    current: float,
    previous: float,
) -> CountChange:
    """The exact test of two counts, given their exposures when periods or bases differ."""
    e1, has1 = _exposure(con, ind, code, comparison.current)
    e2, has2 = _exposure(con, ind, code, comparison.previous)
    if not (has1 and has2):
        e1, e2 = float(comparison.current.n_months), float(comparison.previous.n_months)
    return compare_counts(
        round(current), round(previous), current_exposure=e1, previous_exposure=e2
    )


def _row(
    con: duckdb.DuckDBPyConnection,
    ind: Indicator,
    code: str,
    areas: list[str],
    period: Period,
    comparison: Comparison | None,
    values: dict[str, float],
    cur_cmp: dict[str, dict[str, float]],
    prev: dict[str, dict[str, float]],
    hist: list[dict[str, dict[str, float]]],
) -> OverviewRow:
    ranks, rates = _ranked(con, ind, values, areas, period.last.year)
    rate, denominator, pop_year, pop_source = rates[code]
    ranked = len(areas) >= MIN_PEERS
    rank = ranks.get(code) if ranked else None
    previous = current_compared = None
    change = None
    previous_rank: Rank | None = None
    rank_compared: Rank | None = None
    direction = direction_of_travel(None, None)
    if comparison is not None and code in prev.get(ind.id, {}):
        previous = prev[ind.id][code]
        current_compared = cur_cmp[ind.id].get(code, 0.0)
        if ind.unit == "count":
            change = _compare(con, ind, code, comparison, current_compared, previous)
        if ranked:
            prev_ranks, _ = _ranked(con, ind, prev[ind.id], areas, comparison.previous.last.year)
            previous_rank = prev_ranks.get(code)
            like_ranks = (
                _ranked(con, ind, cur_cmp[ind.id], areas, comparison.current.last.year)[0]
                if comparison.like_for_like
                else ranks
            )
            rank_compared = like_ranks.get(code)
            direction = direction_of_travel(rank_compared, previous_rank)
    note_parts = []
    if change is not None and change.small_counts:
        note_parts.append("small numbers: no percentage change is given")
    if ind.description:
        note_parts.append(ind.description)
    if rate is None and ind.unit == "count":
        note_parts.append(f"no {ind.denominator_basis} denominator for this district")
    difference: float | None = None
    if ind.unit != "count":
        rate = None  # a percentage or rate is ranked on its own value, not per 1,000
        if previous is not None and current_compared is not None:
            difference = current_compared - previous
            unit = "percentage points" if ind.unit == "percent" else "difference in the rate"
            note_parts.append(
                f"{ind.unit} measure: change in {unit}, not tested (no counts behind it)"
            )
    return OverviewRow(
        indicator_id=ind.id,
        indicator=ind.name,
        unit=ind.unit,
        polarity=ind.polarity.value,
        current=values[code],
        previous=previous,
        current_compared=current_compared,
        change=difference if change is None else change.change,
        pct_change=None if change is None or change.small_counts else change.pct_change,
        p_value=None if change is None else change.p_value,
        significant=False if change is None else change.significant,
        small_counts=False if change is None else change.small_counts,
        rate_ratio=None if change is None else change.rate_ratio,
        rate_adjusted=False if change is None else change.exposure_adjusted,
        ratio_lower=None if change is None else change.ratio_lower,
        ratio_upper=None if change is None else change.ratio_upper,
        change_text="" if change is None else change.describe(),
        rate_per_1000=rate,
        denominator=denominator,
        denominator_year=pop_year,
        denominator_basis=ind.denominator_basis,
        denominator_source=pop_source,
        rank=None if rank is None else rank.label,
        rank_position=None if rank is None else rank.position,
        rank_of=None if rank is None else rank.of,
        rank_compared=None if rank_compared is None else rank_compared.label,
        previous_rank=None if previous_rank is None else previous_rank.label,
        direction=direction.text,
        direction_arrow=direction.arrow,
        history=tuple(
            (p.label, h.get(ind.id, {}).get(code))
            for p, h in zip(_hist_periods(comparison, hist), hist, strict=False)
        ),
        note="; ".join(note_parts),
    )


def _hist_periods(
    comparison: Comparison | None, hist: list[dict[str, dict[str, float]]]
) -> list[Period]:
    if comparison is None or not hist:
        return []
    return [comparison.previous.shifted(-1)]
