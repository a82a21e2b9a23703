"""Tests for ranking areas and direction of travel."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cspkit.stats.polarity import Polarity
from cspkit.stats.rank import (
    RANK_DECIMALS,
    Direction,
    Rank,
    direction_of_travel,
    rank_areas,
)


def _positions(ranks: dict[str, Rank]) -> dict[str, int | None]:
    return {area: rank.position for area, rank in ranks.items()}


def test_competition_ranking_lowest_best() -> None:
    # 1, 2, =3, =3, 5 (standard competition ranking).
    ranks = rank_areas({"A": 1.0, "B": 2.0, "C": 3.0, "D": 3.0, "E": 4.0})
    assert _positions(ranks) == {"A": 1, "B": 2, "C": 3, "D": 3, "E": 5}
    assert [r.label for r in ranks.values()] == ["1", "2", "=3", "=3", "5"]
    assert ranks["C"].tied and not ranks["A"].tied
    assert all(r.of == 5 for r in ranks.values())
    assert ranks["D"].describe() == "=3 of 5"


def test_higher_is_better_ranks_highest_first() -> None:
    ranks = rank_areas({"A": 60.0, "B": 80.0, "C": 70.0}, polarity=Polarity.HIGHER_IS_BETTER)
    assert _positions(ranks) == {"A": 3, "B": 1, "C": 2}


def test_neutral_ranks_highest_first() -> None:
    ranks = rank_areas({"A": 60.0, "B": 80.0, "C": 70.0}, polarity=Polarity.NEUTRAL)
    assert _positions(ranks) == {"A": 3, "B": 1, "C": 2}


def test_missing_values_are_unranked_and_not_counted() -> None:
    ranks = rank_areas({"A": 5.0, "B": None, "C": 2.0, "D": float("nan")})
    assert ranks["B"] == Rank("B", None, False, 2, "n/a")
    assert ranks["D"].label == "n/a"
    assert ranks["C"].position == 1 and ranks["C"].of == 2
    assert ranks["B"].describe() == "not ranked"
    assert not ranks["B"].ranked


def test_float_noise_makes_no_false_ties_or_breaks() -> None:
    # 0.1 + 0.2 is 0.30000000000000004: equal to 0.3 once rounded to 6 places.
    ranks = rank_areas({"A": 0.1 + 0.2, "B": 0.3, "C": 0.3000011})
    assert RANK_DECIMALS == 6
    assert ranks["A"].label == "=1" and ranks["B"].label == "=1"
    assert ranks["C"].label == "3"


def test_empty_and_single() -> None:
    assert rank_areas({}) == {}
    assert rank_areas({"A": 12.5})["A"] == Rank("A", 1, False, 1, "1")
    assert rank_areas({"A": None})["A"] == Rank("A", None, False, 0, "n/a")


def test_all_tied() -> None:
    ranks = rank_areas({"A": 1.0, "B": 1.0, "C": 1.0})
    assert {r.label for r in ranks.values()} == {"=1"}


def test_direction_of_travel() -> None:
    now = rank_areas({"A": 1.0, "B": 2.0, "C": None})
    before = rank_areas({"A": 2.0, "B": 1.0, "C": 3.0})
    assert direction_of_travel(now["A"], before["A"]) is Direction.IMPROVED
    assert direction_of_travel(now["B"], before["B"]) is Direction.WORSENED
    assert direction_of_travel(now["A"], now["A"]) is Direction.UNCHANGED
    assert direction_of_travel(now["C"], before["C"]) is Direction.UNKNOWN
    assert direction_of_travel(None, before["A"]) is Direction.UNKNOWN
    assert direction_of_travel(now["A"], None) is Direction.UNKNOWN


@pytest.mark.parametrize(
    ("direction", "arrow", "text"),
    [
        (Direction.IMPROVED, "▲", "improved"),
        (Direction.WORSENED, "▼", "worsened"),
        (Direction.UNCHANGED, "►", "no change"),
        (Direction.UNKNOWN, "–", "not available"),
    ],
)
def test_direction_never_relies_on_colour(direction: Direction, arrow: str, text: str) -> None:
    assert direction.arrow == arrow
    assert direction.text == text
    assert direction.label == f"{arrow} {text}"


# --- properties ----------------------------------------------------------------------------

values = st.one_of(
    st.none(),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.sampled_from([0.0, 1.5, 2.25]),  # force some ties
)
tables = st.dictionaries(st.text(min_size=1, max_size=5), values, max_size=20)
polarities = st.sampled_from(list(Polarity))


@given(tables, polarities)
def test_valid_competition_ranking(table: dict[str, float | None], polarity: Polarity) -> None:
    ranks = rank_areas(table, polarity=polarity)
    assert list(ranks) == list(table)
    ranked = [r for r in ranks.values() if r.position is not None]
    n = len(ranked)
    assert all(r.of == n for r in ranks.values())
    # Each position p is held by k areas, and the next position used is p + k.
    held: dict[int, int] = {}
    for r in ranked:
        assert r.position is not None
        held[r.position] = held.get(r.position, 0) + 1
        assert r.tied == (sum(1 for s in ranked if s.position == r.position) > 1)
        assert r.label == (f"={r.position}" if r.tied else str(r.position))
    expected = 1
    for position in sorted(held):
        assert position == expected
        expected += held[position]
    assert expected == n + 1
    for area, value in table.items():
        assert (ranks[area].position is None) == (value is None)


@given(tables)
def test_reversing_polarity_reverses_order(table: dict[str, float | None]) -> None:
    worse = rank_areas(table, polarity=Polarity.HIGHER_IS_WORSE)
    better = rank_areas(table, polarity=Polarity.HIGHER_IS_BETTER)
    areas = [a for a, r in worse.items() if r.position is not None]
    for a in areas:
        for b in areas:
            pa, pb = worse[a].position, worse[b].position
            qa, qb = better[a].position, better[b].position
            assert pa is not None and pb is not None and qa is not None and qb is not None
            assert (pa < pb) == (qa > qb)
            assert worse[a].tied == better[a].tied
