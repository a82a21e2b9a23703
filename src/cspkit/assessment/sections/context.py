"""Context appendix: population profile, deprivation and the domestic-abuse under-reporting
estimate.

The population profile is the Census 2021 age structure (five-year bands) and households,
shipped as ``census2021_profile.parquet`` (built by ``scripts/build_context.py``). Deprivation
is the English Indices of Deprivation 2019 and 2025: the district's rank in England and among
its force's districts, and its LSOAs in the most deprived 10% and 20%. The under-reporting
estimate applies a national prevalence to the local population aged 16 and over, with the
assumption printed beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from cspkit.assessment.context import SectionContext
from cspkit.assessment.overview import Overview
from cspkit.reference import data_path
from cspkit.report.blocks import Block, Callout, Column, Figure, Paragraph, Section, Table

SECTION_ID = "context"
TITLE = "Context: population and deprivation"
PROFILE_FILE = "census2021_profile.parquet"
#: Share of people aged 16 and over experiencing domestic abuse in a year: Crime Survey for
#: England and Wales, year ending March 2024 (ONS, November 2024).
DA_PREVALENCE = 0.048
DA_PREVALENCE_SOURCE = "Crime Survey for England and Wales, year ending March 2024 (ONS)"
DA_INDICATOR = "domestic-abuse-incidents"
#: Census bands start at 15-19; four fifths of that band are taken as aged 16-19.
SIXTEEN_TO_NINETEEN_SHARE = 0.8
DECILE_10, DECILE_20 = 1, 2


@dataclass(frozen=True)
class DomesticAbuseEstimate:
    population_16_plus: float
    prevalence: float
    expected_victims: float
    recorded: float | None
    recorded_share: float | None
    assumption: str


def _profile(con: duckdb.DuckDBPyConnection, code: str) -> list[tuple[str, int, int, int]]:
    rows = con.execute(
        "SELECT band, band_start, persons, households FROM read_parquet(?) WHERE lad_code = ? "
        "ORDER BY band_start",
        [str(data_path(PROFILE_FILE)), code],
    ).fetchall()
    return [(str(b), int(s), int(p), int(h)) for b, s, p, h in rows]


def da_estimate(
    profile: list[tuple[str, int, int, int]],
    recorded: float | None,
    months: int,
    prevalence: float = DA_PREVALENCE,
) -> DomesticAbuseEstimate | None:
    """Expected victims a year (prevalence x people 16+) against recorded incidents a year."""
    if not profile:
        return None
    people = sum(p for _, s, p, _ in profile if s >= 20) + SIXTEEN_TO_NINETEEN_SHARE * sum(
        p for _, s, p, _ in profile if s == 15
    )
    expected = prevalence * people
    yearly = None if recorded is None else recorded * 12 / months
    return DomesticAbuseEstimate(
        people,
        prevalence,
        expected,
        yearly,
        None if yearly is None or expected == 0 else yearly / expected,
        f"Assumes {prevalence:.1%} of people aged 16 and over experience domestic abuse in a "
        f"year ({DA_PREVALENCE_SOURCE}), applied to the Census 2021 population aged 16+ "
        f"({SIXTEEN_TO_NINETEEN_SHARE:.0%} of the 15-19 band counted). Incidents are not "
        "victims: one victim may report several incidents, so the share is an upper bound.",
    )


def context_section(
    con: duckdb.DuckDBPyConnection, ctx: SectionContext, overview: Overview
) -> Section:
    code = ctx.area.code
    blocks: list[Block] = []
    profile = _profile(con, code)
    if profile:
        total = sum(p for _, _, p, _ in profile)
        blocks.append(
            Paragraph(
                f"{ctx.area.name} had {total:,} residents and {profile[0][3]:,} households at the "
                "Census 2021 (ONS, TS007A and TS054)."
            )
        )
        blocks.append(
            Table(
                id="context-age-bands",
                caption="Residents by age, Census 2021",
                columns=(
                    Column("Age band"),
                    Column("Residents", numeric=True, format="count"),
                    Column("% of residents", numeric=True, format="rate"),
                ),
                rows=tuple((b, p, round(100 * p / total, 1)) for b, _, p, _ in profile),
            )
        )
    imd = con.execute(
        """
        WITH force AS (
            SELECT lad_code FROM district_force
            WHERE force_slug = (SELECT force_slug FROM district_force WHERE lad_code = ?))
        SELECT i.edition, i.imd_rank_of_average_score, i.imd_average_score,
               (SELECT count(*) FROM imd_district j JOIN force USING (lad_code)
                WHERE j.edition = i.edition AND j.imd_average_score > i.imd_average_score) + 1,
               (SELECT count(*) FROM imd_district j JOIN force USING (lad_code)
                WHERE j.edition = i.edition),
               (SELECT count(*) FROM imd_lsoa l JOIN lsoa_lookup k USING (lsoa_code)
                WHERE k.lad_code = i.lad_code AND l.edition = i.edition
                  AND k.vintage = CASE WHEN i.edition >= 2025 THEN 2021 ELSE 2011 END
                  AND l.imd_decile <= ?),
               (SELECT count(*) FROM imd_lsoa l JOIN lsoa_lookup k USING (lsoa_code)
                WHERE k.lad_code = i.lad_code AND l.edition = i.edition
                  AND k.vintage = CASE WHEN i.edition >= 2025 THEN 2021 ELSE 2011 END
                  AND l.imd_decile <= ?),
               (SELECT count(*) FROM imd_lsoa l JOIN lsoa_lookup k USING (lsoa_code)
                WHERE k.lad_code = i.lad_code AND l.edition = i.edition
                  AND k.vintage = CASE WHEN i.edition >= 2025 THEN 2021 ELSE 2011 END)
        FROM imd_district i WHERE i.lad_code = ? ORDER BY i.edition
        """,
        [code, DECILE_10, DECILE_20, code],
    ).fetchall()
    if imd:
        blocks.append(
            Table(
                id="context-deprivation",
                caption="Deprivation: Indices of Deprivation 2019 and 2025 (1 = most deprived)",
                columns=(
                    Column("Edition"),
                    Column("Rank in England (average score)", numeric=True),
                    Column("Average score", numeric=True),
                    Column("Rank in force", numeric=True),
                    Column("Districts in force", numeric=True),
                    Column("LSOAs in most deprived 10%", numeric=True),
                    Column("LSOAs in most deprived 20%", numeric=True),
                    Column("LSOAs", numeric=True),
                ),
                rows=tuple(
                    (str(e), int(r), float(s), int(fr), int(fn), int(a), int(b), int(n))
                    for e, r, s, fr, fn, a, b, n in imd
                ),
                notes=("England has 296 districts in the 2025 edition and 317 in 2019.",),
            )
        )
    picture = deciles_map(con, ctx)
    if picture is not None:
        blocks.append(picture)
    recorded = next((r.current for r in overview.rows if r.indicator_id == DA_INDICATOR), None)
    est = da_estimate(profile, recorded, ctx.period.n_months)
    if est is not None:
        lines = [
            f"Expected victims of domestic abuse a year: {est.expected_victims:,.0f} "
            f"({est.prevalence:.1%} of {est.population_16_plus:,.0f} people aged 16+)."
        ]
        if est.recorded is not None and est.recorded_share is not None:
            lines.append(
                f"Recorded domestic abuse incidents (a year, from {ctx.period.label}): "
                f"{est.recorded:,.0f}, {est.recorded_share:.0%} of the expected number of "
                "victims: most domestic abuse is never reported to the police."
            )
        else:
            lines.append(
                "No recorded domestic abuse figure is loaded for this district "
                f"(indicator '{DA_INDICATOR}')."
            )
        blocks.append(Callout("Domestic abuse: how much is not reported", (*lines, est.assumption)))
    if not blocks:
        blocks.append(Paragraph("No context data is held for this district."))
    return Section(SECTION_ID, TITLE, tuple(blocks))


#: Decile bands drawn on the map, most deprived first.
DECILE_BANDS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("Most deprived 10%", (1,)),
    ("10-20%", (2,)),
    ("20-50%", (3, 4, 5)),
    ("50-80%", (6, 7, 8)),
    ("Least deprived 20%", (9, 10)),
)
MAP_EDITION, MAP_VINTAGE = 2025, 2021


def deciles_map(con: duckdb.DuckDBPyConnection, ctx: SectionContext) -> Block | None:
    """A map of the district's LSOAs by IMD 2025 decile, where boundaries are shipped."""
    from cspkit.assessment.boundaries import boundaries
    from cspkit.report.maps import MapPanel, draw_maps, sequential_styles

    areas = boundaries(ctx.area.force_slug or "", "lsoa", MAP_VINTAGE, ctx.area.code)
    if areas is None:
        return None
    deciles = dict(
        con.execute(
            "SELECT lsoa_code, imd_decile FROM imd_lsoa WHERE edition = ?", [MAP_EDITION]
        ).fetchall()
    )
    if any(code not in deciles for code in areas.index):
        return None
    # lighter to darker: least deprived first, so the most deprived areas are darkest
    legend = DECILE_BANDS[::-1]
    band_of = {d: i for i, (_, ds) in enumerate(legend) for d in ds}
    styles = sequential_styles([label for label, _ in legend], patterns=ctx.patterns)
    classes = tuple(band_of[int(deciles[code])] for code in areas.index)
    panel = MapPanel(
        f"{ctx.area.name}: LSOAs by deprivation (IMD {MAP_EDITION})",
        classes,
        tuple(styles),
        legend_title="Decile in England",
    )
    svg, png = draw_maps(areas, [panel])
    counts = [sum(1 for c in classes if legend[c][1] == ds) for _, ds in DECILE_BANDS]
    table = Table(
        id="context-deprivation-map",
        caption=f"LSOAs of {ctx.area.name} by IMD {MAP_EDITION} decile band",
        columns=(Column("Decile band"), Column("LSOAs", numeric=True)),
        rows=tuple((label, n) for (label, _), n in zip(DECILE_BANDS, counts, strict=True)),
    )
    return Figure(
        id="context-deprivation-map-figure",
        caption=f"Deprivation: the LSOAs of {ctx.area.name} by IMD {MAP_EDITION} decile",
        alt=(
            f"Map of the {len(classes)} LSOAs of {ctx.area.name} shaded by deprivation decile; "
            f"{counts[0]} are in the most deprived 10% of England and {counts[1]} in the next 10%."
        ),
        svg=svg,
        png=png,
        table=table,
    )
