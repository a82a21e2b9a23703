"""The inset of a map: where the district lies among its force area's districts.

District outlines come from cspkit's reference data (``boundaries/districts_2024.geojson``,
every district of England and Wales) and each district's police force area from
``csp_districts.csv``; both are built from ONS data by ``scripts/build_national.py``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.path import Path

from cspkit.reference import ReferenceDataMissingError, data_path

DISTRICT_OUTLINES = "boundaries/districts_2024.geojson"
DISTRICT_FORCES = "csp_districts.csv"
MAP_CRS = "EPSG:27700"
OTHER_FILL = "#e8e8e8"
OTHER_EDGE = "#8c9296"
FOCUS_FILL = "#1b1b1b"
INSET_LABEL_SIZE = 6.5


@dataclass(frozen=True)
class Locator:
    """The districts of a force area (projected, indexed by code) and the one to pick out."""

    districts: gpd.GeoDataFrame
    code: str
    area_name: str  # e.g. "Kent"


@functools.lru_cache(maxsize=1)
def _outlines() -> gpd.GeoDataFrame | None:
    try:
        outlines, forces = data_path(DISTRICT_OUTLINES), data_path(DISTRICT_FORCES)
    except ReferenceDataMissingError:
        return None
    frame = gpd.read_file(outlines).to_crs(MAP_CRS).set_index("lad_code")
    force_of = pd.read_csv(forces, dtype=str).set_index("lad_code")["pfa_name"]
    frame["force"] = force_of.reindex(frame.index).fillna("")
    return frame


def locator_for(code: str) -> Locator | None:
    """The inset for a district (by ONS code), or None when its outline is not known."""
    frame = _outlines()
    if frame is None or code not in frame.index:
        return None
    force = str(frame.loc[code, "force"])
    mine = frame[frame["force"] == force] if force else frame.loc[[code]]
    return Locator(mine, code, force)


def _paths(geoms: gpd.GeoSeries) -> list[Path]:
    out: list[Path] = []
    for geom in geoms:
        vertices: list[np.ndarray] = []
        codes: list[np.ndarray] = []
        for part in shapely.get_parts(geom):
            if not isinstance(part, shapely.Polygon):
                continue
            for ring in (part.exterior, *part.interiors):
                xy = np.asarray(ring.coords)[:, :2]
                ring_codes = np.full(len(xy), Path.LINETO, dtype=np.uint8)
                ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
                vertices.append(xy)
                codes.append(ring_codes)
        if vertices:
            out.append(Path(np.concatenate(vertices), np.concatenate(codes)))
    return out


def draw_locator(inset: Axes, locator: Locator) -> None:
    """Draw the locator map into its own (small) axes."""
    others = locator.districts.drop(index=locator.code)
    inset.add_collection(
        PathCollection(
            _paths(others.geometry), facecolor=OTHER_FILL, edgecolor=OTHER_EDGE, linewidth=0.4
        )
    )
    inset.add_collection(
        PathCollection(
            _paths(locator.districts.loc[[locator.code]].geometry),
            facecolor=FOCUS_FILL,
            edgecolor=FOCUS_FILL,
            linewidth=0.4,
        )
    )
    x0, y0, x1, y1 = (float(b) for b in locator.districts.total_bounds)
    pad = max(x1 - x0, y1 - y0) * 0.04
    inset.set_xlim(x0 - pad, x1 + pad)
    inset.set_ylim(y0 - pad, y1 + pad)
    inset.set_aspect("equal")
    inset.set_xticks([])
    inset.set_yticks([])
    for spine in inset.spines.values():
        spine.set_edgecolor(OTHER_EDGE)
        spine.set_linewidth(0.6)
        spine.set_visible(True)
    inset.set_facecolor("white")
    where = f"in the {locator.area_name} police force area" if locator.area_name else ""
    inset.set_title(f"Location {where}".strip(), fontsize=INSET_LABEL_SIZE, color="#1b1b1b", pad=2)
