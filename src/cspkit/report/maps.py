"""Static maps of a district's small areas as SVG (for pages) and PNG (for Word).

A map shows each area in one of a few classes (bands of a choropleth, or hot spot / cold
spot / not significant), named in a legend with the number of areas in each. Fills come
from a colour-blind-safe sequential palette that also runs light to dark, so the map reads
in greyscale; hatching is added only when patterns are asked for (greyscale printing).
Ward boundaries and names are drawn on top, with the district's outline, a scale bar, an
inset locating the district among its force area's districts, and the OS/ONS attribution.
Areas arrive in WGS84 (longitude, latitude) and are drawn in the British National Grid so
that distances and shapes are true.

Maps only draw: the classes are decided by the caller (for example from Gi* results), and
:func:`count_classes` and :func:`rate_classes` only band numbers for display.
"""

from __future__ import annotations

import contextlib
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path
from shapely.geometry.base import BaseGeometry

from cspkit.report.charts import INK, MUTED, new_figure, render, style
from cspkit.report.locator import Locator, draw_locator

#: British National Grid: maps are drawn in metres.
MAP_CRS = "EPSG:27700"
#: Boundary simplification for drawing (metres); shared edges stay shared.
SIMPLIFY_METRES = 8.0
#: One map fills the text width and more than half an A4 page.
PANEL_WIDTH = 7.0
PANEL_HEIGHT = 7.6
AREA_EDGE = "#6f777b"
AREA_EDGE_WIDTH = 0.3
OVERLAY_COLOUR = "#3b3f42"
OVERLAY_WIDTH = 0.8
OUTLINE_WIDTH = 2.0
HATCH_WIDTH = 0.6
LABEL_SIZE = 7.0
LABEL_HALO = 2.5
#: Ward names wrap after this many characters.
LABEL_WRAP = 14
ATTRIBUTION_WRAP = 150
ATTRIBUTION_SIZE = 6.5
#: The locator inset sits below the map's right-hand side: its height as a share of the
#: figure, its width as a share of the map's.
LOCATOR_HEIGHT = 0.16
LOCATOR_WIDTH = 0.3
#: Metres by which areas are grown, merged and shrunk back to draw the district outline.
OUTLINE_GAP = 5.0
SCALE_BAR_FRACTION = 0.25
SCALE_BAR_STEPS_KM = (0.5, 1, 2, 5, 10, 20, 50)
#: A detail map shows its focus areas with this margin, and at least this width (metres).
FOCUS_MARGIN = 0.25
FOCUS_MIN_METRES = 2500.0

#: Light to dark, colour-blind safe (ColorBrewer YlGnBu, 5 classes).
SEQUENTIAL = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
#: Denser hatching for higher classes, used only when patterns are asked for.
SEQUENTIAL_HATCHES = ("", "..", "//", "xx", "xxx")
ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right {year}. Source: Office for "
    "National Statistics licensed under the Open Government Licence v.3.0."
)
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


def rate_classes(
    values: Sequence[float], k: int = DEFAULT_CLASSES, decimals: int = 1
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Band rates into up to ``k`` quantile classes, labelled by the lowest and highest
    value each class holds ("3.2–7.9"); equal values share a class."""
    x = np.round(np.asarray(values, dtype=float), decimals)
    if x.size == 0:
        return (), ()
    cuts = np.quantile(x, np.linspace(0, 1, k + 1)[1:-1])
    uppers = sorted({float(x[x <= c].max()) for c in cuts if (x <= c).any()} - {float(x.max())})
    uppers.append(float(x.max()))
    index = tuple(int(np.searchsorted(uppers, v, side="left")) for v in x)
    labels = []
    for i in range(len(uppers)):
        members = x[np.asarray(index) == i]
        lo, hi = float(members.min()), float(members.max())
        labels.append(
            f"{lo:,.{decimals}f}" if lo == hi else f"{lo:,.{decimals}f}–{hi:,.{decimals}f}"
        )
    return index, tuple(labels)


def sequential_styles(labels: Sequence[str], *, patterns: bool = False) -> tuple[MapClass, ...]:
    """Styles for ordered bands: lighter to darker fill (and, with ``patterns``, sparser to
    denser hatching for greyscale printing)."""
    n = len(labels)
    picks: list[int] = [int(p) for p in np.linspace(0, len(SEQUENTIAL) - 1, n).round()]
    return tuple(
        MapClass(
            label,
            SEQUENTIAL[p],
            SEQUENTIAL_HATCHES[p] if patterns else "",
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


def _label_wards(ax: Axes, overlay: gpd.GeoDataFrame, names: Sequence[str]) -> int:
    """Name the given overlay features at a point inside each, largest first, leaving out a
    name that would overlap one already placed; returns how many were left out."""
    fig = ax.get_figure()
    assert fig is not None
    renderer = cast(Any, fig.canvas).get_renderer()
    wanted = set(names)
    placed: list[Any] = []
    left_out = 0
    order = sorted(
        zip(overlay["name"], overlay.geometry, strict=True), key=lambda item: -item[1].area
    )
    for name, geom in order:
        if name not in wanted:
            continue
        point = geom.representative_point()
        label = "\n".join(textwrap.wrap(str(name), LABEL_WRAP))
        common: dict[str, Any] = {
            "fontsize": LABEL_SIZE,
            "ha": "center",
            "va": "center",
            "linespacing": 1.0,
        }
        # a white halo drawn under the name (as a path), then the name itself as text
        halo = ax.text(
            point.x,
            point.y,
            label,
            color="white",
            path_effects=[patheffects.Stroke(linewidth=LABEL_HALO, foreground="white")],
            zorder=5,
            **common,
        )
        text = ax.text(point.x, point.y, label, color=INK, zorder=6, **common)
        box = text.get_window_extent(renderer).expanded(1.05, 1.1)
        if any(box.overlaps(other) for other in placed):
            text.remove()
            halo.remove()
            left_out += 1
            continue
        placed.append(box)
    return left_out


def _draw_panel(
    ax: Axes,
    areas: gpd.GeoDataFrame,
    panel: MapPanel,
    overlay: gpd.GeoDataFrame | None,
    overlay_label: str,
    outline: BaseGeometry | None,
) -> int:
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
                zorder=3,
            )
        )
        handles.append(Line2D([], [], color=OVERLAY_COLOUR, linewidth=OVERLAY_WIDTH))
        handles[-1].set_label(overlay_label)
    if outline is not None:
        ax.add_collection(
            PathCollection(
                [_path(outline)], facecolor="none", edgecolor=INK, linewidth=OUTLINE_WIDTH, zorder=4
            )
        )
        handles.append(
            Line2D([], [], color=INK, linewidth=OUTLINE_WIDTH, label="District boundary")
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
    if panel.legend:
        ax.legend(
            handles=handles,
            title=panel.legend_title or None,
            loc="upper left",
            bbox_to_anchor=(0.0, 0.0),
            ncols=2,
            fontsize=LABEL_SIZE + 1.5,
            title_fontsize=LABEL_SIZE + 2,
            alignment="left",
            frameon=False,
            handleheight=1.4,
            handlelength=2.0,
        )
    if overlay is not None and len(overlay) and panel.overlay_labels:
        return _label_wards(ax, overlay, panel.overlay_labels)
    return 0


def draw_maps(
    areas: gpd.GeoDataFrame,
    panels: Sequence[MapPanel],
    *,
    overlay: gpd.GeoDataFrame | None = None,
    overlay_label: str = "Ward boundary",
    ncols: int | None = None,
    locator: Locator | None = None,
    year: int | None = None,
) -> tuple[str, bytes]:
    """Draw class maps of ``areas`` in a grid (``ncols`` per row, default all in one row);
    returns (SVG text, PNG bytes).

    ``areas`` and ``overlay`` are GeoDataFrames (WGS84 or already projected) indexed by id;
    each panel's ``classes`` holds one class index per row of ``areas``. ``overlay`` needs a
    ``name`` column when a panel labels some of its features. The district outline (the
    union of the areas) is drawn over everything; ``locator`` adds an inset locating the
    district, and ``year`` is the boundary year the attribution names (default this year).
    """
    for panel in panels:
        if len(panel.classes) != len(areas):
            raise ValueError(
                f"map panel {panel.title!r}: {len(panel.classes)} classes for {len(areas)} areas"
            )
    drawn = _projected(areas)
    lines = _projected(overlay) if overlay is not None else None
    outline = _outline(drawn)
    cols = ncols or len(panels)
    rows = -(-len(panels) // cols)
    fig = new_figure((PANEL_WIDTH * cols, PANEL_HEIGHT * rows))
    with plt.rc_context(cast(Any, {**style(), "hatch.linewidth": HATCH_WIDTH})):
        grid = fig.add_gridspec(rows, cols, left=0.01, right=0.99, top=0.95, bottom=0.2)
        axes = [fig.add_subplot(grid[i // cols, i % cols]) for i in range(rows * cols)]
        for ax in axes[len(panels) :]:
            ax.set_axis_off()
        left_out = 0
        for ax, panel in zip(axes, panels, strict=False):
            left_out += _draw_panel(ax, drawn, panel, lines, overlay_label, outline)
            if locator is not None and not panel.focus:
                box = ax.get_position()
                height = LOCATOR_HEIGHT / rows
                width = box.width * LOCATOR_WIDTH
                draw_locator(
                    fig.add_axes((box.x1 - width, box.y0 - height - 0.01, width, height)), locator
                )
        notes = ATTRIBUTION.format(year=year or datetime.now().year)
        if left_out:
            notes = "Some small wards are not named, to keep the names legible. " + notes
        fig.text(
            0.01,
            0.005,
            "\n".join(textwrap.wrap(notes, ATTRIBUTION_WRAP * cols)),
            fontsize=6.5,
            color=MUTED,
        )
        return render(fig)


def _outline(areas: gpd.GeoDataFrame) -> BaseGeometry | None:
    """The outer boundary of all the areas (slivers between them closed)."""
    if not len(areas):
        return None
    merged = shapely.union_all(shapely.buffer(np.asarray(areas.geometry.values), OUTLINE_GAP))
    return shapely.buffer(merged, -OUTLINE_GAP)
