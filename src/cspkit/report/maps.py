"""Static maps of a district's small areas as SVG (for pages) and PNG (for Word).

A map shows each area in one of a few classes (count bands of a choropleth, or hot spot /
cold spot / not significant). Classes are told apart by fill colour *and* by hatching, and
named in a legend, so no class depends on colour alone; ward boundaries can be drawn on top
and named where they matter. Areas arrive in WGS84 (longitude, latitude) and are drawn in
the British National Grid so that distances and shapes are true; a scale bar gives distance.

Maps only draw: the classes are decided by the caller (for example from Gi* results), and
:func:`count_classes` only bands numbers for display.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path
from shapely.geometry.base import BaseGeometry

from cspkit.report.charts import INK, MUTED, new_figure, render, style

#: British National Grid: maps are drawn in metres.
MAP_CRS = "EPSG:27700"
#: Boundary simplification for drawing (metres); shared edges stay shared.
SIMPLIFY_METRES = 8.0
PANEL_WIDTH = 6.4
PANEL_HEIGHT = 6.6
AREA_EDGE = "#6f777b"
AREA_EDGE_WIDTH = 0.3
OVERLAY_COLOUR = INK
OVERLAY_WIDTH = 1.1
HATCH_WIDTH = 0.6
LABEL_SIZE = 8.0
SCALE_BAR_FRACTION = 0.25
SCALE_BAR_STEPS_KM = (0.5, 1, 2, 5, 10, 20, 50)
#: A detail map shows its focus areas with this margin, and at least this width (metres).
FOCUS_MARGIN = 0.25
FOCUS_MIN_METRES = 2500.0

#: Light to dark, colour-blind safe (ColorBrewer Blues, 5 classes).
SEQUENTIAL = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
#: Denser hatching for higher classes, so bands differ without colour.
SEQUENTIAL_HATCHES = ("", "..", "//", "xx", "xxx")
DEFAULT_CLASSES = 5


@dataclass(frozen=True)
class MapClass:
    """How one class of areas is drawn and named in the legend."""

    label: str
    fill: str
    hatch: str = ""
    hatch_colour: str = INK


@dataclass(frozen=True)
class MapPanel:
    """One map: a title, each area's class (an index into ``styles``), and which overlay
    features (by name) to label."""

    title: str
    classes: tuple[int, ...]
    styles: tuple[MapClass, ...]
    overlay_labels: tuple[str, ...] = ()
    legend_title: str = ""
    focus: tuple[str, ...] = ()  # ids of areas to zoom to (a detail map); empty: all areas
    legend: bool = True


def count_classes(
    values: Sequence[float], k: int = DEFAULT_CLASSES
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Band whole-number values into up to ``k`` classes by quantiles.

    Returns each value's class index (0 = lowest) and the class labels ("0-12", "13-25" ...).
    Equal values always share a class; fewer classes are made when values are few or tied.
    """
    x = np.asarray(values, dtype=float)
    if x.size == 0:
        return (), ()
    cuts = np.ceil(np.round(np.quantile(x, np.linspace(0, 1, k + 1)[1:-1]), 9))
    # Each band's upper bound is a value that occurs, so no band is empty.
    uppers = sorted({float(x[x <= c].max()) for c in cuts if (x <= c).any()} - {float(x.max())})
    uppers.append(float(x.max()))
    index = tuple(int(np.searchsorted(uppers, v, side="left")) for v in x)
    labels: list[str] = []
    lower = float(x.min())
    for upper in uppers:
        labels.append(f"{lower:,.0f}" if lower == upper else f"{lower:,.0f}–{upper:,.0f}")
        lower = upper + 1
    return index, tuple(labels)


def sequential_styles(labels: Sequence[str]) -> tuple[MapClass, ...]:
    """Styles for ordered bands: lighter to darker fill, sparser to denser hatching."""
    n = len(labels)
    picks: list[int] = [int(p) for p in np.linspace(0, len(SEQUENTIAL) - 1, n).round()]
    return tuple(
        MapClass(
            label,
            SEQUENTIAL[p],
            SEQUENTIAL_HATCHES[p],
            "#ffffff" if p >= len(SEQUENTIAL) - 2 else INK,
        )
        for label, p in zip(labels, picks, strict=True)
    )


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """The polygonal part of a geometry: make_valid can turn a self-touching polygon into a
    collection of polygons and lines, which area-based drawing and simplification refuse."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else geom


def _projected(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame.to_crs(MAP_CRS) if frame.crs is not None else frame.set_crs(MAP_CRS)
    geoms = np.array([_polygonal(g) for g in shapely.make_valid(np.asarray(out.geometry.values))])
    with contextlib.suppress(shapely.errors.GEOSException, ValueError, TypeError):
        geoms = shapely.coverage_simplify(geoms, SIMPLIFY_METRES)  # not a clean coverage: as is
    return gpd.GeoDataFrame(out.drop(columns="geometry"), geometry=list(geoms), crs=MAP_CRS)


def _path(geom: BaseGeometry) -> Path:
    """A compound matplotlib path of a polygon's (or multipolygon's) rings, holes included."""
    vertices: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for part in shapely.get_parts(geom):
        if not isinstance(part, shapely.Polygon):
            continue  # points or lines left by make_valid have no area to fill
        for ring in (part.exterior, *part.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            ring_codes = np.full(len(xy), Path.LINETO, dtype=np.uint8)
            ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            vertices.append(xy)
            codes.append(ring_codes)
    if not vertices:
        return Path(np.empty((0, 2)))
    return Path(np.concatenate(vertices), np.concatenate(codes))


def _scale_bar(ax: Axes, bounds: tuple[float, float, float, float]) -> None:
    x0, y0, x1, _ = bounds
    target_km = (x1 - x0) * SCALE_BAR_FRACTION / 1000
    km = max([s for s in SCALE_BAR_STEPS_KM if s <= target_km] or [SCALE_BAR_STEPS_KM[0]])
    pad = (x1 - x0) * 0.03
    ax.plot([x0 + pad, x0 + pad + km * 1000], [y0 + pad, y0 + pad], color=INK, linewidth=2)
    ax.text(
        x0 + pad,
        y0 + pad * 1.4,
        f"{km:g} km",
        color=INK,
        fontsize=LABEL_SIZE + 0.5,
        bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"},
    )


def _extent(areas: gpd.GeoDataFrame, focus: Sequence[str]) -> tuple[float, float, float, float]:
    """The bounds to draw: every area, or the focus areas with a margin (square-ish)."""
    if not focus:
        x0, y0, x1, y1 = (float(b) for b in areas.total_bounds)
        return x0, y0, x1, y1
    x0, y0, x1, y1 = (float(b) for b in areas.loc[list(focus)].total_bounds)
    half = max(x1 - x0, y1 - y0, FOCUS_MIN_METRES) * (0.5 + FOCUS_MARGIN)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - half, cy - half, cx + half, cy + half


def _draw_panel(
    ax: Axes,
    areas: gpd.GeoDataFrame,
    panel: MapPanel,
    overlay: gpd.GeoDataFrame | None,
    overlay_label: str,
) -> None:
    handles: list[Any] = []
    classes = np.asarray(panel.classes)
    for k, cls in enumerate(panel.styles):
        paths = [_path(g) for g in areas.geometry[classes == k]]
        if paths:
            ax.add_collection(
                PathCollection(
                    paths,
                    facecolor=cls.fill,
                    edgecolor=AREA_EDGE,
                    hatch=cls.hatch or None,
                    hatchcolor=cls.hatch_colour,
                    linewidth=AREA_EDGE_WIDTH,
                )
            )
        handles.append(
            Patch(
                facecolor=cls.fill,
                edgecolor=AREA_EDGE,
                hatch=cls.hatch or None,
                hatchcolor=cls.hatch_colour,
                label=f"{cls.label} ({int((classes == k).sum())})",
            )
        )
    if overlay is not None and len(overlay):
        ax.add_collection(
            PathCollection(
                [_path(g) for g in overlay.geometry],
                facecolor="none",
                edgecolor=OVERLAY_COLOUR,
                linewidth=OVERLAY_WIDTH,
            )
        )
        handles.append(Line2D([], [], color=OVERLAY_COLOUR, linewidth=OVERLAY_WIDTH))
        handles[-1].set_label(overlay_label)
        for name, geom in zip(overlay["name"], overlay.geometry, strict=True):
            if name in panel.overlay_labels:
                point = geom.representative_point()
                ax.annotate(
                    str(name),
                    (point.x, point.y),
                    fontsize=LABEL_SIZE,
                    color=INK,
                    ha="center",
                    va="center",
                    bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.85},
                )
    x0, y0, x1, y1 = _extent(areas, panel.focus)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    _scale_bar(ax, (x0, y0, x1, y1))
    ax.set_title(panel.title, loc="left", fontsize=10, color=INK)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.xaxis.set_visible(False)  # no ticks to lay out: much faster to draw
    ax.yaxis.set_visible(False)
    if not panel.legend:
        return
    ax.legend(
        handles=handles,
        title=panel.legend_title or None,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncols=2,
        fontsize=LABEL_SIZE + 1,
        title_fontsize=LABEL_SIZE + 1.5,
        frameon=False,
        handleheight=1.6,
        handlelength=2.2,
    )


def draw_maps(
    areas: gpd.GeoDataFrame,
    panels: Sequence[MapPanel],
    *,
    overlay: gpd.GeoDataFrame | None = None,
    overlay_label: str = "Ward boundary",
    ncols: int | None = None,
) -> tuple[str, bytes]:
    """Draw class maps of ``areas`` in a grid (``ncols`` per row, default all in one row);
    returns (SVG text, PNG bytes).

    ``areas`` and ``overlay`` are GeoDataFrames (WGS84 or already projected) indexed by id;
    each panel's ``classes`` holds one class index per row of ``areas``. ``overlay`` needs a
    ``name`` column when a panel labels some of its features.
    """
    for panel in panels:
        if len(panel.classes) != len(areas):
            raise ValueError(
                f"map panel {panel.title!r}: {len(panel.classes)} classes for {len(areas)} areas"
            )
    drawn = _projected(areas)
    lines = _projected(overlay) if overlay is not None else None
    cols = ncols or len(panels)
    rows = -(-len(panels) // cols)
    fig = new_figure((PANEL_WIDTH * cols, PANEL_HEIGHT * rows))
    with plt.rc_context(cast(Any, {**style(), "hatch.linewidth": HATCH_WIDTH})):
        axes = fig.subplots(rows, cols, squeeze=False).ravel()
        for ax in axes[len(panels) :]:
            ax.set_axis_off()
        for ax, panel in zip(axes, panels, strict=False):
            _draw_panel(ax, drawn, panel, lines, overlay_label)
        fig.text(0.0, 0.0, "Contains OS data © Crown copyright", fontsize=7, color=MUTED)
        return render(fig)
