"""Most similar CSPs: standardising, distances with missing values, nearest groups."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cspkit.reference import read_table
from cspkit.stats.similarity import (
    GROUP_SIZE,
    SIMILARITY_VARIABLES,
    distances,
    most_similar,
    standardise,
)

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False)


@given(arrays(np.float64, st.tuples(st.integers(3, 12), st.integers(1, 4)), elements=finite))
@settings(max_examples=60, deadline=None)
def test_distances_are_a_metric_like_matrix(values: np.ndarray) -> None:
    z = standardise(pd.DataFrame(values))
    d = distances(z)
    assert np.allclose(np.diag(d), 0.0)
    assert np.allclose(d, d.T)
    assert (d >= 0).all()


@given(arrays(np.float64, st.tuples(st.integers(5, 20), st.just(3)), elements=finite))
@settings(max_examples=40, deadline=None)
def test_groups_exclude_the_csp_and_are_the_nearest(values: np.ndarray) -> None:
    frame = pd.DataFrame(values, index=[f"c{i:02d}" for i in range(len(values))])
    z = standardise(frame)
    size = min(3, len(frame) - 1)
    groups = most_similar(z, size)
    d = distances(z)
    for i, code in enumerate(frame.index):
        mine = groups[groups["csp_code"] == code]
        assert len(mine) == size and code not in set(mine["peer_code"])
        others = sorted(d[i, j] for j in range(len(frame)) if j != i)
        assert list(mine["distance"]) == pytest.approx([round(x, 4) for x in others[:size]])


def test_standardised_columns_have_mean_zero_and_sd_one() -> None:
    z = standardise(pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [5.0, 5.0, 5.0, 5.0]}))
    assert z["a"].mean() == pytest.approx(0.0) and z["a"].std(ddof=0) == pytest.approx(1.0)
    assert (z["b"] == 0.0).all()  # a constant variable does not divide by zero


def test_a_missing_variable_is_left_out_and_rescaled() -> None:
    z = pd.DataFrame({"x": [0.0, 1.0, 0.0], "y": [0.0, 1.0, math.nan]}, index=list("abc"))
    d = distances(z)
    assert d[0, 1] == pytest.approx(math.sqrt(2.0))
    assert d[0, 2] == pytest.approx(0.0)  # only x is shared, and it is equal
    assert d[1, 2] == pytest.approx(math.sqrt(1.0 * 2 / 1))


def test_the_shipped_groups_match_the_shipped_variables() -> None:
    """The shipped groups are what the documented method gives on the shipped variables."""
    table = read_table("csp_similarity.csv").set_index("csp_code")
    shipped = read_table("csp_peers.csv")
    assert len(table) == 301 and len(shipped) == 301 * GROUP_SIZE
    z = table[[f"z_{v}" for v in SIMILARITY_VARIABLES]]
    assert z.mean().abs().max() < 1e-3
    rebuilt = most_similar(standardise(table[list(SIMILARITY_VARIABLES)]), GROUP_SIZE)
    agree = (rebuilt["peer_code"].to_numpy() == shipped["peer_code"].to_numpy()).mean()
    assert agree > 0.99  # only the rounding of the shipped variables may swap near-ties
    welsh = table.index.str.startswith("W")
    assert (
        table.loc[welsh, "imd_score"].isna().all() and table.loc[~welsh, "imd_score"].notna().all()
    )
