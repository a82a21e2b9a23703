"""The records of one district and period by LSOA, ward and police.uk map point.

Shared by the places and hot spot sections. LSOAs are those of the vintage (2011 or 2021)
that holds most of the period's records; each is given a ward by the shipped best-fit lookup
of the matching vintage (2021 LSOAs to 2025 wards, 2011 LSOAs to 2013 wards), and a
population from the warehouse (the year nearest the period's end).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from cspkit.report.blocks import Table
from cspkit.stats.periods import Period
from cspkit.stats.rates import DenominatorBasis, rate_per_1000
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


def load(con: duckdb.DuckDBPyConnection, lad: str, period: Period) -> PlaceData:
    """Everything the places and hot spot sections need about a district and period."""
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
    return PlaceData(
        vintage=vintage,
        lsoas=lsoas,
        names={str(c): str(n) for c, n in lookup},
        counts=counts,
        totals=totals,
        wards={str(c): (str(w), str(n)) for c, w, n in wards if c in lsoas},
        population=population,
        population_year=pop_year,
        locations=tuple(
            MapPoint(str(loc), float(lat), float(lon), int(n), code, name, str(top))
            for loc, lat, lon, n, code, name, top in locations
        ),
        unplaced=int(raw.loc[~raw["lsoa_code"].isin(lsoas), "n"].sum()),
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
        counts = {m: int(data.measure(m).reindex(codes, fill_value=0).sum()) for m in MEASURES}
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
