"""The places section: ward totals, top-ward shares, concentration and repeat locations checked
against direct SQL and hand calculations; public wording; snapshots."""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pytest
from shapely.geometry import Point, shape

from cspkit.assessment.appendix import methodology_section
from cspkit.assessment.context import SectionContext
from cspkit.assessment.overview import build_overview
from cspkit.assessment.sections import places
from cspkit.assessment.sections.places_data import (
    ALL_CRIME,
    ASB,
    load,
    lsoa_vintage,
    top_wards,
    ward_method_text,
    ward_rows,
)
from cspkit.reference import data_path
from cspkit.report.blocks import Figure, Paragraph, Section, Table
from cspkit.stats.periods import parse_period
from cspkit.stats.ward_points import BY_LSOA, BY_POINT, NO_WARD
from tests.snapshots import assert_section_snapshot

MAIDSTONE, LINCOLN = "E07000110", "E07000138"
Y2025 = ("2025-01-01", "2025-12-01")
TO_JAN_2020 = ("2019-02-01", "2020-01-01")


def _context(
    con: duckdb.DuckDBPyConnection, area: str, period: str, *, public: bool = False, floor: int = 5
) -> SectionContext:
    o = build_overview(con, area, parse_period(period))
    return SectionContext(o.area, o.period, o.comparison, o.peers, public, floor)


def _table(section: Section, table_id: str) -> Table:
    found = [t for t in section.tables() if t.id == table_id]
    assert found, f"no table {table_id}"
    return found[0]


def _ward_counts_sql(con: duckdb.DuckDBPyConnection, asb: bool) -> dict[str, int]:
    op = "=" if asb else "<>"
    rows = con.execute(
        f"""
        SELECT w.ward_name, count(*) FROM crimes c JOIN lsoa_ward w
          ON w.lsoa_code = c.lsoa_code AND w.lsoa_vintage = 2021 AND w.ward_vintage = 2025
         AND w.lad_code = c.lad_code
        WHERE c.lad_code = ? AND c.month BETWEEN ? AND ? AND c.category {op} 'Anti-social behaviour'
        GROUP BY 1
        """,
        [MAIDSTONE, *Y2025],
    ).fetchall()
    return {str(w): int(n) for w, n in rows}


def _ward_counts_by_point(con: duckdb.DuckDBPyConnection, asb: bool) -> dict[str, int]:
    """Independent count: each distinct map point tested against every Maidstone 2025 ward
    polygon read straight from the shipped GeoJSON (first ward in code order that covers it),
    the LSOA best-fit ward otherwise."""
    with data_path("boundaries/kent_wards_2025.geojson").open(encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    wards = sorted(
        (f["properties"]["code"], f["properties"]["name"], shape(f["geometry"]))
        for f in features
        if f["properties"]["lad_code"] == MAIDSTONE
    )
    best_fit = dict(
        con.execute(
            "SELECT lsoa_code, ward_name FROM lsoa_ward WHERE lad_code = ? AND lsoa_vintage = 2021",
            [MAIDSTONE],
        ).fetchall()
    )
    op = "=" if asb else "<>"
    rows = con.execute(
        "SELECT longitude, latitude, lsoa_code, count(*) FROM crimes WHERE lad_code = ? AND "
        f"month BETWEEN ? AND ? AND category {op} 'Anti-social behaviour' GROUP BY ALL",
        [MAIDSTONE, *Y2025],
    ).fetchall()
    counts: dict[str, int] = {}
    for lon, lat, lsoa, n in rows:
        point = Point(lon, lat) if lon is not None and lat is not None else None
        hit = next((name for _, name, g in wards if point and g.covers(point)), None)
        ward = hit or best_fit.get(lsoa)
        if ward is not None:
            counts[ward] = counts.get(ward, 0) + int(n)
    return counts


def test_lsoa_vintage_follows_the_codes_in_the_data(sample_con: duckdb.DuckDBPyConnection) -> None:
    assert lsoa_vintage(sample_con, MAIDSTONE, parse_period("2025")) == 2021
    assert lsoa_vintage(sample_con, LINCOLN, parse_period("12m:2020-01")) == 2011
    assert lsoa_vintage(sample_con, MAIDSTONE, parse_period("2019")) is None


def test_ward_totals_equal_district_totals_for_assigned_lsoas(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    data = load(sample_con, MAIDSTONE, parse_period("2025"))
    rows = ward_rows(data)
    assert len(rows) == 22  # Maidstone's 2025 wards
    for measure, asb in ((ALL_CRIME, False), (ASB, True)):
        by_sql = _ward_counts_sql(sample_con, asb)
        assert {r.name: r.counts[measure] for r in rows if r.counts[measure]} == by_sql
        op = "=" if asb else "<>"
        row = sample_con.execute(
            "SELECT count(*) FROM crimes WHERE lad_code = ? AND month BETWEEN ? AND ? "
            f"AND category {op} 'Anti-social behaviour' AND lsoa_code IN "
            "(SELECT lsoa_code FROM lsoa_ward WHERE lad_code = ? AND lsoa_vintage = 2021)",
            [MAIDSTONE, *Y2025, MAIDSTONE],
        ).fetchone()
        assert row is not None
        assert sum(r.counts[measure] for r in rows) == row[0] == data.district_total(measure)


def test_wards_by_point_sum_to_the_district_and_match_shapely(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    data = load(sample_con, MAIDSTONE, parse_period("2025"), "kent")
    assert data.ward_method is not None
    # every Maidstone 2025 record has a map point inside one of its wards but a handful
    assert data.ward_method[BY_POINT] > 0.99 * data.total_records
    assert sum(data.ward_method.values()) == data.total_records
    assert data.ward_method[NO_WARD] == 0
    rows = ward_rows(data)
    assert len(rows) == 22
    for measure, asb in ((ALL_CRIME, False), (ASB, True)):
        assert sum(r.counts[measure] for r in rows) == data.district_total(measure)
        by_shapely = _ward_counts_by_point(sample_con, asb)
        assert {r.name: r.counts[measure] for r in rows if r.counts[measure]} == by_shapely
    # the point count differs from the LSOA best-fit count where boundaries do not nest
    by_lsoa = {
        r.name: r.counts[ALL_CRIME]
        for r in ward_rows(load(sample_con, MAIDSTONE, parse_period("2025")))
    }
    assert {r.name: r.counts[ALL_CRIME] for r in rows} != by_lsoa
    text = ward_method_text(data)
    assert f"{data.ward_method[BY_POINT]:,} of {data.total_records:,} records" in text
    assert f"{data.ward_method[BY_LSOA]:,} without coordinates" in text


def test_every_ward_has_a_census_2021_rate(sample_con: duckdb.DuckDBPyConnection) -> None:
    data = load(sample_con, MAIDSTONE, parse_period("2025"))
    assert data.population_year == 2021  # Census 2021 LSOA residents, nearest to 2025
    rows = {r.name: r for r in ward_rows(data)}
    pops = dict(
        sample_con.execute(
            """
            SELECT w.ward_name, CASE WHEN count(p.persons) = count(*) THEN sum(p.persons) END
            FROM lsoa_ward w LEFT JOIN population p ON p.area_code = w.lsoa_code
              AND p.area_type = 'lsoa' AND p.lsoa_vintage = 2021 AND p.year = 2021
            WHERE w.lad_code = ? AND w.lsoa_vintage = 2021 GROUP BY 1
            """,
            [MAIDSTONE],
        ).fetchall()
    )
    assert all(r.population is not None and r.note == "" for r in rows.values())
    for name, row in rows.items():
        assert row.population == pops[name]
        assert row.rates[ALL_CRIME] == pytest.approx(row.counts[ALL_CRIME] / pops[name] * 1000)
    # High Street had no rate with 2019 populations (2 of its 5 LSOAs were new in 2021)
    assert rows["High Street"].rates[ALL_CRIME] is not None


def test_top_ward_shares_match_an_independent_count(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    ctx = _context(sample_con, "Maidstone", "2025")
    section = places.build(sample_con, ctx)
    for measure, asb, label in ((ALL_CRIME, False, "all crime"), (ASB, True, "ASB")):
        by_point = _ward_counts_by_point(sample_con, asb)
        by_sql = sorted(by_point.items(), key=lambda kv: (-kv[1], kv[0]))
        op = "=" if asb else "<>"
        total = sample_con.execute(
            "SELECT count(*) FROM crimes WHERE lad_code = ? AND month BETWEEN ? AND ? "
            f"AND category {op} 'Anti-social behaviour'",
            [MAIDSTONE, *Y2025],
        ).fetchone()
        assert total is not None
        top = by_sql[:3]
        share = sum(n for _, n in top) / total[0]
        data = load(sample_con, MAIDSTONE, parse_period("2025"), "kent")
        assert [(r.name, r.counts[measure]) for r in top_wards(ward_rows(data), measure)] == top
        sentence = next(k for k in section.key_findings if f"highest volumes of {label}" in k)
        assert sentence.startswith(f"{top[0][0]}, {top[1][0]} and {top[2][0]} wards")
        assert f"({top[0][1]:,}, {top[1][1]:,} and {top[2][1]:,})" in sentence
        assert f": {share:.0%} of the Maidstone total." in sentence
    assert section.key_findings[0] == (
        "High Street, Fant & Oakwood and Shepway wards recorded the highest volumes of "
        "all crime (2,859, 1,094 and 1,041): 37% of the Maidstone total."
    )


def _gini_by_hand(x: np.ndarray) -> float:
    """Mean absolute difference over twice the mean (the sample Gini)."""
    return float(np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean()))


@pytest.mark.parametrize(
    ("area", "lad", "period", "months", "vintage"),
    [
        ("Maidstone", MAIDSTONE, "2025", Y2025, 2021),
        ("Lincoln", LINCOLN, "12m:2020-01", TO_JAN_2020, 2011),
    ],
)
def test_concentration_matches_a_direct_computation(
    sample_con: duckdb.DuckDBPyConnection,
    area: str,
    lad: str,
    period: str,
    months: tuple[str, str],
    vintage: int,
) -> None:
    section = places.build(sample_con, _context(sample_con, area, period))
    table = {r[0]: r[1:] for r in _table(section, "places-concentration").rows}
    for label, op in (("All crime", "<>"), ("ASB", "=")):
        counts = np.array(
            [
                n
                for (n,) in sample_con.execute(
                    f"""
                    SELECT count(c.category) FROM lsoa_lookup l LEFT JOIN crimes c
                      ON c.lsoa_code = l.lsoa_code AND c.lad_code = l.lad_code
                     AND c.month BETWEEN ? AND ? AND c.category {op} 'Anti-social behaviour'
                    WHERE l.lad_code = ? AND l.vintage = ? GROUP BY l.lsoa_code
                    """,
                    [*months, lad, vintage],
                ).fetchall()
            ],
            dtype=float,
        )
        busiest_first = np.cumsum(np.sort(counts)[::-1])
        k50 = int(np.argmax(busiest_first >= 0.5 * counts.sum())) + 1
        k25 = int(np.argmax(busiest_first >= 0.25 * counts.sum())) + 1
        places_, with_records, n25, share25, n50, share50, gini, general = table[label]
        assert (places_, with_records) == (len(counts), int((counts > 0).sum()))
        assert (n25, n50) == (k25, k50)
        assert share50 == pytest.approx(k50 / len(counts)) and share25 == pytest.approx(
            k25 / len(counts)
        )
        assert float(str(gini)) == pytest.approx(_gini_by_hand(counts), abs=5e-4)
        # More records than LSOAs: the generalised Gini equals the Gini.
        assert general == gini
    figure = next(b for b in section.blocks if isinstance(b, Figure))
    assert "half of all crime was recorded in" in figure.alt and "Gini" in figure.alt
    assert figure.table is not None and figure.table.rows[-1] == (1.0, 1.0, 1.0)


def test_repeat_locations_are_the_busiest_map_points(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    section = places.build(sample_con, _context(sample_con, "Maidstone", "2025"))
    table = _table(section, "places-locations")
    expected = sample_con.execute(
        "SELECT location, round(latitude, 5), round(longitude, 5), count(*) AS n FROM crimes "
        "WHERE lad_code = ? AND month BETWEEN ? AND ? AND latitude IS NOT NULL "
        "GROUP BY location, latitude, longitude ORDER BY n DESC, location LIMIT 10",
        [MAIDSTONE, *Y2025],
    ).fetchall()
    assert [(r[0], float(r[3]), float(r[4]), r[5]) for r in table.rows] == [
        tuple(e) for e in expected
    ]
    assert table.rows[0][:2] == ("On or near Hospital", "Barming Heath & Teston")
    assert any("'On or near Hospital'" in k and "294 records" in k for k in section.key_findings)


def test_without_a_ward_lookup_the_section_says_so(sample_con: duckdb.DuckDBPyConnection) -> None:
    section = places.build(sample_con, _context(sample_con, "Lincoln", "12m:2020-01"))
    texts = [b.text for b in section.blocks if isinstance(b, Paragraph)]
    assert any("No LSOA-to-ward lookup is available for Lincoln" in t for t in texts)
    ids = {t.id for t in section.tables()}
    assert "places-wards" not in ids and "places-ward-categories" not in ids
    assert {"places-concentration", "places-locations", "places-lsoas"} <= ids
    assert all("Ward" not in [c.name for c in t.columns] for t in section.tables())
    assert not any("wards recorded" in k for k in section.key_findings)


def test_public_findings_state_no_count_below_the_threshold(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    floor = 300  # above two of ASB's top-ward counts (567, 272, 260), below all crime's
    ctx = _context(sample_con, "Maidstone", "2025", public=True, floor=floor)
    findings = places.build(sample_con, ctx).key_findings
    asb = next(k for k in findings if "volumes of ASB" in k)
    assert "(" not in asb and "37% of the Maidstone total" in asb
    assert "(2,859, 1,094 and 1,041)" in findings[0]
    point = next(k for k in findings if "map point" in k)
    assert point == (
        "The busiest police.uk map point was 'On or near Hospital' in Barming Heath & Teston "
        "ward (2025)."
    )
    assert not any(str(n) in " ".join(findings) for n in (567, 272, 260, 294))


@pytest.mark.parametrize(
    ("area", "period", "name"),
    [
        ("Maidstone", "2025", "places-maidstone-2025.html"),
        ("Lincoln", "12m:2020-01", "places-lincoln-12m-2020-01.html"),
    ],
)
def test_places_snapshot(
    sample_con: duckdb.DuckDBPyConnection, area: str, period: str, name: str
) -> None:
    assert_section_snapshot(
        places.build(sample_con, _context(sample_con, area, period)), name, digest_svg=True
    )


def test_methods_appendix_says_how_records_were_given_wards(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    data = load(sample_con, MAIDSTONE, parse_period("2025"), "kent")
    section = methodology_section((), (), "residents", (), ward_method_text(data))
    methods = _table(section, "methods")
    wards = dict(methods.rows)["Wards"]
    assert isinstance(wards, str) and wards.startswith("Records are counted in 2025 wards")
    assert data.ward_method is not None
    assert f"{data.ward_method[BY_POINT]:,} of 16,619 records by point" in wards
    # without boundaries the LSOA lookup is named instead
    assert "no ward boundaries are held" in ward_method_text(
        load(sample_con, MAIDSTONE, parse_period("2025"))
    )
    no_wards = methodology_section((), (), "residents", (), "")
    assert "Wards" not in dict(_table(no_wards, "methods").rows)
