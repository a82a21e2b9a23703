"""Ward assignment by map point: inside, on an edge, outside (fallback), no coordinates."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import Point, box

from cspkit.stats.ward_points import (
    BY_LSOA,
    BY_POINT,
    NO_WARD,
    assign_wards,
    polygon_of_points,
)

#: Two unit squares sharing the edge x = 1.
WARDS = {"W1": box(0, 0, 1, 1), "W2": box(1, 0, 2, 1)}
BEST_FIT = {"L1": "W1", "L2": "W2"}


def test_inside_edge_outside_and_missing() -> None:
    result = assign_wards(
        lon=[0.5, 1.5, 1.0, 2.0, 5.0, None, 5.0],
        lat=[0.5, 0.5, 0.5, 0.5, 5.0, None, 5.0],
        lsoa=["L2", "L1", "L2", "L1", "L2", "L1", "L9"],
        polygons=WARDS,
        best_fit=BEST_FIT,
    )
    assert result.wards == ("W1", "W2", "W1", "W2", "W2", "W1", None)
    assert result.methods == (
        BY_POINT,  # inside W1, whatever its LSOA says
        BY_POINT,  # inside W2
        BY_POINT,  # on the shared edge: the first ward given
        BY_POINT,  # on W2's outer edge
        BY_LSOA,  # outside both: its LSOA's best-fit ward
        BY_LSOA,  # no coordinates
        NO_WARD,  # outside, and an LSOA with no ward
    )


def test_shared_edge_follows_order() -> None:
    flipped = {"W2": WARDS["W2"], "W1": WARDS["W1"]}
    assert assign_wards([1.0], [0.5], [None], flipped, {}).wards == ("W2",)


def test_no_polygons_falls_back() -> None:
    result = assign_wards([0.5], [0.5], ["L1"], {}, BEST_FIT)
    assert result.wards == ("W1",) and result.methods == (BY_LSOA,)


@given(
    st.lists(
        st.tuples(st.floats(-1, 3, allow_nan=False), st.floats(-1, 2, allow_nan=False)),
        max_size=30,
    )
)
def test_matches_covers_one_point_at_a_time(points: list[tuple[float, float]]) -> None:
    polys = list(WARDS.values())
    got = polygon_of_points([p[0] for p in points], [p[1] for p in points], polys)
    for (x, y), i in zip(points, got, strict=True):
        covering = [j for j, g in enumerate(polys) if g.covers(Point(x, y))]
        assert i == (covering[0] if covering else -1)
