"""Hot spots: where all crime and ASB cluster among the district's LSOAs, with maps.

Gi* is computed by :func:`cspkit.stats.hotspots.getis_ord_hotspots` on the count of records
per LSOA in the period, over the LSOA boundaries of the vintage the records use. Boundaries
are read from cspkit's reference data as ``boundaries/<force>_lsoa_<vintage>.geojson`` (and
wards, drawn on top, from ``boundaries/<force>_wards_<vintage>.geojson``); cspkit ships them
for the Kent Police area only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import replace

import duckdb
import geopandas as gpd
import numpy as np
import shapely

from cspkit.assessment.boundaries import LSOA_BOUNDARIES, WARD_BOUNDARIES, boundaries
from cspkit.assessment.context import SectionContext
from cspkit.assessment.sections.places_data import (
    ALL_CRIME,
    MEASURES,
    PlaceData,
    join_words,
    load,
    top_wards,
    ward_rows,
    without_wards,
)
from cspkit.errors import InputError
from cspkit.reference import DATA_DIR
from cspkit.report.blocks import Block, Cell, Column, Figure, Paragraph, Section, Table
from cspkit.report.locator import locator_for
from cspkit.report.maps import (
    MapClass,
    MapPanel,
    count_classes,
    draw_maps,
    rate_classes,
    sequential_styles,
)
from cspkit.stats.hotspots import Classification, HotspotResult, getis_ord_hotspots
from cspkit.warehouse.boundaries import stored_boundaries

SECTION_ID = "hotspots"
TITLE = "Hotspots"
#: Tolerance (degrees, about 1 m) for grouping touching hot spot LSOAs into areas.
TOUCH_TOLERANCE = 1e-5
Z_DECIMALS = 2
RATE_DECIMALS = 1

HOTSPOT_STYLES: dict[Classification, MapClass] = {
    Classification.HOT: MapClass("Hot spot", "#D55E00"),
    Classification.COLD: MapClass("Cold spot", "#56B4E9"),
    Classification.NOT_SIGNIFICANT: MapClass("Not significant", "#f3f2f1"),
    Classification.ISLAND: MapClass("Not tested (no neighbours)", "#ffffff"),
    Classification.WHOLE_AREA: MapClass("Not tested", "#ffffff"),
}
NO_POPULATION = MapClass("No population figure", "#d9d9d9")
#: Hatching of hot and cold spots when the maps are to read in greyscale print.
HOTSPOT_HATCHES: dict[Classification, str] = {
    Classification.HOT: "xx",
    Classification.COLD: "..",
}


def _no_boundaries(ctx: SectionContext, data: PlaceData) -> Paragraph:
    force = ctx.area.force_slug or "<force>"
    name = LSOA_BOUNDARIES.format(force=force, vintage=data.vintage)
    wards = WARD_BOUNDARIES.format(force=force, vintage=data.ward_vintage or "<year>")
    return Paragraph(
        f"Hot spot analysis and maps need the boundaries of {ctx.area.name}'s LSOAs, and "
        f"cspkit ships boundaries for the Kent Police area only, so this section has no maps "
        f"for {ctx.area.name}. To add them, download the {data.vintage} LSOA boundaries "
        "(generalised, from the ONS Open Geography Portal), save them as a GeoJSON "
        "FeatureCollection in longitude/latitude (WGS84) whose features have the properties "
        "code (the LSOA code), name and lad_code (the district code), and put the file at "
        f"{name} inside cspkit's reference data folder ({DATA_DIR.name}/ beside the "
        "installed cspkit.reference module); ward boundaries in the same form, saved as "
        f"{wards}, are drawn on top. The next assessment then includes this section."
    )


def _clusters(areas: gpd.GeoDataFrame, ids: Sequence[str]) -> int:
    """How many separate groups the given areas form (touching areas join one group)."""
    if not ids:
        return 0
    merged = shapely.unary_union(
        shapely.buffer(np.asarray(areas.loc[list(ids)].geometry.values), TOUCH_TOLERANCE)
    )
    return len(shapely.get_parts(merged))


def _neighbourhood(areas: gpd.GeoDataFrame, code: str) -> tuple[str, ...]:
    """The area and those touching it (sharing an edge or a corner)."""
    shape = shapely.buffer(areas.geometry.loc[code], TOUCH_TOLERANCE)
    return tuple(
        str(i) for i, g in zip(areas.index, areas.geometry, strict=True) if shape.intersects(g)
    )


COLD_MEANING = (
    "a cold spot is an LSOA whose neighbourhood (it and the LSOAs touching it) has fewer "
    "records than the district average would give"
)


def _above_average_cold(result: HotspotResult) -> list[str]:
    """Cold spots whose own count is above the mean count per LSOA."""
    values = [u.value for u in result.units]
    mean = sum(values) / len(values) if values else 0.0
    return [
        u.id for u in result.units if u.classification is Classification.COLD and u.value > mean
    ]


def hotspot_sentence(
    result: HotspotResult, areas: gpd.GeoDataFrame, data: PlaceData, what: str, area: str
) -> str:
    """'4 LSOAs, in High Street ward, form a significant hot spot of all crime; ...'.

    A cold spot is always explained, and one whose own count is above the average LSOA's is
    said to be so: it is its neighbourhood that is low.
    """
    pct = f"{result.parameters.alpha:.0%}"
    hot = [u.id for u in result.units if u.classification is Classification.HOT]
    cold = [u.id for u in result.units if u.classification is Classification.COLD]
    if not hot and not cold:
        return (
            f"No LSOA of {area} is a significant hot spot or cold spot of {what} "
            f"(Getis-Ord Gi*, false discovery rate {pct})."
        )
    parts = []
    for ids, kind in ((hot, "hot"), (cold, "cold")):
        if not ids:
            parts.append(f"no LSOA is a significant {kind} spot")
            continue
        wards = sorted({w for i in ids if (w := data.ward_of(i))})
        where = f" in {join_words(wards)} ward{'s' if len(wards) > 1 else ''}" if wards else ""
        groups = _clusters(areas, ids)
        if len(ids) == 1:
            parts.append(f"1 LSOA{where} is a significant {kind} spot")
        elif groups == 1:
            parts.append(f"{len(ids)} LSOAs{where} form a significant {kind} spot")
        else:
            parts.append(f"{len(ids)} LSOAs{where} form {groups} significant {kind} spots")
    text = (
        f"{what[0].upper()}{what[1:]} in {area}: {parts[0]}, and {parts[1]} "
        f"(Getis-Ord Gi*, false discovery rate {pct})."
    )
    if cold:
        above = _above_average_cold(result)
        text += f" Here {COLD_MEANING}"
        if above:
            names = ", ".join(data.names.get(i, i) for i in above)
            text += (
                f"; {names} itself recorded more than the average LSOA, so it is its "
                "surroundings that are low"
            )
        text += "."
    return text


def _hotspot_table(
    result: HotspotResult, data: PlaceData, measure: str, ctx: SectionContext
) -> Table:
    units = sorted(result.units, key=lambda u: (u.z is None, -(u.z or 0.0), u.id))
    rows: list[tuple[Cell, ...]] = [
        (
            u.id,
            data.names.get(u.id, ""),
            data.ward_of(u.id) or "–",
            int(u.value),
            None if u.z is None else round(u.z, Z_DECIMALS) + 0.0,  # never '-0.0'
            u.p_adjusted,
            str(u.classification),
        )
        for u in units
    ]
    p = result.parameters
    table = Table(
        id=f"{SECTION_ID}-{measure}",
        caption=f"Getis-Ord Gi* of {MEASURES[measure]} per LSOA in {ctx.area.name}, "
        f"{ctx.period.label}",
        columns=(
            Column("LSOA"),
            Column("Name"),
            Column("Ward"),
            Column(f"{MEASURES[measure]} records", numeric=True, count=True),
            Column("Gi* z-score", numeric=True),
            Column("Adjusted p", numeric=True, format="p"),
            Column("Class"),
        ),
        rows=tuple(rows),
        notes=(
            f"Weights: {p.weights}. {p.alternative.capitalize()} p-values, {p.inference}, so "
            f"the result does not depend on a random seed; {p.multiple_testing} false "
            f"discovery rate correction; a hot (cold) spot has an adjusted p of at most "
            f"{p.alpha} and a positive (negative) z-score.",
        ),
    )
    return without_wards(table, data)


def _hotspot_figure(
    result: HotspotResult,
    areas: gpd.GeoDataFrame,
    wards: gpd.GeoDataFrame | None,
    data: PlaceData,
    measure: str,
    ctx: SectionContext,
    sentence: str,
) -> Figure:
    order = [c for c in HOTSPOT_STYLES if any(u.classification is c for u in result.units)]
    order = order or [Classification.NOT_SIGNIFICANT]
    by_id = {u.id: u.classification for u in result.units}
    classes = tuple(order.index(by_id[i]) for i in areas.index)
    flagged = {
        w
        for u in result.units
        if u.classification in (Classification.HOT, Classification.COLD)
        if (w := data.ward_of(u.id))
    }
    what = "all crime" if measure == ALL_CRIME else MEASURES[measure]
    panel = MapPanel(
        title=f"{MEASURES[measure]}: hot and cold spots, {ctx.period.label}",
        classes=classes,
        styles=tuple(
            dataclasses.replace(HOTSPOT_STYLES[c], hatch=HOTSPOT_HATCHES.get(c, ""))
            if ctx.patterns
            else HOTSPOT_STYLES[c]
            for c in order
        ),
        legend_title=f"Getis-Ord Gi*, false discovery rate {result.parameters.alpha:.0%}",
    )
    svg, png = _draw(areas, wards, panel, data, ctx)
    return Figure(
        id=f"{SECTION_ID}-{measure}-map",
        caption=f"Hot and cold spots of {what} among the LSOAs of {ctx.area.name}",
        alt=sentence
        + (f" The wards holding them: {join_words(sorted(flagged))}." if flagged else ""),
        svg=svg,
        png=png,
        table=_hotspot_table(result, data, measure, ctx),
    )


def _draw(
    areas: gpd.GeoDataFrame,
    wards: gpd.GeoDataFrame | None,
    panel: MapPanel,
    data: PlaceData,
    ctx: SectionContext,
) -> tuple[str, bytes]:
    """One map on the common base: wards named, district outline, locator inset."""
    names = tuple(str(n) for n in wards["name"]) if wards is not None else ()
    return draw_maps(
        areas,
        [replace(panel, overlay_labels=names)],
        overlay=wards,
        locator=locator_for(ctx.area.code),
        year=max(data.vintage or 0, data.ward_vintage or 0) or None,
    )


def _choropleth(
    areas: gpd.GeoDataFrame, wards: gpd.GeoDataFrame | None, data: PlaceData, ctx: SectionContext
) -> Figure:
    crime = data.measure(ALL_CRIME).reindex(areas.index, fill_value=0)
    people = [data.population.get(str(code)) for code in areas.index]
    with_rates = any(p is not None and p > 0 for p in people)
    rates = [
        round(1000 * float(n) / float(p), RATE_DECIMALS) if p else None
        for n, p in zip(crime, people, strict=True)
    ]
    busiest = str(crime.idxmax())
    styles: tuple[MapClass, ...]
    if with_rates:
        known, labels = rate_classes([r for r in rates if r is not None])
        styles = sequential_styles(labels, patterns=ctx.patterns)
        picks = iter(known)
        index = tuple(next(picks) if r is not None else len(labels) for r in rates)
        if None in rates:
            styles = (*styles, NO_POPULATION)
            labels = (*labels, NO_POPULATION.label)
        what = "All crime per 1,000 residents"
        legend = f"Records per 1,000 residents ({data.population_year} population), quantiles"
    else:
        index, labels = count_classes(crime.tolist())
        styles = sequential_styles(labels, patterns=ctx.patterns)
        what = "All crime records (counts: no population figures for these LSOAs)"
        legend = "Records in the period (counts, not rates), quantiles"
    panel = MapPanel(
        title=f"{what} per LSOA, {ctx.period.label}",
        classes=index,
        styles=styles,
        legend_title=f"{legend} (number of LSOAs)",
    )
    svg, png = _draw(areas, wards, panel, data, ctx)
    rows = tuple(
        (
            code,
            data.names.get(code, ""),
            data.ward_of(code) or "–",
            int(n),
            None if p is None else int(p),
            r,
            labels[k],
        )
        for code, n, p, r, k in zip(areas.index, crime, people, rates, index, strict=True)
    )
    rows = tuple(sorted(rows, key=lambda r: (-(r[5] if r[5] is not None else r[3]), str(r[0]))))
    floor = ctx.suppression_threshold if ctx.public else 0
    count = f", {int(crime.max()):,} records" if crime.max() >= floor else ""
    ward = data.ward_of(busiest)
    top = top_wards(ward_rows(data), ALL_CRIME)
    shaded = "crimes per 1,000 residents" if with_rates else "the number of crimes (counts)"
    alt = (
        f"Map of {ctx.area.name}'s {len(areas)} LSOAs shaded by {shaded} recorded in "
        f"{ctx.period.label}, with ward boundaries and names. The LSOA with most crime is "
        f"{data.names.get(busiest, busiest)}{f' in {ward} ward' if ward else ''}{count}."
        + (f" The wards with most crime are {join_words([r.name for r in top])}." if top else "")
    )
    table = Table(
        id=f"{SECTION_ID}-lsoa-counts",
        caption=f"All crime per LSOA in {ctx.area.name}, {ctx.period.label}"
        + (", highest rate first" if with_rates else ", most records first"),
        columns=(
            Column("LSOA"),
            Column("Name"),
            Column("Ward"),
            Column("All crime", numeric=True, count=True),
            Column("Residents", numeric=True),
            Column("Per 1,000 residents", numeric=True, format="rate"),
            Column("Class on the map"),
        ),
        rows=rows,
        notes=(
            (
                f"Rates use each LSOA's {data.population_year} resident population; LSOAs "
                "with few residents and busy town centres or shopping areas have high rates. "
                "Classes are quantiles of the district's LSOAs."
            )
            if with_rates
            else "Counts, not rates: no population figure is held for every LSOA. Classes "
            "are quantiles of the district's LSOAs.",
        ),
    )
    return Figure(
        id=f"{SECTION_ID}-lsoa-map",
        caption=f"{what} per LSOA in {ctx.area.name}, {ctx.period.label}",
        alt=alt,
        svg=svg,
        png=png,
        table=without_wards(table, data),
    )


def build(con: duckdb.DuckDBPyConnection, ctx: SectionContext) -> Section:
    """The hot spots section: a choropleth, and a Gi* hot spot map per measure."""
    data = load(con, ctx.area.code, ctx.period, ctx.area.force_slug)
    if data.vintage is None or data.total_records == 0:
        text = f"No police.uk records with an LSOA are held for {ctx.area.name} in the period."
        return Section(SECTION_ID, TITLE, (Paragraph(text),))
    force = ctx.area.force_slug or ""
    areas = boundaries(force, "lsoa", data.vintage, ctx.area.code)
    if areas is None:
        areas = stored_boundaries(con, "lsoa", data.vintage, ctx.area.code)
    if areas is None:
        return Section(SECTION_ID, TITLE, (_no_boundaries(ctx, data),))
    missing = sorted(set(data.lsoas) - set(areas.index))
    areas = areas.loc[[c for c in data.lsoas if c in areas.index]]
    wards = boundaries(force, "wards", data.ward_vintage or 0, ctx.area.code)
    if wards is None:
        wards = stored_boundaries(con, "wards", data.ward_vintage, ctx.area.code)
    blocks: list[Block] = [
        Paragraph(
            f"Where records cluster: each LSOA's count of records in {ctx.period.label} is "
            "compared with its neighbours' (Getis-Ord Gi*). A hot spot is a group of "
            "neighbouring LSOAs with more records than chance would give; a cold spot is an "
            "LSOA whose neighbourhood (it and the LSOAs touching it) has fewer records than "
            "the district average would give, even if the LSOA itself is busy. Both are judged "
            "after correcting for the number of LSOAs tested."
            + (f" LSOAs without a boundary, left out: {', '.join(missing)}." if missing else "")
        ),
        _choropleth(areas, wards, data, ctx),
    ]
    findings: list[str] = []
    for m in MEASURES:
        values = data.measure(m).reindex(areas.index, fill_value=0)
        try:
            result = getis_ord_hotspots(areas, values.astype(float).tolist())
        except InputError as error:
            blocks.append(Paragraph(f"{MEASURES[m]}: no hot spot analysis ({error})."))
            continue
        what = "all crime" if m == ALL_CRIME else MEASURES[m]
        sentence = hotspot_sentence(result, areas, data, what, ctx.area.name)
        blocks.append(_hotspot_figure(result, areas, wards, data, m, ctx, sentence))
        findings.append(sentence)
    return Section(SECTION_ID, TITLE, tuple(blocks), tuple(findings))
