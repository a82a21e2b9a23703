"""Tests for crime concentration: hand-worked examples and properties."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cspkit.errors import InputError
from cspkit.stats.concentration import (
    concentration,
    generalised_gini,
    gini,
    lorenz_curve,
    places_holding,
)


def test_twenty_events_in_ten_places() -> None:
    # Worked by hand (also the example in the lorenzgini R package's gini() help):
    # ascending 0 x7, 2, 8, 10 -> sum (2i - 11) x = 5*2 + 7*8 + 9*10 = 156; 156 / (10*20) = 0.78
    res = concentration([10, 8, 2, 0, 0, 0, 0, 0, 0, 0])
    assert res.gini == pytest.approx(0.78)
    assert res.generalised_gini == pytest.approx(0.78)  # events >= places: no change
    assert (res.places, res.events, res.places_with_events) == (10, 20, 3)
    # 25% of 20 = 5 and 50% = 10: the busiest place (10) holds both
    assert (res.places_for_25pct, res.places_for_50pct) == (1, 1)
    assert (res.pct_places_for_25pct, res.pct_places_for_50pct) == (10.0, 10.0)
    assert not res.fewer_events_than_places


def test_generalised_gini_when_events_are_fewer_than_places() -> None:
    # lorenzgini help: c(5,2,1,0,...) -> Gini 0.8, generalised 0.75.
    # By hand: 5*1 + 7*2 + 9*5 = 64; 64/80 = 0.8; max(1, 10/8) * (0.8 - 1) + 1 = 0.75
    counts = [5, 2, 1] + [0] * 7
    assert gini(counts) == pytest.approx(0.8)
    assert generalised_gini(counts) == pytest.approx(0.75)
    assert concentration(counts).fewer_events_than_places


def test_generalised_gini_by_area() -> None:
    # 3 + 1 + 1 crimes over 10 places. Area under the Lorenz curve:
    # 0.1 * (0.2/2 + (0.2+0.4)/2 + (0.4+1)/2) = 0.11, so G = 1 - 2*0.11 = 0.78.
    # Maximal equality (5 places with one each) has area 0.25, so G' = 1 - 0.11/0.25 = 0.56.
    counts = [3, 1, 1] + [0] * 7
    assert gini(counts) == pytest.approx(0.78)
    assert generalised_gini(counts) == pytest.approx(0.56)


def test_one_event_is_as_even_as_it_can_be() -> None:
    counts = [1] + [0] * 9
    assert gini(counts) == pytest.approx(0.9)
    assert generalised_gini(counts) == pytest.approx(0.0)


def test_even_spread() -> None:
    res = concentration({"a": 4, "b": 4, "c": 4, "d": 4})
    assert res.gini == pytest.approx(0.0)
    assert (res.pct_places_for_25pct, res.pct_places_for_50pct) == (25.0, 50.0)
    assert res.lorenz == ((0.0, 0.0), (0.25, 0.25), (0.5, 0.5), (0.75, 0.75), (1.0, 1.0))


def test_lorenz_points() -> None:
    pts = lorenz_curve([10, 8, 2, 0, 0, 0, 0, 0, 0, 0])
    assert pts[0] == (0.0, 0.0)
    assert pts[7] == pytest.approx((0.7, 0.0))
    assert [pytest.approx(p) for p in pts[8:]] == [(0.8, 0.1), (0.9, 0.5), (1.0, 1.0)]


def test_places_holding_counts_busiest_first() -> None:
    # 100 events: 30, 25, 20, 15, 10 -> 25% needs 1 place, 50% needs 2 (30+25=55), 80% needs 4
    counts = [10, 30, 15, 25, 20]
    assert places_holding(counts, 0.25) == 1
    assert places_holding(counts, 0.5) == 2
    assert places_holding(counts, 0.8) == 4  # 30+25+20 = 75 < 80
    assert places_holding(counts, 0.9) == 4  # 30+25+20+15 = 90
    assert places_holding(counts, 1.0) == 5


def test_missing_places_are_zeros_via_n_places() -> None:
    res = concentration({"E01000001": 3, "E01000002": 1}, n_places=4)
    assert res.places == 4
    # ascending 0, 0, 1, 3 with weights (2i - n - 1) = -3, -1, 1, 3: (1 + 9) / (4 * 4)
    assert res.gini == pytest.approx(0.625)


def test_no_events() -> None:
    res = concentration([0, 0, 0])
    assert res.gini is None and res.generalised_gini is None
    assert res.pct_places_for_50pct is None
    assert res.lorenz == ()


@pytest.mark.parametrize(
    ("counts", "n_places", "message"),
    [
        ([1, -1], None, "position 1"),
        ([1.5], None, "position 0"),
        ([], None, "no places"),
        ([1, 2, 3], 2, "n_places is 2"),
    ],
)
def test_bad_input(counts: list[float], n_places: int | None, message: str) -> None:
    with pytest.raises(InputError, match=message):
        concentration(counts, n_places)  # type: ignore[arg-type]


@given(st.lists(st.integers(0, 50), min_size=1, max_size=60).filter(lambda c: sum(c) > 0))
def test_properties(counts: list[int]) -> None:
    g, gg = gini(counts), generalised_gini(counts)
    assert 0.0 <= g < 1.0 + 1e-12
    assert -1e-12 <= gg <= g + 1e-12
    pts = lorenz_curve(counts)
    assert all(y <= x + 1e-12 for x, y in pts)
    assert g == pytest.approx(
        1 - sum((x1 - x0) * (y1 + y0) for (x0, y0), (x1, y1) in itertools.pairwise(pts))
    )
    res = concentration(counts)
    assert res.places_for_25pct is not None and res.places_for_50pct is not None
    assert 1 <= res.places_for_25pct <= res.places_for_50pct <= res.places_with_events
