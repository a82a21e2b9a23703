"""Maps: count bands by hand, legend and labels in the SVG, hatching, a PNG, bad input."""

from __future__ import annotations

import html
import re

import geopandas as gpd
import pytest
from shapely.geometry import box

from cspkit.report.locator import locator_for
from cspkit.report.maps import (
    SEQUENTIAL,
    SEQUENTIAL_HATCHES,
    MapClass,
    MapPanel,
    count_classes,
    draw_maps,
    rate_classes,
    sequential_styles,
)

CELL = 1000.0  # metres
MAIDSTONE = "E07000110"


def _grid(n: int = 3) -> gpd.GeoDataFrame:
    cells = [
        box(i * CELL, j * CELL, (i + 1) * CELL, (j + 1) * CELL) for j in range(n) for i in range(n)
    ]
    ids = [f"A{k}" for k in range(n * n)]
    return gpd.GeoDataFrame(geometry=cells, index=ids, crs="EPSG:27700")


def test_count_classes_by_hand() -> None:
    # Quantile cut points of 1..10 at 20/40/60/80%: 2.8, 4.6, 6.4, 8.2 -> upper bounds
    # (rounded up) 3, 5, 7, 9 and the maximum 10.
    index, labels = count_classes(list(range(1, 11)))
    assert labels == ("1–3", "4–5", "6–7", "8–9", "10")
    assert index == (0, 0, 0, 1, 1, 2, 2, 3, 3, 4)


def test_count_classes_with_ties_and_edge_cases() -> None:
    index, labels = count_classes([0, 0, 0, 0, 5])
    assert labels == ("0", "1–5") and index == (0, 0, 0, 0, 1)
    assert count_classes([7, 7, 7]) == ((0, 0, 0), ("7",))
    assert count_classes([]) == ((), ())


def test_sequential_styles_have_no_hatching_unless_patterns_are_asked_for() -> None:
    styles = sequential_styles(["a", "b", "c", "d", "e"])
    assert len({s.fill for s in styles}) == 5
    assert all(s.hatch == "" for s in styles)
    patterned = sequential_styles(["a", "b", "c", "d", "e"], patterns=True)
    assert [s.hatch for s in patterned] == list(SEQUENTIAL_HATCHES)
    assert len(sequential_styles(["only"])) == 1


def test_sequential_palette_runs_light_to_dark() -> None:
    def luminance(colour: str) -> float:
        r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    shades = [luminance(c) for c in SEQUENTIAL]
    assert shades == sorted(shades, reverse=True)  # so it reads in greyscale too


def test_rate_classes_by_hand() -> None:
    # Quantile cut points of 1.0..10.0 at 20/40/60/80%: 2.8, 4.6, 6.4, 8.2.
    index, labels = rate_classes([float(v) for v in range(1, 11)])
    assert labels == ("1.0–2.0", "3.0–4.0", "5.0–6.0", "7.0–8.0", "9.0–10.0")
    assert index == (0, 0, 1, 1, 2, 2, 3, 3, 4, 4)
    index, labels = rate_classes([2.5, 2.5, 2.5, 40.04])
    assert labels == ("2.5", "40.0") and index == (0, 0, 0, 1)
    assert rate_classes([]) == ((), ())


def test_map_renders_legend_labels_hatching_and_png() -> None:
    areas = _grid()
    wards = gpd.GeoDataFrame(
        {"name": ["West ward", "East ward"]},
        geometry=[box(0, 0, CELL, 3 * CELL), box(CELL, 0, 3 * CELL, 3 * CELL)],
        crs="EPSG:27700",
    )
    styles = (MapClass("Hot spot", "#D55E00", "////"), MapClass("Not significant", "#f3f2f1"))
    classes = (0, 0, 1, 0, 1, 1, 1, 1, 1)
    panel = MapPanel("Test map", classes, styles, ("West ward",), "Legend title")
    detail = MapPanel("Detail", classes, styles, ("East ward",), focus=("A0", "A1"), legend=False)
    svg, png = draw_maps(areas, [panel, detail], overlay=wards)
    assert svg.startswith("<svg")
    for text in (
        "Test map",
        "Legend title",
        "Hot spot (3)",
        "Not significant (6)",
        "Ward boundary",
    ):
        assert text in svg
    assert "West ward" in svg and "East ward" in svg
    assert "<pattern" in svg  # hatching asked for by the class
    assert "km" in svg  # a scale bar
    assert "District boundary" in svg
    assert (
        "Contains OS data © Crown copyright and database right 2025" in svg.replace("&#169;", "©")
        or "Contains OS data" in svg
    )
    assert png.startswith(b"\x89PNG")


def test_map_names_the_licence_and_locates_the_district() -> None:
    areas = _grid()
    locator = locator_for(MAIDSTONE)
    assert locator is not None and locator.area_name == "Kent"
    assert MAIDSTONE in locator.districts.index and len(locator.districts) == 13
    panel = MapPanel("Rates", (0, 1, 2) * 3, sequential_styles(["a", "b", "c"]))
    svg, _ = draw_maps(areas, [panel], locator=locator, year=2025)
    text = re.sub(r"\s+", " ", html.unescape(svg))
    assert "Contains OS data © Crown copyright and database right 2025." in text
    assert (
        "Source: Office for National Statistics licensed under the Open Government "
        "Licence v.3.0." in text
    )
    assert "Location in the Kent police force area" in text
    assert "<pattern" not in svg  # no hatching by default
    assert locator_for("E99999999") is None


def test_map_is_deterministic() -> None:
    areas = _grid(2)
    panel = MapPanel("Same", (0, 1, 1, 0), sequential_styles(["low", "high"]))
    assert draw_maps(areas, [panel])[0] == draw_maps(areas, [panel])[0]


def test_map_refuses_classes_that_do_not_match_the_areas() -> None:
    with pytest.raises(ValueError, match="2 classes for 9 areas"):
        draw_maps(_grid(), [MapPanel("Bad", (0, 1), sequential_styles(["a", "b"]))])
