"""The harm section: crime weighted by harm, each category's share of volume beside its share
of harm, and harm per 1,000 residents ranked among the peer districts.

Counts come from the warehouse in one pass over every peer district; the weighting is
:func:`cspkit.stats.harm.harm_totals`. The weight table is a parameter: :func:`build` uses the
shipped default (:func:`default_weights`), and :func:`harm_section` takes any
:class:`WeightTable`, so a partnership can substitute its own weights.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import duckdb
import numpy as np

from cspkit.assessment.context import SectionContext
from cspkit.assessment.overview import no_ranks_note
from cspkit.assessment.wording import count_text, in_period
from cspkit.reference import read_table
from cspkit.report.blocks import Block, Column, Figure, Paragraph, Section, Table
from cspkit.report.charts import PALETTE, new_figure, render
from cspkit.stats.harm import HarmResult, harm_totals, weights_from_frame
from cspkit.stats.periods import Period
from cspkit.stats.polarity import Polarity
from cspkit.stats.rank import Rank, direction_of_travel, rank_areas
from cspkit.warehouse.registry import ASB_CATEGORY, CURRENT_CATEGORIES
from cspkit.warehouse.series import category_counts, district_population

SECTION_ID = "harm"
TITLE = "Harm"
DEFAULT_WEIGHTS_FILE = "harm_weights.csv"
DEFAULT_WEIGHTS_NAME = "Cambridge Crime Harm Index (default table)"
DEFAULT_WEIGHTS_SOURCE = (
    "days of the Cambridge Crime Harm Index (Sherman, Neyroud and Neyroud, 2016): for each "
    "offence, the starting point of the sentence a first offender would receive under the "
    "sentencing guidelines, in days of prison (a fine or community order is converted to days). "
    "police.uk publishes categories, not offences, so each category's weight is the average of "
    "its offences' weights, weighted by how often each offence occurs nationally; that "
    "aggregation was made by a third party (the public isthisben/cbl-realcrime project, 2026 "
    "update). These are not official figures"
)
#: How many categories are named as carrying the most harm per offence.
TOP_WEIGHTS = 3
POPULATION_BASIS = "persons"
CHART_SIZE = (8.0, 4.6)
BAR_HEIGHT = 0.4
HARM_HATCH = "///"


@dataclass(frozen=True)
class WeightTable:
    """Harm weights in days per police.uk category and where they come from."""

    weights: Mapping[str, float]
    name: str
    source: str


@dataclass(frozen=True)
class PeerHarm:
    """One district's harm per 1,000 residents and its rank (1 = lowest rate)."""

    code: str
    name: str
    harm_days: float
    population: float | None
    harm_per_1000: float | None
    rank: Rank | None


@dataclass(frozen=True)
class HarmAnalysis:
    """The area's harm by category, the peer ranking, and the comparison's ranks."""

    result: HarmResult
    asb_incidents: int
    peers: tuple[PeerHarm, ...]
    population_year: int | None
    previous_rank: Rank | None
    current_compared_rank: Rank | None
    weights: WeightTable


def default_weights() -> WeightTable:
    """The shipped Cambridge Crime Harm Index weights per police.uk category."""
    return WeightTable(
        weights_from_frame(read_table(DEFAULT_WEIGHTS_FILE)),
        DEFAULT_WEIGHTS_NAME,
        DEFAULT_WEIGHTS_SOURCE,
    )


def _crime_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """Every current crime category (0 when absent), plus any other non-ASB category found."""
    crimes = {c: int(counts.get(c, 0)) for c in CURRENT_CATEGORIES if c != ASB_CATEGORY}
    crimes.update({c: int(n) for c, n in counts.items() if c != ASB_CATEGORY})
    return crimes


@dataclass(frozen=True)
class _PeriodHarm:
    """Every peer's harm over one period, their ranks, and the area's counts."""

    results: dict[str, tuple[HarmResult, float | None]]
    ranks: dict[str, Rank]
    population_year: int | None
    area_counts: dict[str, int]


def _peer_harm(
    con: duckdb.DuckDBPyConnection, ctx: SectionContext, period: Period, weights: WeightTable
) -> _PeriodHarm:
    """Harm of every peer over a period: one pass over the warehouse, then ranks."""
    codes = list(dict.fromkeys([*(p.code for p in ctx.peers), ctx.area.code]))
    counts = category_counts(con, period.first, period.last)
    pops = district_population(con, codes, POPULATION_BASIS, period.last.year)
    results: dict[str, tuple[HarmResult, float | None]] = {}
    for code in codes:
        pop = pops.get(code)
        result = harm_totals(
            _crime_counts(counts.get(code, {})), weights.weights, pop[0] if pop else None
        )
        results[code] = (result, pop[0] if pop else None)
    ranks = rank_areas(
        {c: r.harm_days_per_1000 for c, (r, _) in results.items()},
        polarity=Polarity.HIGHER_IS_WORSE,
    )
    year = pops[ctx.area.code][1] if ctx.area.code in pops else None
    return _PeriodHarm(results, ranks, year, counts.get(ctx.area.code, {}))


def analyse_harm(
    con: duckdb.DuckDBPyConnection, ctx: SectionContext, weights: WeightTable
) -> HarmAnalysis:
    """Harm of the area and its peers over the period (and the comparison's ranks)."""
    now = _peer_harm(con, ctx, ctx.period, weights)
    results, ranks = now.results, now.ranks
    names = {p.code: p.name for p in ctx.peers} | {ctx.area.code: ctx.area.name}
    peers = tuple(
        sorted(
            (
                PeerHarm(c, names[c], r.total_harm_days, pop, r.harm_days_per_1000, ranks.get(c))
                for c, (r, pop) in results.items()
            ),
            key=lambda p: (p.rank is None or p.rank.position is None, _position(p.rank), p.name),
        )
    )
    previous = compared = None
    if ctx.comparison is not None:
        previous = _peer_harm(con, ctx, ctx.comparison.previous, weights).ranks[ctx.area.code]
        compared = _peer_harm(con, ctx, ctx.comparison.current, weights).ranks[ctx.area.code]
    return HarmAnalysis(
        result=results[ctx.area.code][0],
        asb_incidents=int(now.area_counts.get(ASB_CATEGORY, 0)),
        peers=peers,
        population_year=now.population_year,
        previous_rank=previous,
        current_compared_rank=compared,
        weights=weights,
    )


def _position(rank: Rank | None) -> int:
    return rank.position if rank is not None and rank.position is not None else 0


def _pct(share: float | None) -> str:
    return "n/a" if share is None else f"{share * 100:.0f}%"


def _category_table(a: HarmAnalysis) -> Table:
    rows = tuple(
        (
            r.category,
            r.count,
            r.weight_days,
            None if r.harm_days is None else round(r.harm_days),
            r.share_of_volume,
            r.share_of_harm,
        )
        for r in a.result.rows
    )
    rows += (
        (
            "All weighted crime",
            a.result.weighted_count,
            None,
            round(a.result.total_harm_days),
            1.0 if a.result.weighted_count else None,
            1.0 if a.result.total_harm_days else None,
        ),
    )
    notes = [
        f"Harm = count x weight in days; weights: {a.weights.name}.",
        "Anti-social behaviour incidents are not crimes and have no harm weight: they are "
        "left out of every harm total and share.",
    ]
    if a.result.unweighted_categories:
        notes.append(
            "No weight for: "
            + ", ".join(a.result.unweighted_categories)
            + "; these are counted in volume but left out of harm."
        )
    return Table(
        id=f"{SECTION_ID}-by-category",
        caption="Crimes and harm (days) by category, with each category's share of volume "
        "and of harm",
        columns=(
            Column("Category"),
            Column("Crimes", numeric=True, count=True, format="count"),
            Column("Weight (days)", numeric=True, format="rate"),
            Column("Harm (days, rounded)", numeric=True, format="count"),
            Column("Share of crimes", numeric=True, format="share"),
            Column("Share of harm", numeric=True, format="share"),
        ),
        rows=rows,
        notes=tuple(notes),
    )


def _top(a: HarmAnalysis) -> str | None:
    """'Violence and sexual offences are 45% of crimes but 80% of harm.'"""
    rows = [r for r in a.result.rows if r.share_of_harm is not None and r.count > 0]
    if not rows:
        return None
    top = rows[0]
    but = "but" if (top.share_of_volume or 0) < (top.share_of_harm or 0) else "and"
    return (
        f"{top.category} are {_pct(top.share_of_volume)} of crimes {but} "
        f"{_pct(top.share_of_harm)} of harm"
    )


def _heaviest(a: HarmAnalysis) -> str | None:
    """'Per offence, Robbery (365 days), ... carry the most harm.'"""
    rows = sorted(
        (r for r in a.result.rows if r.weight_days is not None and r.count > 0),
        key=lambda r: (-(r.weight_days or 0.0), r.category),
    )[:TOP_WEIGHTS]
    if not rows:
        return None
    listed = ", ".join(f"{r.category.lower()} ({r.weight_days:,.0f} days)" for r in rows)
    return (
        f"Per offence, {listed} carry the most harm; the total is dominated by the categories "
        "that are both common and heavy."
    )


def _chart(a: HarmAnalysis, area: str) -> Figure:
    rows = [r for r in a.result.rows if r.share_of_harm is not None][::-1]
    labels = [r.category for r in rows]
    volume = [(r.share_of_volume or 0.0) * 100 for r in rows]
    harm = [(r.share_of_harm or 0.0) * 100 for r in rows]
    fig = new_figure(CHART_SIZE)
    ax = fig.add_subplot(1, 1, 1)
    y = np.arange(len(rows))
    bars_v = ax.barh(y + BAR_HEIGHT / 2, volume, BAR_HEIGHT, color=PALETTE[5], label="% of crimes")
    bars_h = ax.barh(
        y - BAR_HEIGHT / 2,
        harm,
        BAR_HEIGHT,
        color=PALETTE[1],
        hatch=HARM_HATCH,
        edgecolor="white",
        label="% of harm (hatched)",
    )
    for bars in (bars_v, bars_h):
        ax.bar_label(bars, fmt="%.0f%%", padding=2, fontsize=7)
    ax.set_yticks(y, labels)
    ax.set_xlabel("Share of the district total (%)")
    ax.set_xlim(0, max([*volume, *harm, 1.0]) * 1.15)
    ax.legend(loc="lower right", frameon=False)
    svg, png = render(fig)
    top = _top(a)
    alt = f"Paired bars for each crime category in {area}: share of crimes and share of harm. " + (
        f"{top}." if top else "No weighted crime was recorded."
    )
    data = Table(
        id=f"{SECTION_ID}-shares",
        caption="Share of crimes and share of harm by category (chart data)",
        columns=(
            Column("Category"),
            Column("Share of crimes", numeric=True, format="share"),
            Column("Share of harm", numeric=True, format="share"),
        ),
        rows=tuple((r.category, r.share_of_volume, r.share_of_harm) for r in rows[::-1]),
    )
    return Figure(
        id=f"{SECTION_ID}-shares-chart",
        caption=f"Share of crimes and share of harm by category, {area}",
        alt=alt,
        svg=svg,
        png=png,
        table=data,
    )


def _peer_table(a: HarmAnalysis, ctx: SectionContext) -> Table:
    year = f"mid-{a.population_year} " if a.population_year else ""
    return Table(
        id=f"{SECTION_ID}-peers",
        caption=f"Harm per 1,000 residents among {len(a.peers)} districts, {ctx.period.label}",
        columns=(
            Column("District"),
            Column("Harm (days)", numeric=True, format="count"),
            Column("Residents", numeric=True, format="count"),
            Column("Harm days per 1,000 residents", numeric=True, format="rate"),
            Column("Rank (1 = lowest rate)", numeric=True),
        ),
        rows=tuple(
            (
                p.name,
                round(p.harm_days),
                p.population,
                p.harm_per_1000,
                p.rank.label if p.rank is not None and ctx.ranked else "n/a",
            )
            for p in a.peers
        ),
        notes=(
            f"Residents: {year}population estimates, the year held nearest to "
            f"{ctx.period.last.year}.",
            "The same weights are applied to every district; anti-social behaviour is excluded.",
        ),
    )


def _rank_sentence(a: HarmAnalysis, ctx: SectionContext) -> str | None:
    area = next((p for p in a.peers if p.code == ctx.area.code), None)
    if not ctx.ranked or area is None or area.rank is None or area.rank.position is None:
        return None
    text = (
        f"Harm per 1,000 residents in {ctx.area.name} was {area.harm_per_1000:,.0f} days "
        f"{in_period(ctx.period.label)}, ranked {area.rank.describe()} districts "
        "(1 = lowest rate)"
    )
    c = ctx.comparison
    if c is None or a.previous_rank is None or a.previous_rank.position is None:
        return text + "."
    now = a.current_compared_rank if c.like_for_like else area.rank
    direction = direction_of_travel(now, a.previous_rank)
    return (
        f"{text}; its rank {direction.text if direction.text != 'no change' else 'did not move'}"
        f" ({a.previous_rank.label} {in_period(c.previous.label)}, "
        f"{now.label if now else 'n/a'} {in_period(c.current.label)})."
    )


def harm_section(
    con: duckdb.DuckDBPyConnection, ctx: SectionContext, weights: WeightTable
) -> Section:
    """The harm section with any weight table (the default is :func:`default_weights`)."""
    a = analyse_harm(con, ctx, weights)
    area = ctx.area.name
    blocks: list[Block] = [
        Paragraph(
            "Counting crimes treats a shoplifting and a robbery alike. Weighting each crime by "
            f"the harm it typically causes shows where harm is concentrated. The weights are "
            f"{a.weights.source}. They are indicative, and a partnership can use its own table."
        ),
        Paragraph(
            "Harm per 1,000 residents adds up the days of every crime in the district and "
            "divides by the number of residents in thousands, so districts of different sizes "
            "can be compared: 5,000 days per 1,000 residents is 5 days of harm per resident."
        ),
        Paragraph(
            f"Anti-social behaviour ({count_text(a.asb_incidents, ctx)} incidents in "
            f"{area} {in_period(ctx.period.label)}) is not a crime and has no harm weight, so "
            "it is left out of the harm totals and of both shares."
        ),
    ]
    findings: list[str] = []
    if a.result.weighted_count == 0:
        blocks.append(Paragraph(f"No weighted crime was recorded in {area} in the period."))
        return Section(SECTION_ID, TITLE, tuple(blocks))
    top = _top(a)
    if top:
        findings.append(f"{top} in {area} {in_period(ctx.period.label)}.")
    heaviest = _heaviest(a)
    if heaviest:
        blocks.append(Paragraph(heaviest))
    blocks += [_category_table(a), _chart(a, area)]
    rank = _rank_sentence(a, ctx)
    if rank:
        findings.append(rank)
    blocks.append(_peer_table(a, ctx))
    if not ctx.ranked:
        blocks.append(Paragraph(no_ranks_note(len(ctx.peers))))
    elif ctx.comparison is not None and ctx.comparison.like_for_like:
        blocks.append(
            Paragraph(
                f"The direction of the rank compares {ctx.comparison.current.label} with "
                f"{ctx.comparison.previous.label}, the like-for-like months the data hold."
            )
        )
    return Section(SECTION_ID, TITLE, tuple(blocks), tuple(findings))


def build(con: duckdb.DuckDBPyConnection, ctx: SectionContext) -> Section | None:
    """The harm section with the shipped default weights."""
    return harm_section(con, ctx, default_weights())
