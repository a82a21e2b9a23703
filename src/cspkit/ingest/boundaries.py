"""Loading boundaries (GeoJSON, GeoPackage, shapefile) so maps work for any district.

An ONS download names its code and name columns after the geography and year (``LSOA21CD``,
``LSOA21NM``, ``WD23CD``, ``LAD24CD``...); cspkit also accepts its own ``code``, ``name``,
``lad_code`` form. Each feature is given its district: from a district code column if the
file has one, else for LSOAs from the warehouse's LSOA lookup, else by where the feature lies
within the shipped district boundaries. Boundaries are stored in the warehouse (table
``boundaries``, geometry as WKB in longitude/latitude), replacing earlier features with the
same level, year and code, in one transaction.

Example::

    report = load_boundaries(Path("cspkit.duckdb"), Path("LSOA_2021_EW_BGC.gpkg"), "lsoa")
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from cspkit.errors import InputError
from cspkit.reference import data_path

LEVELS = {"lsoa": "LSOA", "ward": "WD", "district": "LAD"}
"""Level -> the prefix of its ONS code and name columns."""
STORED_CRS = "EPSG:4326"
DISTRICT_BOUNDARIES = "boundaries/districts_2024.geojson"
CODE_PATTERN = {
    "lsoa": r"^[EW]01\d{6}$",
    "ward": r"^[EW]05\d{6}$",
    "district": r"^[EW]0[6-9]\d{6}$",
}
SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".zip")


@dataclass(frozen=True)
class BoundaryLoad:
    """What a boundary load stored."""

    file: str
    level: str
    vintage: int
    features: int
    districts: int
    skipped: int

    def summary(self) -> str:
        return (
            f"{self.file}: {self.features:,} {self.level} boundaries ({self.vintage}) in "
            f"{self.districts:,} districts"
        )


def _columns(frame: pd.DataFrame, level: str, file: str) -> tuple[str, str | None, int | None]:
    """The code column, the name column and the year the column names give."""
    prefix = LEVELS[level]
    names = list(frame.columns)
    for column in names:
        match = re.fullmatch(rf"{prefix}(\d\d)CD", str(column), flags=re.IGNORECASE)
        if match:
            year = 2000 + int(match[1])
            name = next(
                (c for c in names if str(c).lower() == f"{prefix}{match[1]}nm".lower()), None
            )
            return str(column), name, year
    if "code" in names:
        return "code", "name" if "name" in names else None, None
    shown = ", ".join(str(c) for c in names if c != "geometry")
    raise InputError(
        f"no {level} code column: expected {prefix}<yy>CD (e.g. {prefix}21CD) or 'code'; "
        f"the file has {shown}; nothing was loaded",
        file=file,
    )


def read_boundaries(
    path: Path, level: str, *, vintage: int | None = None
) -> tuple[gpd.GeoDataFrame, int]:
    """Read a boundary file into columns code, name, lad_code (maybe empty), geometry (WGS84).

    Returns the frame and the boundaries' year. Raises InputError naming what is missing.
    """
    if level not in LEVELS:
        raise InputError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    if not path.name.lower().endswith(SUFFIXES):
        raise InputError(
            "expected a GeoJSON (.geojson), GeoPackage (.gpkg) or shapefile (.shp or zipped)",
            file=str(path),
        )
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # the GIS reader raises many types for an unreadable file
        raise InputError(f"not a readable boundary file ({exc})", file=str(path)) from exc
    if frame.crs is None:
        raise InputError(
            "the file has no coordinate reference system; save it with one (e.g. EPSG:27700)",
            file=str(path),
        )
    code_col, name_col, year = _columns(frame, level, str(path))
    year = vintage or year
    if year is None:
        raise InputError(
            "the boundaries' year is not in the column names; give it (e.g. --vintage 2021)",
            file=str(path),
        )
    lad_col = next(
        (
            c
            for c in frame.columns
            if re.fullmatch(r"LAD\d\dCD|lad_code", str(c), flags=re.IGNORECASE)
        ),
        None,
    )
    if level == "district":
        lad_col = code_col
    codes = frame[code_col].astype(str).str.strip()
    bad = frame.index[~codes.str.match(CODE_PATTERN[level])]
    if len(bad):
        row = int(bad[0])
        raise InputError(
            f"{codes.iloc[row]!r} is not a {level} code of England or Wales; nothing was loaded",
            file=str(path),
            row=row + 1,
            column=code_col,
        )
    empty = frame.geometry.isna() | frame.geometry.is_empty
    if empty.any():
        row = int(frame.index[empty][0])
        raise InputError(
            "feature without a geometry; nothing was loaded", file=str(path), row=row + 1
        )
    out = gpd.GeoDataFrame(
        {
            "code": codes.to_numpy(),
            "name": (frame[name_col].astype(str) if name_col else codes).to_numpy(),
            "lad_code": (
                frame[lad_col].astype(str) if lad_col else pd.Series([""] * len(frame))
            ).to_numpy(),
        },
        geometry=frame.geometry.to_crs(STORED_CRS).make_valid().to_numpy(),
        crs=STORED_CRS,
    )
    return out, int(year)


def assign_districts(frame: gpd.GeoDataFrame, lsoa_lookup: dict[str, str]) -> gpd.GeoDataFrame:
    """Fill ``lad_code`` from the LSOA lookup, else from the district each feature's
    representative point lies in (shipped district boundaries)."""
    out = frame.copy()
    blank = out["lad_code"].isin(["", "None", "nan"])
    out.loc[blank, "lad_code"] = out.loc[blank, "code"].map(lsoa_lookup).fillna("")
    blank = out["lad_code"] == ""
    if blank.any():
        districts = gpd.read_file(data_path(DISTRICT_BOUNDARIES))
        points = gpd.GeoDataFrame(
            geometry=shapely.point_on_surface(out.loc[blank].geometry.to_numpy()),
            index=out.index[blank],
            crs=STORED_CRS,
        )
        joined = gpd.sjoin(points, districts, how="left", predicate="within")
        joined = joined[~joined.index.duplicated()]
        out.loc[blank, "lad_code"] = joined["lad_code"].fillna("").to_numpy()
    return out


def load_boundaries(
    db: Path, path: Path, level: str, *, vintage: int | None = None
) -> BoundaryLoad:
    """Read, check and store a boundary file in the warehouse ``db`` (atomically)."""
    from cspkit.warehouse.boundaries import store_boundaries
    from cspkit.warehouse.connection import writing

    frame, year = read_boundaries(path, level, vintage=vintage)
    with writing(db) as con:
        lookup = dict(
            con.execute(
                "SELECT lsoa_code, lad_code FROM lsoa_lookup WHERE vintage = ?", [year]
            ).fetchall()
        )
        frame = assign_districts(frame, {str(k): str(v) for k, v in lookup.items()})
        outside = frame["lad_code"] == ""
        kept = frame[~outside]
        if kept.empty:
            raise InputError(
                "no feature lies in a district of England or Wales; nothing was loaded",
                file=str(path),
            )
        store_boundaries(con, kept, level, year)
    return BoundaryLoad(
        str(path), level, year, len(kept), int(kept["lad_code"].nunique()), int(outside.sum())
    )
