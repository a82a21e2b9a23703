"""Records assigned to wards by their map point, with a best-fit LSOA lookup as fallback.

Police.uk records carry the longitude and latitude of an anonymised map point. A record is
placed in the ward whose polygon covers its point (inside or on the boundary; a point on a
boundary shared by two wards goes to the first of them in the order given). Records without
coordinates, or whose point lies outside every polygon, take the ward of their LSOA from the
best-fit lookup; records with neither have no ward. Only the distinct map points are tested
against the polygons (an STRtree query), not every record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

BY_POINT = "point"
BY_LSOA = "lsoa"
NO_WARD = "none"
METHODS = (BY_POINT, BY_LSOA, NO_WARD)


@dataclass(frozen=True)
class WardAssignment:
    """The ward (or None) and the method of each input record, in input order."""

    wards: tuple[str | None, ...]
    methods: tuple[str, ...]


def polygon_of_points(
    lon: npt.ArrayLike, lat: npt.ArrayLike, polygons: Sequence[BaseGeometry]
) -> npt.NDArray[np.int64]:
    """Index of the first polygon covering each point, -1 where none does or a coordinate
    is missing (NaN)."""
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    out = np.full(len(x), -1, dtype=np.int64)
    if not len(x) or not len(polygons):
        return out
    tree = shapely.STRtree(list(polygons))
    point_idx, poly_idx = tree.query(shapely.points(x, y), predicate="intersects")
    order = np.lexsort((poly_idx, point_idx))  # by point, then polygon: first polygon wins
    point_idx, poly_idx = point_idx[order], poly_idx[order]
    first = np.unique(point_idx, return_index=True)[1]
    out[point_idx[first]] = poly_idx[first]
    return out


def assign_wards(
    lon: Sequence[float | None],
    lat: Sequence[float | None],
    lsoa: Sequence[str | None],
    polygons: Mapping[str, BaseGeometry],
    best_fit: Mapping[str, str],
) -> WardAssignment:
    """Each record's ward: by its point in ``polygons`` (ward code -> geometry, first wins
    on shared edges), else by ``best_fit`` (LSOA -> ward code) of its LSOA, else None."""
    x = np.array([np.nan if v is None else v for v in lon], dtype=float)
    y = np.array([np.nan if v is None else v for v in lat], dtype=float)
    codes = list(polygons)
    has_xy = ~(np.isnan(x) | np.isnan(y))
    found = np.full(len(x), -1, dtype=np.int64)
    if has_xy.any():
        xy = np.column_stack([x[has_xy], y[has_xy]])
        distinct, inverse = np.unique(xy, axis=0, return_inverse=True)
        hit = polygon_of_points(distinct[:, 0], distinct[:, 1], [polygons[c] for c in codes])
        found[has_xy] = hit[inverse.ravel()]
    wards: list[str | None] = []
    methods: list[str] = []
    for i, code in enumerate(lsoa):
        if found[i] >= 0:
            wards.append(codes[found[i]])
            methods.append(BY_POINT)
        elif code is not None and code in best_fit:
            wards.append(best_fit[code])
            methods.append(BY_LSOA)
        else:
            wards.append(None)
            methods.append(NO_WARD)
    return WardAssignment(tuple(wards), tuple(methods))
