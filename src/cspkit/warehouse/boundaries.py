"""Boundaries held in the warehouse (loaded or fetched by the user), by level, year and code.

Geometry is stored as WKB in longitude/latitude (WGS84). Maps use the shipped boundaries of a
district when cspkit has them, and these otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import geopandas as gpd

TABLE_SQL = """
CREATE TABLE boundaries (
    level VARCHAR NOT NULL,            -- lsoa, ward, district
    vintage SMALLINT NOT NULL,         -- the boundaries' year (LSOA21 -> 2021)
    code VARCHAR NOT NULL,
    name VARCHAR,
    lad_code VARCHAR NOT NULL,
    geometry BLOB NOT NULL             -- WKB, WGS84
)
"""
STORED_CRS = "EPSG:4326"
#: The map section's kinds -> stored levels.
KIND_LEVEL = {"lsoa": "lsoa", "wards": "ward", "ward": "ward"}


def store_boundaries(
    con: duckdb.DuckDBPyConnection, frame: gpd.GeoDataFrame, level: str, vintage: int
) -> None:
    """Replace the stored features of this level and year with the same codes."""
    import shapely  # imported here: geopandas and shapely take long to import

    rows = [
        (level, vintage, code, name, lad, shapely.to_wkb(geom))
        for code, name, lad, geom in zip(
            frame["code"], frame["name"], frame["lad_code"], frame.geometry, strict=True
        )
    ]
    con.execute(
        "DELETE FROM boundaries WHERE level = ? AND vintage = ? AND list_contains(?, code)",
        [level, vintage, list(frame["code"])],
    )
    con.executemany("INSERT INTO boundaries VALUES (?, ?, ?, ?, ?, ?)", rows)


def stored_boundaries(
    con: duckdb.DuckDBPyConnection, kind: str, vintage: int | None, lad_code: str
) -> gpd.GeoDataFrame | None:
    """A district's stored features (index: code; columns name, lad_code), or None.

    ``vintage`` None takes the newest year held for the district (e.g. wards to draw on a
    map when no LSOA-to-ward lookup says which year's wards the LSOAs belong to).
    """
    level = KIND_LEVEL.get(kind, kind)
    try:
        rows = con.execute(
            "SELECT code, name, lad_code, geometry FROM boundaries "
            "WHERE level = ? AND lad_code = ? AND vintage = coalesce(?, "
            "(SELECT max(vintage) FROM boundaries WHERE level = ? AND lad_code = ?)) "
            "ORDER BY code",
            [level, lad_code, vintage, level, lad_code],
        ).fetchall()
    except duckdb.CatalogException:  # a warehouse from before boundaries could be loaded
        return None
    if not rows:
        return None
    import geopandas as gpd
    import shapely

    return gpd.GeoDataFrame(
        {"name": [r[1] for r in rows], "lad_code": [r[2] for r in rows]},
        geometry=[shapely.from_wkb(bytes(r[3])) for r in rows],
        index=[str(r[0]) for r in rows],
        crs=STORED_CRS,
    ).rename_axis("code")
