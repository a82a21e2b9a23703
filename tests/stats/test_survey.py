"""Survey statistics against worked examples, and their properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cspkit.stats.survey import (
    compare_waves,
    estimate,
    from_published,
    kish_effective_n,
    rank_choices,
    two_proportion_test,
    wilson_interval,
)


def test_kish_effective_n_worked_example() -> None:
    # (1+1+2+2)^2 / (1+1+4+4) = 36 / 10
    assert kish_effective_n([1, 1, 2, 2]) == pytest.approx(3.6)
    assert kish_effective_n([0.7] * 40) == pytest.approx(40)


def test_wilson_interval_worked_examples() -> None:
    # Wilson (1927) / Newcombe (1998): 50/100 -> 0.4038-0.5962; 10/100 -> 0.0552-0.1744
    assert wilson_interval(0.5, 100) == pytest.approx((0.40383, 0.59617), abs=1e-5)
    assert wilson_interval(0.1, 100) == pytest.approx((0.05523, 0.17437), abs=1e-5)
    low, high = wilson_interval(0.0, 20)
    assert low == 0.0 and high == pytest.approx(0.16113, abs=1e-5)


def test_two_proportion_test_worked_example() -> None:
    # 45/100 against 30/100: pooled 0.375, z = 0.15 / sqrt(0.375 * 0.625 * 0.02) = 2.1909
    p = two_proportion_test(0.45, 100, 0.30, 100)
    assert p == pytest.approx(2 * (1 - 0.985770), abs=2e-5)


def test_weighted_estimate_uses_the_effective_base() -> None:
    # weights 1, 1, 2, 2; the two weight-2 respondents say yes: 4 / 6 = 66.7%
    e = estimate([False, False, True, True], [1, 1, 2, 2])
    assert e.percent == pytest.approx(100 * 4 / 6)
    assert e.base == 4
    assert e.effective_base == pytest.approx(3.6)
    low, high = wilson_interval(4 / 6, 3.6)
    assert (e.lower, e.upper) == pytest.approx((100 * low, 100 * high))


def test_change_described_only_when_significant() -> None:
    now = from_published(84.0, 1000)
    before = from_published(77.0, 1000)
    cmp = compare_waves(now, before, "2019")
    assert cmp.significant and cmp.describe(84.0) == "up from 77% in 2019"
    small = compare_waves(from_published(80.0, 60), from_published(77.0, 60), "2019")
    assert not small.significant
    assert small.describe(80.0) == "no significant change from 77% in 2019"


def test_rank_choices_weighted_and_deterministic() -> None:
    chosen = [frozenset({"Speeding", "ASB"}), frozenset({"ASB"}), frozenset({"Drugs"})]
    ranked = rank_choices(chosen, [1.0, 1.0, 2.0])
    assert [(c.choice, round(c.percent, 1), c.respondents) for c in ranked] == [
        ("ASB", 50.0, 2),
        ("Drugs", 50.0, 1),
        ("Speeding", 25.0, 1),
    ]


@given(
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=1, max_value=1e5, allow_nan=False),
)
def test_wilson_interval_holds_the_estimate(p: float, n: float) -> None:
    low, high = wilson_interval(p, n)
    assert 0 <= low <= p + 1e-12 and p - 1e-12 <= high <= 1


@given(st.lists(st.floats(min_value=0.01, max_value=100), min_size=1, max_size=50))
def test_effective_n_never_exceeds_the_count(weights: list[float]) -> None:
    n_eff = kish_effective_n(weights)
    assert 1 - 1e-9 <= n_eff <= len(weights) + 1e-9
    assert not math.isnan(n_eff)
