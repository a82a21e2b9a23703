"""The hot spots section: Gi* on LSOA counts (analytic p-values, so no seed matters), counts
checked against SQL, the boundaries note where none are shipped, and snapshots."""

from __future__ import annotations

import dataclasses

import duckdb
import pytest

from cspkit.assessment.context import SectionContext
from cspkit.assessment.overview import build_overview
from cspkit.assessment.sections import hotspots
from cspkit.assessment.sections.places_data import load
from cspkit.report.blocks import Figure, Paragraph, Section, Table
from cspkit.stats.hotspots import Classification, getis_ord_hotspots
from cspkit.stats.periods import parse_period
from tests.snapshots import assert_section_snapshot

MAIDSTONE = "E07000110"
# The town centre: Maidstone 004H and 004I (the two highest z-scores, 6.41 and 6.33) with the
# LSOAs around them; no cold spot survives the false discovery rate correction.
HOT_ALL_CRIME = {
    "E01034991",
    "E01034992",
    "E01024373",
    "E01024372",
    "E01024352",
    "E01024339",
    "E01024383",
}
HOT_ASB = {"E01034991", "E01034992", "E01024373", "E01024372", "E01024339", "E01024352"}


def _context(con: duckdb.DuckDBPyConnection, area: str, period: str) -> SectionContext:
    o = build_overview(con, area, parse_period(period))
    return SectionContext(o.area, o.period, o.comparison, o.peers)


@pytest.fixture(scope="module")
def maidstone(sample_con: duckdb.DuckDBPyConnection) -> Section:
    return hotspots.build(sample_con, _context(sample_con, "Maidstone", "2025"))


def _table(section: Section, table_id: str) -> Table:
    return next(t for t in section.tables() if t.id == table_id)


def _classes(table: Table, kind: str) -> set[str]:
    return {str(r[0]) for r in table.rows if r[-1] == kind}


def test_hot_and_cold_spots_rest_on_analytic_p_values(
    sample_con: duckdb.DuckDBPyConnection, maidstone: Section
) -> None:
    crime = _table(maidstone, "hotspots-all-crime")
    asb = _table(maidstone, "hotspots-anti-social-behaviour")
    assert _classes(crime, "hot spot") == HOT_ALL_CRIME
    assert _classes(crime, "cold spot") == set()
    assert _classes(asb, "hot spot") == HOT_ASB
    assert _classes(asb, "cold spot") == set()
    assert len(crime.rows) == len(asb.rows) == 99
    again = hotspots.build(sample_con, _context(sample_con, "Maidstone", "2025"))
    assert again.tables() == maidstone.tables()
    assert maidstone.key_findings == (
        "All crime in Maidstone: 7 LSOAs in Allington & Bridge, High Street and Penenden Heath "
        "wards form a significant hot spot, and no LSOA is a significant cold spot (Getis-Ord "
        "Gi*, false discovery rate 5%).",
        "ASB in Maidstone: 6 LSOAs in Allington & Bridge, High Street and Penenden Heath wards "
        "form a significant hot spot, and no LSOA is a significant cold spot (Getis-Ord Gi*, "
        "false discovery rate 5%).",
    )


def test_hot_spots_have_positive_z_and_significant_adjusted_p(maidstone: Section) -> None:
    for table_id in ("hotspots-all-crime", "hotspots-anti-social-behaviour"):
        for _, _, _, _, z, p, kind in _table(maidstone, table_id).rows:
            assert isinstance(p, float)
            if kind == "hot spot":
                assert isinstance(z, float) and z > 0 and p <= 0.05
            elif kind == "cold spot":
                assert isinstance(z, float) and z < 0 and p <= 0.05
            else:
                assert kind == "not significant" and p > 0.05


def test_lsoa_counts_match_sql(sample_con: duckdb.DuckDBPyConnection, maidstone: Section) -> None:
    rows = sample_con.execute(
        "SELECT lsoa_code, count(*) FROM crimes WHERE lad_code = ? AND month BETWEEN "
        "'2025-01-01' AND '2025-12-01' AND category <> 'Anti-social behaviour' GROUP BY 1",
        [MAIDSTONE],
    ).fetchall()
    expected = {str(c): int(n) for c, n in rows}
    table = _table(maidstone, "hotspots-lsoa-counts")
    assert {str(r[0]): r[3] for r in table.rows} == expected
    gi = _table(maidstone, "hotspots-all-crime")
    assert {str(r[0]): r[3] for r in gi.rows} == expected


def test_maps_have_alt_text_stating_the_finding_and_a_legend(maidstone: Section) -> None:
    figures = [b for b in maidstone.blocks if isinstance(b, Figure)]
    assert [f.id for f in figures] == [
        "hotspots-lsoa-map",
        "hotspots-all-crime-map",
        "hotspots-anti-social-behaviour-map",
    ]
    crime_map = figures[1]
    assert crime_map.alt.startswith(maidstone.key_findings[0])
    assert "Hot spot (7)" in crime_map.svg and "Cold spot" not in crime_map.svg
    assert "Ward boundary" in crime_map.svg and "High Street" in crime_map.svg
    assert crime_map.png.startswith(b"\x89PNG")
    assert "Maidstone 004H in High Street ward, 1,154 records" in figures[0].alt


def test_without_boundaries_the_section_says_how_to_add_them(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    section = hotspots.build(sample_con, _context(sample_con, "Lincoln", "12m:2020-01"))
    assert not section.tables() and not section.key_findings
    (note,) = section.blocks
    assert isinstance(note, Paragraph)
    assert "ships boundaries for the Kent Police area only" in note.text
    assert "boundaries/lincolnshire_lsoa_2011.geojson" in note.text
    assert "code (the LSOA code), name and lad_code" in note.text


@pytest.mark.parametrize(
    ("area", "period", "name"),
    [
        ("Maidstone", "2025", "hotspots-maidstone-2025.html"),
        ("Lincoln", "12m:2020-01", "hotspots-lincoln-12m-2020-01.html"),
    ],
)
def test_hotspots_snapshot(
    sample_con: duckdb.DuckDBPyConnection, area: str, period: str, name: str
) -> None:
    assert_section_snapshot(
        hotspots.build(sample_con, _context(sample_con, area, period)), name, digest_svg=True
    )


def test_the_flagged_set_is_the_same_whatever_the_seed(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    ctx = _context(sample_con, "Maidstone", "2025")
    data = load(sample_con, MAIDSTONE, ctx.period)
    assert data.vintage is not None
    areas = hotspots.boundaries("kent", "lsoa", data.vintage, MAIDSTONE)
    assert areas is not None
    areas = areas.loc[[c for c in data.lsoas if c in areas.index]]
    values = data.measure("all-crime").reindex(areas.index, fill_value=0).astype(float).tolist()
    flagged = []
    for seed in (1, 7, 42, 2024, 20_170_101):
        result = getis_ord_hotspots(areas, values, permutations=99, seed=seed)
        flagged.append({u.id for u in result.units if u.classification is Classification.HOT})
        assert result.cold == 0
    assert all(f == HOT_ALL_CRIME for f in flagged)
    assert {"E01034991", "E01034992"} <= flagged[0]


def test_maps_are_hatched_for_greyscale_print_only_when_asked(
    sample_con: duckdb.DuckDBPyConnection, maidstone: Section
) -> None:
    ctx = dataclasses.replace(_context(sample_con, "Maidstone", "2025"), patterns=True)
    hatched = hotspots.build(sample_con, ctx)
    assert hatched is not None

    def svgs(section: Section) -> list[str]:
        return [b.svg for b in section.blocks if isinstance(b, Figure)]

    # matplotlib draws a hatch as an SVG <pattern>; the classes are shaded alike either way.
    assert all("<pattern" not in svg for svg in svgs(maidstone))
    assert all("<pattern" in svg for svg in svgs(hatched))
