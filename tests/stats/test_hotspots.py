"""Tests for Getis-Ord Gi* hot spots on a lattice of unit squares."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
from scipy.stats import norm
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from cspkit.errors import InputError
from cspkit.stats.hotspots import (
    DEFAULT_PERMUTATIONS,
    Classification,
    getis_ord_hotspots,
    hotspots_from_polygons,
)

SIDE = 7


def lattice(side: int) -> tuple[list[str], list[BaseGeometry]]:
    """Unit squares r{row}c{col}; row 0 at the bottom."""
    ids = [f"r{r}c{c}" for r in range(side) for c in range(side)]
    polys: list[BaseGeometry] = [box(c, r, c + 1, r + 1) for r in range(side) for c in range(side)]
    return ids, polys


def corner_blocks() -> list[float]:
    """7x7: 3x3 block of 10s bottom-left, 3x3 block of 0s top-right, 5 or 6 elsewhere."""
    rng = np.random.default_rng(1)
    values = []
    for r in range(SIDE):
        for c in range(SIDE):
            if r < 3 and c < 3:
                values.append(10.0)
            elif r >= 4 and c >= 4:
                values.append(0.0)
            else:
                values.append(5.0 + float(rng.integers(0, 2)))
    return values


def test_corner_block_is_hot_and_opposite_block_cold() -> None:
    ids, polys = lattice(SIDE)
    res = hotspots_from_polygons(polys, ids, corner_blocks())
    kind = {u.id: u.classification for u in res.units}
    hot = {i for i, k in kind.items() if k is Classification.HOT}
    cold = {i for i, k in kind.items() if k is Classification.COLD}
    # the corner of each block, whose whole neighbourhood lies inside the block
    assert {"r0c0", "r0c1", "r1c0", "r1c1"} <= hot
    assert {"r5c5", "r5c6", "r6c5", "r6c6"} <= cold
    # hot spots only in or next to the high block, cold only in or next to the low block
    assert all(int(i[1]) <= 3 and int(i[3]) <= 3 for i in hot)
    assert all(int(i[1]) >= 3 and int(i[3]) >= 3 for i in cold)
    # the two far corners (away from both blocks) are not significant
    for r in range(4, 7):
        for c in range(3):
            assert kind[f"r{r}c{c}"] is Classification.NOT_SIGNIFICANT
            assert kind[f"r{c}c{r}"] is Classification.NOT_SIGNIFICANT
    assert res.hot == len(hot) and res.cold == len(cold)
    assert res.parameters.permutations == DEFAULT_PERMUTATIONS == 0
    assert res.parameters.inference.startswith("analytic")
    assert res.parameters.multiple_testing == "Benjamini-Hochberg"


def test_results_are_reproducible_with_the_fixed_seed() -> None:
    ids, polys = lattice(SIDE)
    a = hotspots_from_polygons(polys, ids, corner_blocks())
    b = hotspots_from_polygons(polys, ids, corner_blocks())
    assert a == b


def test_p_values_are_consistent() -> None:
    ids, polys = lattice(SIDE)
    res = hotspots_from_polygons(polys, ids, corner_blocks(), permutations=99)
    for u in res.units:
        assert u.z is not None and u.p_two_sided is not None and u.p_adjusted is not None
        assert u.p_two_sided == pytest.approx(2 * norm.sf(abs(u.z)))  # analytic, two-sided
        assert u.p_two_sided <= u.p_adjusted + 1e-12  # BH never lowers a p-value
        assert u.p_sim is not None and 2 / (99 + 1) - 1e-6 <= u.p_sim <= 1.0  # reference only


def test_the_flagged_set_does_not_depend_on_the_seed() -> None:
    ids, polys = lattice(SIDE)
    results = [
        hotspots_from_polygons(polys, ids, corner_blocks(), permutations=99, seed=seed)
        for seed in (1, 2, 3, 42, 2024)
    ]
    flagged = [
        {
            (u.id, u.classification)
            for u in r.units
            if u.classification is not Classification.NOT_SIGNIFICANT
        }
        for r in results
    ]
    assert all(f == flagged[0] for f in flagged)
    assert [u.p_adjusted for u in results[0].units] == [u.p_adjusted for u in results[-1].units]


def test_z_matches_the_analytic_gi_star_formula() -> None:
    # Ord and Getis (1995), eq. for Gi* with binary weights including i itself:
    #   z_i = (sum_j w_ij x_j - xbar W_i) / (S sqrt((n S1_i - W_i^2) / (n - 1)))
    # with W_i = sum_j w_ij, S1_i = sum_j w_ij^2, S^2 = sum x^2 / n - xbar^2.
    ids, polys = lattice(4)
    x = np.array([8.0, 6.0, 1.0, 7.0, 4.0, 2.0, 3.0, 1.0, 0.0, 5.0, 2.0, 9.0, 1.0, 0.0, 3.0, 2.0])
    res = hotspots_from_polygons(polys, ids, list(x), permutations=99)
    n = len(x)
    xbar = x.mean()
    s = math.sqrt((x**2).sum() / n - xbar**2)
    for k, unit in enumerate(res.units):
        r, c = divmod(k, 4)
        hood = [
            rr * 4 + cc
            for rr in range(r - 1, r + 2)
            for cc in range(c - 1, c + 2)
            if 0 <= rr < 4 and 0 <= cc < 4
        ]
        w_i = len(hood)  # binary weights, self included, so S1_i = W_i
        z = (x[hood].sum() - xbar * w_i) / (s * math.sqrt((n * w_i - w_i**2) / (n - 1)))
        assert unit.z == pytest.approx(z, rel=1e-9)
        assert unit.gi_star == pytest.approx(x[hood].sum() / x.sum())
        assert unit.neighbours == w_i - 1
    # by hand for the corner r0c0: hood {8, 6, 4, 2} sums to 20, xbar = 54/16 = 3.375,
    # sum x^2 = 304, S^2 = 19 - 11.390625 = 7.609375; z = 6.5 / (S * sqrt(48/15)) = 1.3172
    assert res.units[0].z == pytest.approx(6.5 / (math.sqrt(7.609375) * math.sqrt(3.2)))


def test_a_neighbourhood_covering_every_area_is_not_tested() -> None:
    ids, polys = lattice(3)
    x = [8.0, 6.0, 1.0, 7.0, 4.0, 2.0, 3.0, 1.0, 0.0]
    res = hotspots_from_polygons(polys, ids, x, permutations=99)
    assert res.units[4].classification is Classification.WHOLE_AREA
    assert res.units[4].z is None and res.units[4].neighbours == 8
    assert res.units[0].z is not None


def test_islands_are_reported_not_tested() -> None:
    ids, polys = lattice(SIDE)
    ids.append("island")
    polys.append(box(20, 20, 21, 21))
    values = [*corner_blocks(), 5.0]
    res = hotspots_from_polygons(polys, ids, values)
    island = res.units[-1]
    assert island.classification is Classification.ISLAND
    assert (island.z, island.p_adjusted, island.neighbours) == (None, None, 0)
    assert res.islands == ("island",)
    assert res.units[0].classification is Classification.HOT


def test_geodataframe_with_id_column() -> None:
    ids, polys = lattice(SIDE)
    frame = gpd.GeoDataFrame({"lsoa": ids, "crimes": corner_blocks()}, geometry=polys)
    res = getis_ord_hotspots(frame, "crimes", ids="lsoa")
    assert res.units[0].id == "r0c0"
    assert res.units[0].value == 10.0
    assert res.units[0].classification is Classification.HOT


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([0.0] * 9, "every value is zero"),
        ([1.0] * 8 + [-1.0], "check r2c2"),
        ([1.0] * 8 + [math.nan], "check r2c2"),
        ([1.0] * 8, "expected 9 values"),
    ],
)
def test_bad_values_are_named(values: list[float], message: str) -> None:
    ids, polys = lattice(3)
    frame = gpd.GeoDataFrame({"id": ids}, geometry=polys)
    with pytest.raises(InputError, match=message):
        getis_ord_hotspots(frame, values, ids="id")


def test_duplicate_ids_and_too_few_areas() -> None:
    with pytest.raises(InputError, match="repeated: a"):
        squares = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)]
        hotspots_from_polygons(squares, ["a", "a", "b"], [1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="at least 3 areas"):
        hotspots_from_polygons([box(0, 0, 1, 1)], ["a"], [1.0])
