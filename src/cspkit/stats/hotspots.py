"""Hot and cold spots of areal units with the Getis-Ord Gi* statistic.

Method:

* Weights: Queen contiguity (units sharing an edge or a corner are neighbours),
  built with libpysal, with each unit included as its own neighbour (weight 1)
  as Gi* requires (Getis and Ord, 1992, "The analysis of spatial association by
  use of distance statistics", *Geographical Analysis* 24(3); Ord and Getis,
  1995, "Local spatial autocorrelation statistics: distributional issues and an
  application", *Geographical Analysis* 27(4)). Weights are kept binary: Gi* is a
  ratio of sums, and esda's analytic z-score equals the Ord-Getis z only for
  binary weights (the Ord-Getis z itself does not change if a row is rescaled,
  so row-standardising would add nothing but a less exact z).
* Statistic and inference: ``esda.G_Local(star=True)``; the p-value is the analytic
  one of the Ord-Getis z-score under the normal approximation, two-sided
  (``2 * (1 - Phi(|z|))``). It does not depend on a random seed. Permutation
  inference is not used to classify: with P permutations the smallest pseudo p is
  1 / (P + 1), and a false discovery rate over ~100 areas needs p below
  0.05 * k / n, so with 999 permutations the flagged set changed with the seed. A
  permutation pseudo p-value can still be computed for reference
  (``permutations > 0``; esda's folded one-sided ``p_sim``, doubled).
* Multiple testing: Benjamini-Hochberg false discovery rate over all tested units
  (``scipy.stats.false_discovery_control``; Benjamini and Hochberg, 1995). A unit
  is a hot spot when its adjusted p-value is at most ``alpha`` and its z-score is
  positive, a cold spot when negative.
* Islands (units with no neighbour) cannot be tested: they are reported as such,
  kept in the permutation pool for other units, and left out of the FDR family.
  So is a unit whose neighbourhood is every area (its Gi* is then 1 and its
  z-score 0/0), which happens only on very small maps.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import esda
import geopandas as gpd
import numpy as np
from libpysal.graph import Graph
from scipy.stats import false_discovery_control
from shapely.geometry.base import BaseGeometry

from cspkit.errors import InputError

DEFAULT_ALPHA = 0.05
DEFAULT_PERMUTATIONS = 0
"""No permutations by default: hot and cold spots rest on the analytic p-value."""
DEFAULT_SEED = 20_170_101
INFERENCE = "analytic (normal approximation of the Gi* z-score)"
SELF_WEIGHT = 1.0
WEIGHTS_DESCRIPTION = "Queen contiguity, binary, each unit its own neighbour (weight 1)"
FDR_METHOD = "Benjamini-Hochberg"
MINIMUM_UNITS = 3


class Classification(StrEnum):
    """What a unit is, after the FDR correction."""

    HOT = "hot spot"
    COLD = "cold spot"
    NOT_SIGNIFICANT = "not significant"
    ISLAND = "not tested (no neighbours)"
    WHOLE_AREA = "not tested (its neighbourhood is every area)"


@dataclass(frozen=True)
class HotspotUnit:
    """One areal unit: its value, Gi* z-score, p-values and classification.

    ``p_two_sided`` is the analytic p-value the classification rests on; ``p_sim`` the
    two-sided permutation pseudo p-value, only when permutations were asked for.
    """

    id: str
    value: float
    neighbours: int
    gi_star: float | None
    z: float | None
    p_sim: float | None
    p_two_sided: float | None
    p_adjusted: float | None
    classification: Classification


@dataclass(frozen=True)
class HotspotParameters:
    """How the hot spots were found, for the method note beside a map."""

    weights: str
    inference: str
    permutations: int
    seed: int
    alpha: float
    multiple_testing: str
    alternative: str


@dataclass(frozen=True)
class HotspotResult:
    """Per-unit records (in input order) and the parameters used."""

    units: tuple[HotspotUnit, ...]
    parameters: HotspotParameters
    islands: tuple[str, ...]
    hot: int
    cold: int


def _validate(areas: gpd.GeoDataFrame, values: np.ndarray) -> None:
    if len(areas) < MINIMUM_UNITS:
        raise InputError(f"hot spots: expected at least {MINIMUM_UNITS} areas, found {len(areas)}")
    if not areas.index.is_unique:
        dupes = sorted({str(i) for i in areas.index[areas.index.duplicated()]})
        raise InputError(f"hot spots: area ids must be unique; repeated: {', '.join(dupes)}")
    bad = [
        str(i) for i, g in zip(areas.index, areas.geometry, strict=True) if g is None or g.is_empty
    ]
    if bad:
        raise InputError(f"hot spots: areas without a boundary: {', '.join(bad)}")
    if not np.isfinite(values).all() or (values < 0).any():
        where = [str(i) for i, v in zip(areas.index, values, strict=True) if not v >= 0]
        raise InputError(
            f"hot spots: values must be counts or rates >= 0; check {', '.join(where)}"
        )
    if values.sum() == 0:
        raise InputError("hot spots: every value is zero, so there is nothing to locate")


def queen_weights(areas: gpd.GeoDataFrame) -> Graph:
    """Queen contiguity graph over ``areas`` (indexed by id), each unit its own neighbour."""
    return Graph.build_contiguity(areas, rook=False).assign_self_weight(SELF_WEIGHT)


def getis_ord_hotspots(
    areas: gpd.GeoDataFrame,
    values: str | Sequence[float],
    ids: str | None = None,
    *,
    alpha: float = DEFAULT_ALPHA,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = DEFAULT_SEED,
) -> HotspotResult:
    """Classify each area as a hot spot, cold spot or neither with Gi* and an FDR correction.

    ``values`` is a column name of ``areas`` or one value per area (e.g. crimes per
    1,000 residents); ``ids`` names the id column (default: the frame's index).
    """
    if not 0 < alpha < 1:
        raise InputError(f"hot spots: alpha must be between 0 and 1, found {alpha}")
    if permutations < 0:
        raise InputError(f"hot spots: expected 0 or more permutations, found {permutations}")
    frame = areas.set_index(ids) if ids is not None else areas
    frame = frame.set_axis([str(i) for i in frame.index], axis=0)
    y = np.asarray(frame[values] if isinstance(values, str) else values, dtype=float)
    if len(y) != len(frame):
        raise InputError(f"hot spots: expected {len(frame)} values (one per area), found {len(y)}")
    _validate(frame, y)
    graph = queen_weights(frame)
    neighbours = (graph.cardinalities - 1).reindex(frame.index).to_numpy()
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        # esda warns that its default alternative hypothesis will change; we double
        # p_sim ourselves, so the result does not depend on that default.
        warnings.simplefilter("ignore", DeprecationWarning)
        g = esda.G_Local(
            y,
            graph,
            transform="B",
            permutations=permutations,
            star=True,
            keep_simulations=False,
            n_jobs=1,
            seed=seed,
        )
    whole = neighbours == len(y) - 1
    tested = (neighbours > 0) & ~whole
    p_two = np.minimum(1.0, 2.0 * np.asarray(g.p_norm, dtype=float))
    p_sim = (
        np.minimum(1.0, 2.0 * np.asarray(g.p_sim, dtype=float))
        if permutations
        else np.full(len(y), np.nan)
    )
    p_adj = np.full(len(y), np.nan)
    if tested.any():
        p_adj[tested] = false_discovery_control(p_two[tested], method="bh")
    units = []
    for k, unit_id in enumerate(frame.index):
        if not tested[k]:
            why = Classification.WHOLE_AREA if whole[k] else Classification.ISLAND
            units.append(
                HotspotUnit(
                    id=unit_id,
                    value=float(y[k]),
                    neighbours=int(neighbours[k]),
                    gi_star=None,
                    z=None,
                    p_sim=None,
                    p_two_sided=None,
                    p_adjusted=None,
                    classification=why,
                )
            )
            continue
        z = float(g.Zs[k])
        significant = p_adj[k] <= alpha
        kind = Classification.NOT_SIGNIFICANT
        if significant and z > 0:
            kind = Classification.HOT
        elif significant and z < 0:
            kind = Classification.COLD
        units.append(
            HotspotUnit(
                id=unit_id,
                value=float(y[k]),
                neighbours=int(neighbours[k]),
                gi_star=float(g.Gs[k]),
                z=z,
                p_sim=None if np.isnan(p_sim[k]) else float(p_sim[k]),
                p_two_sided=float(p_two[k]),
                p_adjusted=float(p_adj[k]),
                classification=kind,
            )
        )
    return HotspotResult(
        units=tuple(units),
        parameters=HotspotParameters(
            weights=WEIGHTS_DESCRIPTION,
            inference=INFERENCE,
            permutations=permutations,
            seed=seed,
            alpha=alpha,
            multiple_testing=FDR_METHOD,
            alternative="two-sided",
        ),
        islands=tuple(u.id for u in units if u.classification is Classification.ISLAND),
        hot=sum(u.classification is Classification.HOT for u in units),
        cold=sum(u.classification is Classification.COLD for u in units),
    )


def hotspots_from_polygons(
    polygons: Sequence[BaseGeometry],
    ids: Sequence[str],
    values: Sequence[float],
    *,
    alpha: float = DEFAULT_ALPHA,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = DEFAULT_SEED,
) -> HotspotResult:
    """:func:`getis_ord_hotspots` for plain polygons, ids and values."""
    if not len(polygons) == len(ids) == len(values):
        raise InputError(
            f"hot spots: {len(polygons)} polygons, {len(ids)} ids and {len(values)} values; "
            "expected one of each per area"
        )
    frame = gpd.GeoDataFrame({"value": list(values)}, geometry=list(polygons), index=list(ids))
    return getis_ord_hotspots(frame, "value", alpha=alpha, permutations=permutations, seed=seed)
