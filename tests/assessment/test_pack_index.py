"""The pack's index page: rate bands, and the rendered page against its snapshot."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cspkit.assessment.areas import find_csp
from cspkit.assessment.league import LeagueCell, LeagueRow
from cspkit.assessment.pack_index import rate_bands, render_html
from cspkit.stats.periods import parse_period
from cspkit.warehouse.coverage import ForceMonth
from tests.snapshots import assert_matches_snapshot

rates = st.lists(st.floats(min_value=0, max_value=500, allow_nan=False), min_size=1, max_size=60)


@given(rates, st.integers(1, 7))
@settings(max_examples=80, deadline=None)
def test_every_band_is_used_and_bands_are_ordered(values: list[float], k: int) -> None:
    index, labels = rate_bands(values, k)
    assert set(index) == set(range(len(labels))) and len(labels) <= k
    x = np.round(np.asarray(values), 1)
    for a in range(len(x)):
        for b in range(len(x)):
            if x[a] < x[b]:
                assert index[a] <= index[b]
            if x[a] == x[b]:
                assert index[a] == index[b]


def _row(name: str, status: str, count: int, rate: float | None, rank: str) -> LeagueRow:
    cell = LeagueCell(count, count - 10, -4.5, 0.03, True, rate, rank, "2 of 16")
    return LeagueRow(find_csp(name), "Kent Police", 220941.0, 2020, (cell, cell), status, "x")


def test_the_page_renders_like_its_snapshot() -> None:
    rows = [
        _row("Dartford and Gravesham", "assessed", 3560, 16.11, "12 of 12"),
        _row("Ceredigion", "not assessed: 2024-02 is partial", 53, None, "n/a"),
    ]
    gaps = [ForceMonth("dyfed-powys", date(2024, 2, 1), 300, "partial", 1187.0)]
    page = render_html(
        parse_period("2024-01..2024-02"),
        parse_period("2023-01..2023-02"),
        rows,
        gaps,
        ("dyfed-powys", "kent"),
        "<svg>map</svg>",
        [("Dartford", "Dartford and Gravesham", "16.1")],
    )
    assert 'lang="en-GB"' in page and "<caption>" in page and 'scope="col"' in page
    assert_matches_snapshot(page, "pack-index.html")
