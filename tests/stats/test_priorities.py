"""The priority-setting matrix: explained, deterministic and monotone."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cspkit.errors import InputError
from cspkit.stats.priorities import (
    DEFAULT_SCALES,
    DIMENSIONS,
    MAX_POINTS,
    Candidate,
    MatrixSettings,
    points,
    read_settings,
    score_issue,
    score_issues,
)

figure = st.one_of(st.none(), st.floats(min_value=0, max_value=200, allow_nan=False))
figures = st.fixed_dictionaries({d: figure for d in DIMENSIONS})


def test_points_count_thresholds_reached() -> None:
    assert points(None, (1, 2, 3, 4)) == 0
    assert points(0.5, (1, 2, 3, 4)) == 0
    assert points(2, (1, 2, 3, 4)) == 2
    assert points(99, (1, 2, 3, 4)) == MAX_POINTS


def test_every_cell_carries_its_figure_and_rule() -> None:
    c = Candidate(
        "burglary", "Burglary", "police.uk", ("acquisitive",), {"harm": 6.6, "volume": None}
    )
    total, cells = score_issue(c, MatrixSettings())
    harm = next(x for x in cells if x.dimension == "harm")
    assert harm.value == 6.6 and harm.points == 2 and harm.weighted == 3.0
    assert "6.6" in harm.rule and "2, 5, 10, 20" in harm.rule and "2 of 4 points" in harm.rule
    volume = next(x for x in cells if x.dimension == "volume")
    assert volume.points == 0 and volume.rule == "no figure: 0 points"
    assert total == pytest.approx(sum(x.weighted for x in cells))


@given(figures, st.sampled_from(DIMENSIONS), st.floats(min_value=0, max_value=100))
def test_a_worse_figure_never_lowers_the_score(
    base: dict[str, float | None], dimension: str, worse_by: float
) -> None:
    before = Candidate("x", "X", "police.uk", (), base)
    value = base[dimension]
    worse = Candidate("x", "X", "police.uk", (), {**base, dimension: (value or 0) + worse_by})
    assert score_issue(worse, MatrixSettings())[0] >= score_issue(before, MatrixSettings())[0]


@given(st.lists(figures, min_size=1, max_size=12), st.randoms())
def test_ranking_is_deterministic(
    all_figures: list[dict[str, float | None]], rnd: random.Random
) -> None:
    candidates = [
        Candidate(f"i{n}", f"Issue {n}", "partner", (), f) for n, f in enumerate(all_figures)
    ]
    first = score_issues(candidates)
    shuffled = candidates[:]
    rnd.shuffle(shuffled)
    again = score_issues(shuffled)
    assert [s.issue_id for s in first] == [s.issue_id for s in again]
    assert [s.rank for s in first] == list(range(1, len(candidates) + 1))
    assert all(a.score >= b.score for a, b in itertools.pairwise(first))


def test_judgement_recorded_in_settings_counts(tmp_path: Path) -> None:
    path = tmp_path / "weights.yaml"
    path.write_text("weights: {judgement: 2}\ntop_n: 3\njudgement: {drugs: 3}\n")
    settings = read_settings(path)
    assert settings.top_n == 3 and settings.weights["judgement"] == 2
    c = Candidate("drugs", "Drugs", "police.uk", (), {})
    total, cells = score_issue(c, settings)
    assert total == 6.0
    assert "recorded in the matrix settings" in cells[-1].rule
    assert settings.scales["harm"] == DEFAULT_SCALES["harm"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("weights: {size: 1}", "unknown dimension 'size'"),
        ("weights: {harm: -1}", "expected a number 0 or more"),
        ("scales: {harm: [5, 2, 10, 20]}", "rising order"),
        ("scales: {harm: [1, 2]}", "expected 4 thresholds"),
        ("top_n: 0", "expected a whole number 1 or more"),
    ],
)
def test_bad_settings_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "weights.yaml"
    path.write_text(text + "\n")
    with pytest.raises(InputError, match=message):
        read_settings(path)
