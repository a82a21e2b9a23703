"""The shipped LSOA and ward boundaries of a district, for maps, hot spots and wards by point."""

from __future__ import annotations

import functools

import geopandas as gpd

from cspkit.reference import ReferenceDataMissingError, data_path

LSOA_BOUNDARIES = "boundaries/{force}_lsoa_{vintage}.geojson"
WARD_BOUNDARIES = "boundaries/{force}_wards_{vintage}.geojson"


@functools.lru_cache(maxsize=8)
def _read_boundaries(name: str) -> gpd.GeoDataFrame | None:
    try:
        path = data_path(name)
    except ReferenceDataMissingError:
        return None
    return gpd.read_file(path)


def boundaries(force: str, kind: str, vintage: int, lad: str) -> gpd.GeoDataFrame | None:
    """The district's features (index: code) of a shipped boundary set, or None if none."""
    template = LSOA_BOUNDARIES if kind == "lsoa" else WARD_BOUNDARIES
    frame = _read_boundaries(template.format(force=force, vintage=vintage))
    if frame is None:
        return None
    mine = frame[frame["lad_code"] == lad]
    return mine.set_index("code") if len(mine) else None
