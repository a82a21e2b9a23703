"""Wards and places: where crime and ASB were recorded in the district during the period.

Counts come from police.uk records (each snapped to a map point and an LSOA). Records are
counted in a ward by their map point where the ward boundaries are shipped or loaded, else by
the shipped best-fit lookup of their LSOA (2021 LSOAs to 2025 wards, 2011 LSOAs to 2013
wards); a ward's population is the sum of its LSOAs' populations, and
its rate is not given unless every one of its LSOAs has a figure. Concentration across the
district's LSOAs uses :func:`cspkit.stats.concentration.concentration`.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np

from cspkit.assessment.context import SectionContext
from cspkit.assessment.sections.places_data import (
    ALL_CRIME,
    ASB,
    MEASURES,
    PlaceData,
    WardRow,
    join_words,
    load,
    lower_label,
    top_wards,
    ward_method_text,
    ward_rows,
    without_wards,
)
from cspkit.report.blocks import Block, Cell, Column, Figure, Paragraph, Section, Table
from cspkit.report.charts import INK, MUTED, PALETTE, new_figure, render
from cspkit.stats.concentration import ConcentrationResult, concentration
from cspkit.stats.rates import DenominatorBasis, rate_per_1000

SECTION_ID = "places"
TITLE = "Wards and places"
TOP_LSOAS = 10
LORENZ_STEPS = 10
LORENZ_SIZE = (5.6, 4.2)
COORD_DECIMALS = 5
GINI_DECIMALS = 3


def _ward_table(data: PlaceData, rows: Sequence[WardRow], ctx: SectionContext) -> Table:
    pop_year = f"mid-{data.population_year}" if data.population_year else "no year"
    columns = [
        Column("Ward"),
        Column("LSOAs", numeric=True),
        Column(f"Population ({pop_year})", numeric=True, format="count"),
    ]
    for m in MEASURES:
        label = MEASURES[m]
        columns += [
            Column(label, numeric=True, count=True, format="count"),
            Column(f"{label} per 1,000 residents", numeric=True, format="rate"),
            Column(f"{label}: share of district", numeric=True, format="share"),
        ]
    body: list[tuple[Cell, ...]] = []
    for r in rows:
        cells: list[Cell] = [r.name, r.lsoas, r.population]
        for m in MEASURES:
            total = data.district_total(m)
            cells += [r.counts[m], r.rates[m], r.counts[m] / total if total else None]
        body.append(tuple(cells))
    no_rate = [f"{r.name} ({r.note})" for r in rows if r.note]
    notes = [
        ward_method_text(data),
        "A ward's rate is given only when every one of its LSOAs has a population figure.",
        "Share of district: the ward's records as a share of every record in "
        f"{ctx.area.name} in the period.",
    ]
    if no_rate:
        notes.append(
            "Rate not available (no population figure for some LSOAs; LSOAs created in the "
            "2021 revision have none in the shipped data, and figures can be loaded with "
            "'cspkit ingest population'): " + "; ".join(no_rate) + "."
        )
    return Table(
        id=f"{SECTION_ID}-wards",
        caption=f"Crime and ASB by ward in {ctx.area.name}, {ctx.period.label}",
        columns=tuple(columns),
        rows=tuple(body),
        notes=tuple(notes),
    )


def _category_table(data: PlaceData, ctx: SectionContext) -> Table:
    categories = data.categories()
    body: list[tuple[Cell, ...]] = []
    for (code, name), codes in data.ward_members().items():
        body.append((str(name), *(data.ward_count(code, codes, [c]) for c in categories)))
    body.sort(key=lambda row: str(row[0]))
    return Table(
        id=f"{SECTION_ID}-ward-categories",
        caption=f"Records by ward and category in {ctx.area.name}, {ctx.period.label}",
        columns=(Column("Ward"), *(Column(c, numeric=True, count=True) for c in categories)),
        rows=tuple(body),
        notes=("Police.uk categories; anti-social behaviour incidents are not crimes.",),
    )


def _lsoa_table(data: PlaceData, ctx: SectionContext) -> Table:
    crime, asb = data.measure(ALL_CRIME), data.measure(ASB)
    order = sorted(data.lsoas, key=lambda c: (-int(crime.get(c, 0)), c))[:TOP_LSOAS]
    body: list[tuple[Cell, ...]] = []
    for code in order:
        pop = data.population.get(code)
        cells: list[Cell] = [code, data.names.get(code, ""), data.ward_of(code) or "–"]
        for series in (crime, asb):
            n = int(series.get(code, 0))
            rate = rate_per_1000(n, pop, basis=DenominatorBasis.PERSONS, year=None).value
            cells += [n, rate]
        body.append(tuple(cells))
    return Table(
        id=f"{SECTION_ID}-lsoas",
        caption=(f"The {len(order)} LSOAs of {ctx.area.name} with most crime, {ctx.period.label}"),
        columns=(
            Column("LSOA"),
            Column("Name"),
            Column("Ward"),
            Column("All crime", numeric=True, count=True),
            Column("All crime per 1,000 residents", numeric=True, format="rate"),
            Column("ASB", numeric=True, count=True),
            Column("ASB per 1,000 residents", numeric=True, format="rate"),
        ),
        rows=tuple(body),
        notes=(
            f"Rates use the LSOA's mid-{data.population_year} population where there is one."
            if data.population_year
            else "No LSOA population figures are loaded, so no rates are given.",
        ),
    )


def _gini_text(value: float | None) -> str | None:
    return None if value is None else f"{value:.{GINI_DECIMALS}f}"


def _concentration_table(results: dict[str, ConcentrationResult], ctx: SectionContext) -> Table:
    def share(k: int | None, n: int) -> float | None:
        return None if k is None else k / n

    body = tuple(
        (
            MEASURES[m],
            r.places,
            r.places_with_events,
            r.places_for_25pct,
            share(r.places_for_25pct, r.places),
            r.places_for_50pct,
            share(r.places_for_50pct, r.places),
            _gini_text(r.gini),
            _gini_text(r.generalised_gini),
        )
        for m, r in results.items()
    )
    return Table(
        id=f"{SECTION_ID}-concentration",
        caption=f"Concentration of crime and ASB across the LSOAs of {ctx.area.name}",
        columns=(
            Column("Measure"),
            Column("LSOAs", numeric=True),
            Column("LSOAs with records", numeric=True),
            Column("LSOAs holding 25% of records", numeric=True),
            Column("Share of LSOAs holding 25%", numeric=True, format="share"),
            Column("LSOAs holding 50% of records", numeric=True),
            Column("Share of LSOAs holding 50%", numeric=True, format="share"),
            Column("Gini", numeric=True),
            Column("Generalised Gini", numeric=True),
        ),
        rows=body,
        notes=(
            "Busiest LSOAs first: the fewest LSOAs that together hold at least 25% (50%) of "
            "the records (Weisburd 2015 reports about 25% of crime on 0.4-1.6% and 50% on "
            "2-6% of street segments; LSOAs are much larger places, so shares are higher).",
            "Gini: 0 when every LSOA has the same count, towards 1 when one LSOA has them all. "
            "The generalised Gini (Bernasco and Steenbeek 2017) measures against the most even "
            "spread possible and differs from the Gini only when records are fewer than LSOAs.",
        ),
    )


def _lorenz_figure(results: dict[str, ConcentrationResult], ctx: SectionContext) -> Figure:
    fig = new_figure(LORENZ_SIZE)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color=MUTED, linestyle=":", label="Equal spread")
    grid = np.linspace(0, 1, LORENZ_STEPS + 1)
    styles = (("-", "o"), ("--", "s"))
    read: dict[str, np.ndarray] = {}
    for (m, label), colour, (line, marker) in zip(MEASURES.items(), PALETTE, styles, strict=False):
        pts = np.asarray(results[m].lorenz)
        if not len(pts):
            continue
        read[m] = np.interp(grid, pts[:, 0], pts[:, 1])
        ax.plot(pts[:, 0], pts[:, 1], color=colour, linestyle=line, label=label)
        ax.plot(grid, read[m], color=colour, linestyle="none", marker=marker, markersize=4)
    ax.set_xlabel("Cumulative share of LSOAs (quietest first)")
    ax.set_ylabel("Cumulative share of records")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.legend(frameon=False, labelcolor=INK)
    svg, png = render(fig)
    rows = tuple(
        (round(float(x), 2), *(float(read[m][i]) if m in read else None for m in MEASURES))
        for i, x in enumerate(grid)
    )
    table = Table(
        id=f"{SECTION_ID}-lorenz",
        caption=f"Lorenz curve points for {ctx.area.name}",
        columns=(
            Column("Share of LSOAs (quietest first)", numeric=True, format="share"),
            *(Column(f"Share of {lower_label(m)}", numeric=True, format="share") for m in MEASURES),
        ),
        rows=rows,
        notes=("Read from the Lorenz curve, interpolating linearly between LSOAs.",),
    )
    crime, asb = results[ALL_CRIME], results[ASB]
    alt = (
        f"Lorenz curves of all crime and ASB across the {crime.places} LSOAs of "
        f"{ctx.area.name}. "
        + concentration_sentence(crime, asb, ctx.area.name)
        + (
            f" Gini coefficients: all crime {crime.gini:.2f}, ASB {asb.gini:.2f}."
            if crime.gini is not None and asb.gini is not None
            else ""
        )
    )
    return Figure(
        id=f"{SECTION_ID}-lorenz-figure",
        caption=f"How concentrated crime and ASB are across the LSOAs of {ctx.area.name}",
        alt=alt,
        svg=svg,
        png=png,
        table=table,
    )


def concentration_sentence(crime: ConcentrationResult, asb: ConcentrationResult, area: str) -> str:
    """'Across the 99 LSOAs of X, half of all crime was recorded in 22 (22.2%), ...'."""
    parts = [
        f"half of {label} {{}}in {r.places_for_50pct} ({r.pct_places_for_50pct:.1f}%)"
        for label, r in (("all crime", crime), ("ASB", asb))
        if r.places_for_50pct is not None and r.pct_places_for_50pct is not None
    ]
    if not parts:
        return f"No crime or ASB was recorded in the LSOAs of {area} in the period."
    text = ", and ".join([parts[0].format("was recorded "), *(p.format("") for p in parts[1:])])
    return f"Across the {crime.places} LSOAs of {area}, {text}."


def _locations_table(data: PlaceData, ctx: SectionContext) -> Table:
    body = tuple(
        (
            r.location,
            data.ward_of_point(r) or "–",
            r.lsoa_name or r.lsoa_code or "–",
            f"{r.latitude:.{COORD_DECIMALS}f}",
            f"{r.longitude:.{COORD_DECIMALS}f}",
            r.records,
            r.top_category,
        )
        for r in data.locations
    )
    return Table(
        id=f"{SECTION_ID}-locations",
        caption=(
            f"The {len(body)} police.uk map points with most records in {ctx.area.name}, "
            f"{ctx.period.label}"
        ),
        columns=(
            Column("Location"),
            Column("Ward"),
            Column("LSOA"),
            Column("Latitude", numeric=True),
            Column("Longitude", numeric=True),
            Column("Records (crime and ASB)", numeric=True, count=True),
            Column("Most common category"),
        ),
        rows=body,
        notes=(
            "Police.uk snaps each record to an anonymised map point covering at least eight "
            "postal addresses and names it after a nearby street or place ('On or near ...'); "
            "the same name can belong to several points, so each point is given by its "
            "coordinates.",
        ),
    )


def _findings(
    data: PlaceData,
    rows: Sequence[WardRow],
    results: dict[str, ConcentrationResult],
    ctx: SectionContext,
) -> tuple[str, ...]:
    found: list[str] = []
    floor = ctx.suppression_threshold if ctx.public else 0
    for m in MEASURES:
        top = top_wards(rows, m)
        total = data.district_total(m)
        if not top or not total:
            continue
        names = join_words([r.name for r in top])
        kind = "ward" if len(top) == 1 else "wards"
        share = sum(r.counts[m] for r in top) / total
        counts = ""
        if all(r.counts[m] >= floor for r in top):
            counts = " (" + join_words([f"{r.counts[m]:,}" for r in top]) + ")"
        what = lower_label(m)
        found.append(
            f"{names} {kind} recorded the highest volumes of {what}{counts}: "
            f"{share:.0%} of the {ctx.area.name} total."
        )
    if results[ALL_CRIME].events:
        found.append(concentration_sentence(results[ALL_CRIME], results[ASB], ctx.area.name))
    if data.locations:
        first = data.locations[0]
        ward = data.ward_of_point(first)
        where = f" in {ward} ward" if ward else ""
        count = f" with {first.records:,} records" if first.records >= floor else ""
        found.append(
            f"The busiest police.uk map point was '{first.location}'{where}{count} "
            f"({ctx.period.label})."
        )
    return tuple(found)


def build(con: duckdb.DuckDBPyConnection, ctx: SectionContext) -> Section:
    """The wards and places section for the assessment's district and period."""
    data = load(con, ctx.area.code, ctx.period, ctx.area.force_slug)
    blocks: list[Block] = []
    if data.vintage is None or data.total_records == 0:
        blocks.append(
            Paragraph(
                f"No police.uk records with an LSOA are held for {ctx.area.name} in "
                f"{ctx.period.label}, so there is nothing to place."
            )
        )
        return Section(SECTION_ID, TITLE, tuple(blocks))
    rows = ward_rows(data)
    results = {m: concentration([int(v) for v in data.measure(m)]) for m in MEASURES}
    by_ward = "by ward, " if rows else ""
    intro = (
        f"Where crime and ASB were recorded in {ctx.area.name} in {ctx.period.label}: {by_ward}"
        f"by LSOA ({len(data.lsoas)} LSOAs, {data.vintage} boundaries) and by police.uk map "
        "point."
    )
    if data.unplaced:
        intro += (
            f" {data.unplaced:,} records carry an LSOA that is not one of the district's "
            f"{data.vintage} LSOAs and are counted in district totals only."
        )
    blocks.append(Paragraph(intro))
    if rows:
        blocks += [_ward_table(data, rows, ctx), _category_table(data, ctx)]
    else:
        blocks.append(
            Paragraph(
                f"No LSOA-to-ward lookup is available for {ctx.area.name} (cspkit ships one "
                "for the Kent Police area only), so counts and rates by ward are not shown. "
                "Concentration and repeat locations below are by LSOA and by map point."
            )
        )
    blocks.append(without_wards(_lsoa_table(data, ctx), data))
    blocks.append(_concentration_table(results, ctx))
    if results[ALL_CRIME].events or results[ASB].events:
        blocks.append(_lorenz_figure(results, ctx))
    if data.locations:
        blocks.append(without_wards(_locations_table(data, ctx), data))
    return Section(SECTION_ID, TITLE, tuple(blocks), _findings(data, rows, results, ctx))
