"""Community Safety Partnerships as the unit of assessment.

Most CSPs are one district, but some join several (Dartford and Gravesham, South
Nottinghamshire, Cwm Taf...). The shipped lookup ``csp_districts.csv`` gives every current
district of England and Wales its CSP and police force area. :func:`unit_connection` opens the
warehouse so that every district of a multi-district CSP reads as the CSP itself (its records,
LSOAs, wards, population and area are the sums of its districts'), so every query the
assessment makes works on CSPs unchanged and ranks compare CSPs with CSPs.

Example::

    >>> csp = find_csp("Dartford and Gravesham")
    >>> csp.code, [name for _, name in csp.districts]
    ('E22000352', ['Dartford', 'Gravesham'])
    >>> find_csp("gravesham").name
    'Dartford and Gravesham'
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path

import duckdb

from cspkit.assessment.build import Assessment
from cspkit.errors import UnknownAreaError
from cspkit.reference import read_table
from cspkit.stats.similarity import METHOD_TEXT
from cspkit.warehouse import reference_tables

CSP_TABLE = "csp_districts.csv"
PEERS_TABLE = "csp_peers.csv"
ALIAS = "wh"
MOST_SIMILAR = "most-similar"
"""The ``--peers`` value that ranks a CSP among its most similar CSPs."""
#: Warehouse tables whose ``lad_code`` column is re-labelled to the CSP.
_LAD_TABLES = ("crimes", "outcomes", "lsoa_lookup", "lsoa_ward")
_RECORD_TABLES = ("stop_search", "quarantine", "indicators")


@dataclass(frozen=True)
class Csp:
    """A Community Safety Partnership: its code, name, force area and districts."""

    code: str
    name: str
    force_area: str
    force_slug: str
    districts: tuple[tuple[str, str], ...]

    @property
    def unit_code(self) -> str:
        """The code the assessment uses: the district's for a one-district CSP."""
        return self.districts[0][0] if len(self.districts) == 1 else self.code

    @property
    def joint(self) -> bool:
        return len(self.districts) > 1


@functools.cache
def all_csps() -> tuple[Csp, ...]:
    """Every CSP of England and Wales, by code."""
    table = read_table(CSP_TABLE)
    result = []
    for code, group in table.groupby("csp_code", sort=True):
        first = group.iloc[0]
        result.append(
            Csp(
                code=str(code),
                name=str(first["csp_name"]),
                force_area=str(first["pfa_name"]),
                force_slug=str(first["force_slug"]),
                districts=tuple(
                    (str(c), str(n))
                    for c, n in sorted(zip(group["lad_code"], group["lad_name"], strict=True))
                ),
            )
        )
    return tuple(result)


def find_csp(text: str) -> Csp:
    """A CSP by its code or name, or by the code or name of one of its districts."""
    key = text.strip().lower()
    for csp in all_csps():
        if key in (csp.code.lower(), csp.name.lower()):
            return csp
    for csp in all_csps():
        if any(key in (c.lower(), n.lower()) for c, n in csp.districts):
            return csp
    raise UnknownAreaError(f"no CSP or district called {text!r} in England and Wales")


def csp_of_unit(unit_code: str) -> Csp:
    """The CSP whose assessment unit code is ``unit_code``."""
    for csp in all_csps():
        if csp.unit_code == unit_code:
            return csp
    raise UnknownAreaError(f"no CSP has the unit code {unit_code!r}")


def most_similar_units(csp: Csp) -> list[str]:
    """The unit codes of the CSP's most similar group (nearest first)."""
    peers = read_table(PEERS_TABLE)
    by_code = {c.code: c for c in all_csps()}
    group = peers[peers["csp_code"] == csp.code].sort_values("rank")
    return [by_code[str(p)].unit_code for p in group["peer_code"]]


def _exact_csp(text: str) -> Csp | None:
    key = text.strip().lower()
    return next((c for c in all_csps() if key in (c.code.lower(), c.name.lower())), None)


@dataclass(frozen=True)
class OpenedArea:
    """A connection to assess one area on, the area's code there, and its peers."""

    con: duckdb.DuckDBPyConnection
    area: str
    peers: list[str] | None
    notes: tuple[str, ...]


def open_area(db: Path, area: str, peers: list[str] | None) -> OpenedArea:
    """Open the warehouse for assessing ``area`` (a district, or a CSP by name or code).

    A district, or a CSP of one district, is assessed on the warehouse as it is, among the
    force's districts. A CSP of several districts, or any area with ``peers`` of
    ``["most-similar"]``, is assessed with CSPs as the unit (:func:`unit_connection`).
    """
    from cspkit.warehouse.connection import connect_readonly

    csp = _exact_csp(area)
    similar = peers is not None and [p.strip().lower() for p in peers] == [MOST_SIMILAR]
    if not similar and (csp is None or not csp.joint):
        code = csp.unit_code if csp is not None else area
        return OpenedArea(connect_readonly(db), code, peers, ())
    if csp is None:
        csp = find_csp(area)
    if not db.exists():
        connect_readonly(db)  # raises the usual "no warehouse" error
    con = unit_connection(db)
    if not similar:
        return OpenedArea(con, csp.unit_code, peers, ())
    with_data = {str(r[0]) for r in con.execute("SELECT lad_code FROM district_force").fetchall()}
    group = most_similar_units(csp)
    held = [u for u in group if u in with_data]
    notes = (
        METHOD_TEXT,
        f"{len(held)} of the {len(group)} most similar CSPs have police.uk records in the "
        "warehouse and are ranked: " + ", ".join(csp_of_unit(u).name for u in held) + ".",
    )
    return OpenedArea(con, csp.unit_code, [csp.unit_code, *held], notes)


def joint_csps() -> list[Csp]:
    return [c for c in all_csps() if c.joint]


def _map_rows() -> list[tuple[str, str, str]]:
    return [(lad, csp.code, csp.name) for csp in joint_csps() for lad, _ in csp.districts]


def unit_connection(db: Path, *, materialise: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory connection over the warehouse ``db`` (opened read-only) in which each
    multi-district CSP is one area. ``materialise`` copies the records into memory, which
    is worth it when many CSPs are assessed from one connection."""
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{db}' AS {ALIAS} (READ_ONLY)")
    con.execute("CREATE TABLE unit_map (lad_code VARCHAR, unit_code VARCHAR, unit_name VARCHAR)")
    con.executemany("INSERT INTO unit_map VALUES (?, ?, ?)", _map_rows())
    kind = "TABLE" if materialise else "VIEW"
    tables = [
        str(r[0])
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_catalog = ? AND table_type = 'BASE TABLE'",
            [ALIAS],
        ).fetchall()
    ]
    special = {*_LAD_TABLES, "districts", "population", "imd_district"}
    for table in tables:
        if table in special:
            continue
        # Small tables are copied (in order, so rowid order is kept); record tables are read
        # in place.
        copy = "VIEW" if table in _RECORD_TABLES and not materialise else "TABLE"
        con.execute(f"CREATE {copy} {table} AS SELECT * FROM {ALIAS}.{table}")
    for table in _LAD_TABLES:
        con.execute(
            f"CREATE {kind} {table} AS SELECT t.* REPLACE "
            "(coalesce(m.unit_code, t.lad_code) AS lad_code) "
            f"FROM {ALIAS}.{table} t LEFT JOIN unit_map m ON m.lad_code = t.lad_code"
        )
    con.execute(
        f"""
        CREATE TABLE districts AS
        SELECT * FROM {ALIAS}.districts WHERE lad_code NOT IN (SELECT lad_code FROM unit_map)
        UNION ALL
        SELECT m.unit_code, any_value(m.unit_name), any_value(d.region), any_value(d.country),
               sum(d.area_km2)
        FROM {ALIAS}.districts d JOIN unit_map m USING (lad_code) GROUP BY m.unit_code;

        CREATE TABLE population AS
        SELECT * FROM {ALIAS}.population
        WHERE area_type <> 'lad' OR area_code NOT IN (SELECT lad_code FROM unit_map)
        UNION ALL
        SELECT m.unit_code, 'lad', NULL, p.year, sum(p.persons), sum(p.households),
               sum(p.adults), p.source, p.user_supplied
        FROM {ALIAS}.population p JOIN unit_map m ON m.lad_code = p.area_code
        WHERE p.area_type = 'lad'
        GROUP BY m.unit_code, p.year, p.source, p.user_supplied
        HAVING count(*) = (SELECT count(*) FROM unit_map u WHERE u.unit_code = m.unit_code);

        CREATE TABLE imd_district AS
        SELECT * FROM {ALIAS}.imd_district WHERE lad_code NOT IN (SELECT lad_code FROM unit_map)
        """
    )
    con.execute(reference_tables.AREA_VIEWS)
    return con


def with_notes(result: Assessment, notes: tuple[str, ...]) -> Assessment:
    """The assessment with ``notes`` added to its overview's notes (e.g. the peer method)."""
    if not notes:
        return result
    overview = dataclasses.replace(result.overview, notes=(*result.overview.notes, *notes))
    return dataclasses.replace(result, overview=overview)
