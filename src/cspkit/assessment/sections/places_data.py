"""The records of one district and period by LSOA, ward and police.uk map point.

Shared by the places and hot spot sections. LSOAs are those of the vintage (2011 or 2021)
that holds most of the period's records; each is given a ward by the shipped best-fit lookup
of the matching vintage (2021 LSOAs to 2025 wards, 2011 LSOAs to 2013 wards), and a
population from the warehouse (the year nearest the period's end). Where the district's ward
boundaries are shipped or loaded, records are counted in wards by their map point (point in
ward polygon, :func:`cspkit.stats.ward_points.assign_wards`), with the LSOA best-fit lookup
only for records without coordinates or outside every ward.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from cspkit.report.blocks import Table
from cspkit.report.formatting import fmt_count
from cspkit.stats.periods import Period
from cspkit.stats.rates import DenominatorBasis, rate_per_1000
from cspkit.stats.ward_points import (
    BY_LSOA,
    BY_POINT,
    METHODS,
    NO_WARD,
    assign_wards,
    polygon_of_points,
)
from cspkit.warehouse.registry import ALL_CRIME_ID, ASB_CATEGORY, ASB_ID, CURRENT_CATEGORIES

TOP_WARDS = 3
TOP_LOCATIONS = 10
ALL_CRIME = ALL_CRIME_ID
ASB = ASB_ID
#: The two measures mapped and ranked: indicator id -> label.
MEASURES = {ALL_CRIME: "All crime", ASB: "ASB"}
#: LSOA vintage -> the ward vintage of the shipped best-fit lookup.
WARD_VINTAGE = {2021: 2025, 2011: 2013}


@dataclass(frozen=True)
class MapPoint:
    """A police.uk map point and its records in the period."""

    location: str
    latitude: float
    longitude: float
    records: int
    lsoa_code: str | None
    lsoa_name: str | None
    top_category: str
    ward: str | None = None  # the ward whose boundary holds the point, when boundaries are held


@dataclass(frozen=True)
class PlaceData:
    """Records of one district and period by LSOA and map point, with wards and population."""

    vintage: int | None
    lsoas: tuple[str, ...]
    names: dict[str, str]
    counts: pd.DataFrame  # index: LSOA code (district LSOAs only); columns: categories
    totals: dict[str, int]  # category -> every record of the district in the period
    wards: dict[str, tuple[str, str]]  # LSOA -> (ward code, ward name); empty: no lookup
    population: dict[str, float]
    population_year: int | None
    locations: tuple[MapPoint, ...]  # the busiest map points, busiest first
    unplaced: int
    #: ward code -> category -> records, by map point where ward boundaries are available
    #: (None: wards are counted through the LSOA best-fit lookup).
    ward_counts: dict[str, dict[str, int]] | None = None
    #: records by method of ward assignment: point, lsoa (fallback), none.
    ward_method: dict[str, int] | None = None

    @property
    def ward_vintage(self) -> int | None:
        return WARD_VINTAGE.get(self.vintage) if self.vintage else None

    @property
    def total_records(self) -> int:
        return sum(self.totals.values())

    def categories(self) -> list[str]:
        """Categories recorded in the district, police.uk order, unknown ones last."""
        known = [c for c in CURRENT_CATEGORIES if c in self.totals]
        return known + sorted(c for c in self.totals if c not in known)

    def measure(self, m: str) -> pd.Series:
        """Records of a measure per LSOA (district LSOAs, zeros included)."""
        cols = [c for c in self.counts.columns if (c == ASB_CATEGORY) == (m == ASB)]
        return self.counts[cols].sum(axis=1).reindex(list(self.lsoas), fill_value=0)

    def district_total(self, m: str) -> int:
        return sum(n for c, n in self.totals.items() if (c == ASB_CATEGORY) == (m == ASB))

    def ward_of(self, lsoa: str) -> str | None:
        """The name of the LSOA's ward, or None."""
        ward = self.wards.get(lsoa)
        return ward[1] if ward else None

    def ward_count(self, ward: str, codes: Sequence[str], categories: Sequence[str]) -> int:
        """Records of ``categories`` in a ward: by map point if assigned so, else by LSOA."""
        if self.ward_counts is not None:
            found = self.ward_counts.get(ward, {})
            return sum(found.get(c, 0) for c in categories)
        block = self.counts.reindex(list(codes), fill_value=0)
        return int(sum(int(block[c].sum()) for c in categories if c in block.columns))

    def measure_categories(self, m: str) -> list[str]:
        return [c for c in self.totals if (c == ASB_CATEGORY) == (m == ASB)]

    def ward_of_point(self, point: MapPoint) -> str | None:
        """The name of a map point's ward: by its boundary when held, else by its LSOA."""
        return point.ward or self.ward_of(point.lsoa_code or "")

    def ward_members(self) -> dict[tuple[str, str], list[str]]:
        """(ward code, ward name) -> its LSOAs, wards in code order."""
        members: dict[tuple[str, str], list[str]] = {}
        for lsoa, ward in sorted(self.wards.items(), key=lambda kv: (kv[1], kv[0])):
            members.setdefault(ward, []).append(lsoa)
        return members


_WHERE = "lad_code = ? AND month BETWEEN ? AND ?"


def lsoa_vintage(con: duckdb.DuckDBPyConnection, lad: str, period: Period) -> int | None:
    """The LSOA vintage (2011 or 2021) whose district LSOAs hold most of the period's records."""
    row = con.execute(
        f"""
        WITH recs AS (SELECT lsoa_code, count(*) AS n FROM crimes WHERE {_WHERE} GROUP BY 1)
        SELECT l.vintage FROM recs r JOIN lsoa_lookup l
          ON l.lsoa_code = r.lsoa_code AND l.lad_code = ?
        GROUP BY l.vintage ORDER BY sum(r.n) DESC, l.vintage DESC LIMIT 1
        """,
        [lad, period.first, period.last, lad],
    ).fetchone()
    return int(row[0]) if row else None


def _population(
    con: duckdb.DuckDBPyConnection, lsoas: list[str], vintage: int, year: int
) -> tuple[dict[str, float], int | None]:
    rows = con.execute(
        """
        SELECT area_code, year, arg_max(persons, user_supplied) FROM population
        WHERE area_type = 'lsoa' AND lsoa_vintage = ? AND persons IS NOT NULL
          AND list_contains(?, area_code)
        GROUP BY area_code, year
        """,
        [vintage, lsoas],
    ).fetchall()
    years = sorted({int(y) for _, y, _ in rows}, key=lambda y: (abs(y - year), -y))
    if not years:
        return {}, None
    return {str(c): float(p) for c, y, p in rows if int(y) == years[0]}, years[0]


def _by_point(
    con: duckdb.DuckDBPyConnection,
    args: list[object],
    polygons: dict[str, object],
    best_fit: dict[str, str],
) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Records per ward and category by map point (LSOA fallback), and records per method."""
    rows = con.execute(
        f"SELECT longitude, latitude, lsoa_code, category, count(*) AS n FROM crimes "
        f"WHERE {_WHERE} GROUP BY ALL",
        args,
    ).fetchall()
    done = assign_wards(
        [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], polygons, best_fit
    )
    counts: dict[str, dict[str, int]] = {}
    methods = dict.fromkeys(METHODS, 0)
    for row, ward, method in zip(rows, done.wards, done.methods, strict=True):
        methods[method] += int(row[4])
        if ward is not None:
            cats = counts.setdefault(ward, {})
            cats[str(row[3])] = cats.get(str(row[3]), 0) + int(row[4])
    return counts, methods


def ward_polygons(
    con: duckdb.DuckDBPyConnection, force: str | None, vintage: int | None, lad: str
) -> dict[str, object]:
    """The district's ward polygons (code -> geometry, code order): shipped, else loaded."""
    from cspkit.assessment.boundaries import boundaries
    from cspkit.warehouse.boundaries import stored_boundaries

    if vintage is None:
        return {}
    frame = boundaries(force, "wards", vintage, lad) if force else None
    if frame is None:
        frame = stored_boundaries(con, "wards", vintage, lad)
    if frame is None:
        return {}
    frame = frame.to_crs("EPSG:4326") if frame.crs is not None else frame
    return {str(c): g for c, g in sorted(zip(frame.index, frame.geometry, strict=True))}


def load(
    con: duckdb.DuckDBPyConnection, lad: str, period: Period, force: str | None = None
) -> PlaceData:
    """Everything the places and hot spot sections need about a district and period.

    ``force`` (the police.uk force slug) finds shipped ward boundaries; loaded ones are
    looked up in the warehouse either way."""
    args = [lad, period.first, period.last]
    vintage = lsoa_vintage(con, lad, period)
    lookup = con.execute(
        "SELECT lsoa_code, lsoa_name FROM lsoa_lookup WHERE lad_code = ? AND vintage = ? "
        "ORDER BY lsoa_code",
        [lad, vintage],
    ).fetchall()
    lsoas = tuple(str(c) for c, _ in lookup)
    raw = con.execute(
        f"SELECT lsoa_code, category, count(*) AS n FROM crimes WHERE {_WHERE} GROUP BY ALL",
        args,
    ).df()
    totals = {str(c): int(n) for c, n in raw.groupby("category")["n"].sum().items()}
    placed = raw[raw["lsoa_code"].isin(lsoas)]
    counts = placed.pivot_table(
        index="lsoa_code", columns="category", values="n", aggfunc="sum", fill_value=0
    ).reindex(index=list(lsoas), columns=sorted(totals), fill_value=0)
    wards = con.execute(
        "SELECT lsoa_code, ward_code, ward_name FROM lsoa_ward WHERE lad_code = ? "
        "AND lsoa_vintage = ? AND ward_vintage = ? ORDER BY lsoa_code",
        [lad, vintage, WARD_VINTAGE.get(vintage or 0)],
    ).fetchall()
    population, pop_year = _population(con, list(lsoas), vintage or 0, period.last.year)
    locations = con.execute(
        f"""
        WITH pts AS (
            SELECT location, latitude, longitude, category, min(lsoa_code) AS lsoa_code,
                   min(lsoa_name) AS lsoa_name, count(*) AS n
            FROM crimes WHERE {_WHERE} AND latitude IS NOT NULL GROUP BY ALL
        )
        SELECT location, latitude, longitude, sum(n) AS records, min(lsoa_code) AS lsoa_code,
               min(lsoa_name) AS lsoa_name,
               first(category ORDER BY n DESC, category) AS top_category
        FROM pts GROUP BY location, latitude, longitude
        ORDER BY records DESC, location, latitude, longitude LIMIT ?
        """,
        [*args, TOP_LOCATIONS],
    ).fetchall()
    best_fit = {str(c): str(w) for c, w, _ in wards if c in lsoas}
    polygons = ward_polygons(con, force, WARD_VINTAGE.get(vintage or 0), lad) if wards else {}
    ward_counts, ward_method = (
        _by_point(con, args, polygons, best_fit) if polygons else (None, None)
    )
    points = [
        MapPoint(str(loc), float(lat), float(lon), int(n), code, name, str(top))
        for loc, lat, lon, n, code, name, top in locations
    ]
    if polygons:
        names = {str(w): str(n) for _, w, n in wards}
        codes = list(polygons)
        hit = polygon_of_points(
            [p.longitude for p in points], [p.latitude for p in points], list(polygons.values())
        )
        points = [
            replace(p, ward=names.get(codes[i])) if i >= 0 else p
            for p, i in zip(points, hit, strict=True)
        ]
    return PlaceData(
        vintage=vintage,
        lsoas=lsoas,
        names={str(c): str(n) for c, n in lookup},
        counts=counts,
        totals=totals,
        wards={str(c): (str(w), str(n)) for c, w, n in wards if c in lsoas},
        population=population,
        population_year=pop_year,
        locations=tuple(points),
        unplaced=int(raw.loc[~raw["lsoa_code"].isin(lsoas), "n"].sum()),
        ward_counts=ward_counts,
        ward_method=ward_method,
    )


@dataclass(frozen=True)
class WardRow:
    """One ward's records and rates in the period."""

    code: str
    name: str
    lsoas: int
    population: float | None
    counts: dict[str, int]
    rates: dict[str, float | None]
    note: str


def ward_rows(data: PlaceData) -> tuple[WardRow, ...]:
    """Wards of the district with counts of all crime and ASB, busiest (all crime) first."""
    rows: list[WardRow] = []
    for (code, name), codes in data.ward_members().items():
        pops = [data.population.get(c) for c in codes]
        missing = sum(p is None for p in pops)
        population = None if missing else float(sum(p for p in pops if p is not None))
        note = f"{missing} of its {len(codes)} LSOAs have no population figure" if missing else ""
        counts = {m: data.ward_count(code, codes, data.measure_categories(m)) for m in MEASURES}
        rates = {
            m: rate_per_1000(
                counts[m], population, basis=DenominatorBasis.PERSONS, year=data.population_year
            ).value
            for m in MEASURES
        }
        rows.append(WardRow(str(code), str(name), len(codes), population, counts, rates, note))
    return tuple(sorted(rows, key=lambda r: (-r.counts[ALL_CRIME], r.name)))


def top_wards(rows: Sequence[WardRow], measure: str, n: int = TOP_WARDS) -> tuple[WardRow, ...]:
    """The ``n`` wards with most records of ``measure`` (ties broken by name)."""
    ranked = sorted(rows, key=lambda r: (-r.counts[measure], r.name))
    return tuple(r for r in ranked[:n] if r.counts[measure] > 0)


def lower_label(m: str) -> str:
    """'all crime' or 'ASB', as written mid-sentence."""
    return "all crime" if m == ALL_CRIME else MEASURES[m]


def join_words(items: Sequence[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def without_wards(table: Table, data: PlaceData) -> Table:
    """The table without its "Ward" column when the district has no ward lookup."""
    names = [c.name for c in table.columns]
    if data.wards or "Ward" not in names:
        return table
    i = names.index("Ward")
    return replace(
        table,
        columns=table.columns[:i] + table.columns[i + 1 :],
        rows=tuple(r[:i] + r[i + 1 :] for r in table.rows),
    )


def ward_method_text(data: PlaceData) -> str:
    """How records were given wards, with how many records each way ('' without wards)."""
    if not data.wards:
        return ""
    if data.ward_method is None:
        return (
            f"Records are counted in {data.ward_vintage} wards through the best-fit lookup of "
            f"their {data.vintage} LSOA (each LSOA wholly in the ward holding its centroid); "
            "no ward boundaries are held for the district, so no record is placed by its "
            "map point."
        )
    n = data.ward_method
    text = (
        f"Records are counted in {data.ward_vintage} wards by their police.uk map point "
        f"(the ward whose boundary holds the point): {fmt_count(n[BY_POINT])} of "
        f"{fmt_count(sum(n.values()))} records by point, and {fmt_count(n[BY_LSOA])} without "
        "coordinates or outside every ward by the best-fit ward of their "
        f"{data.vintage} LSOA"
    )
    if n[NO_WARD]:
        text += f"; {fmt_count(n[NO_WARD])} with neither are counted in district totals only"
    return text + (
        ". Ward populations are the sums of their LSOAs' populations (each LSOA wholly in the "
        "ward holding its centroid), so where a ward boundary cuts across LSOAs its rate's "
        "count and population cover slightly different areas."
    )
