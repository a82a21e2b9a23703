"""Build the compact district outlines that locate a district in its force area on maps.

Reads the ONS ultra-generalised (BUC) local authority district boundaries and the police
force area boundaries, keeps England and Wales, names each district's force area (the one
holding most of its area), simplifies the shapes further (a locator map needs no detail)
and writes ``src/cspkit/reference/data/boundaries/districts_ew.geojson`` in WGS84 with
coordinates rounded to about 10 m.

    python scripts/build_district_outlines.py path/to/boundaries_national

Source: Office for National Statistics licensed under the Open Government Licence v3.0.
Contains OS data © Crown copyright and database right 2024.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

LAD_FILE = "Local_Authority_Districts_May_2024_Boundaries_UK_BUC_*.gpkg"
PFA_FILE = "Police_Force_Areas_December_2023_EW_BSC.gpkg"
OUT = (
    Path(__file__).resolve().parents[1]
    / "src/cspkit/reference/data/boundaries/districts_ew.geojson"
)
#: Further simplification (metres), keeping shared edges shared.
SIMPLIFY_METRES = 150.0
DECIMALS = 4


def _round(coords: object) -> object:
    if isinstance(coords, list | tuple) and coords and isinstance(coords[0], float | int):
        return [round(float(c), DECIMALS) for c in coords]
    if isinstance(coords, list | tuple):
        return [_round(c) for c in coords]
    return coords


def build(source: Path) -> dict[str, object]:
    lads = gpd.read_file(next(source.glob(LAD_FILE)))
    lads = lads[lads["LAD24CD"].str[0].isin(["E", "W"])].reset_index(drop=True)
    forces = gpd.read_file(source / PFA_FILE).to_crs(lads.crs)
    overlap = gpd.overlay(
        lads[["LAD24CD", "geometry"]], forces[["PFA23NM", "geometry"]], how="intersection"
    )
    overlap["area"] = overlap.geometry.area
    best = overlap.sort_values("area").groupby("LAD24CD")["PFA23NM"].last()
    geoms = shapely.coverage_simplify(np.asarray(lads.geometry.values), SIMPLIFY_METRES)
    frame = gpd.GeoDataFrame(
        {
            "code": lads["LAD24CD"],
            "name": lads["LAD24NM"],
            "force": lads["LAD24CD"].map(best).fillna(""),
        },
        geometry=list(geoms),
        crs=lads.crs,
    ).to_crs("EPSG:4326")
    frame = frame.sort_values("code").reset_index(drop=True)
    features = [
        {
            "type": "Feature",
            "properties": {"code": r.code, "name": r.name, "force": r.force},
            "geometry": {
                "type": r.geometry.geom_type,
                "coordinates": _round(shapely.geometry.mapping(r.geometry)["coordinates"]),
            },
        }
        for r in frame.itertuples()
    ]
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="folder of the national boundary files")
    args = parser.parse_args()
    OUT.write_text(json.dumps(build(args.source), separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
