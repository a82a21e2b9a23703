"""Tests for change between two counts and its exact Poisson test."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cspkit.stats.change import (
    SIGNIFICANCE_LEVEL,
    SMALL_COUNT_THRESHOLD,
    compare_counts,
    percent_change,
)

# --- percentage change ---------------------------------------------------------------------


def test_ksi_regression_uses_the_earlier_figure_as_base() -> None:
    # Killed or seriously injured 13 -> 4: (4 - 13) / 13 = -69.2%. An earlier version divided
    # by the current figure and printed (4 - 13) / 4 = -225%.
    result = compare_counts(4, 13)
    assert result.pct_change == pytest.approx(-69.2307692, rel=1e-9)
    assert result.pct_change is not None
    assert round(result.pct_change, 1) == -69.2
    assert result.change == -9
    assert percent_change(4, 13) == pytest.approx(-69.2307692)


def test_percent_change_zero_base_is_none() -> None:
    assert percent_change(5, 0) is None
    assert percent_change(0, 0) is None
    assert percent_change(0, 5) == -100.0


# --- published and hand-computed reference values -------------------------------------------


def test_matches_r_poisson_test_documentation_example() -> None:
    # R's ?poisson.test example (eba1977, Fredericia against the other three cities, ages
    # 55-59): poisson.test(c(11, 6+8+7), c(800, 1083+1050+878)) prints
    #   count1 = 11, expected count1 = 6.7174, p-value = 0.07967
    #   95 percent confidence interval: 0.8584264 4.2772659
    #   rate ratio 1.971488
    result = compare_counts(11, 21, current_exposure=800, previous_exposure=1083 + 1050 + 878)
    assert result.p_value == pytest.approx(0.07967, abs=5e-6)
    assert result.ratio_lower == pytest.approx(0.8584264, abs=5e-8)
    assert result.ratio_upper == pytest.approx(4.2772659, abs=5e-8)
    assert result.rate_ratio == pytest.approx(1.971488, abs=5e-7)
    assert result.pct_change == pytest.approx(97.1488, abs=5e-5)  # exposure-adjusted
    assert result.exposure_ratio == pytest.approx(800 / 3011)
    assert not result.significant


def test_ksi_p_value_by_hand() -> None:
    # 13 -> 4: total 17, Binomial(17, 1/2). Two-sided p = P(X <= 4) + P(X >= 13)
    # = 2 * (C(17,0) + C(17,1) + C(17,2) + C(17,3) + C(17,4)) / 2**17
    # = 2 * (1 + 17 + 136 + 680 + 2380) / 131072 = 0.049041748046875 (R: binom.test(4, 17)).
    result = compare_counts(4, 13)
    assert result.p_value == pytest.approx(0.049041748046875, abs=1e-12)
    assert result.significant
    assert result.small_counts
    assert result.describe() == (
        "13 to 4: numbers too small for a meaningful percentage change, "
        "though the fall is statistically significant"
    )


def test_three_to_five_by_hand() -> None:
    # Binomial(8, 1/2), x = 5: every outcome except X = 4 is as or less likely, so
    # p = 1 - C(8,4) / 2**8 = 1 - 70/256 = 0.7265625 (R: binom.test(5, 8)).
    result = compare_counts(5, 3)
    assert result.p_value == pytest.approx(0.7265625, abs=1e-12)
    assert not result.significant
    assert result.pct_change == pytest.approx(66.666666, rel=1e-6)
    assert result.describe() == "3 to 5: numbers too small for a meaningful percentage change"


def test_zero_current_by_hand() -> None:
    # 5 -> 0: p = 2 * (1/2)**5 = 0.0625. Clopper-Pearson upper limit for 0 of 5 is
    # 1 - 0.025**(1/5), so the rate ratio's upper limit is 0.025**(-1/5) - 1 = 1.0912791.
    result = compare_counts(0, 5)
    assert result.p_value == pytest.approx(0.0625, abs=1e-12)
    assert result.rate_ratio == 0.0
    assert result.ratio_lower == 0.0
    assert result.ratio_upper == pytest.approx(0.025 ** (-1 / 5) - 1, rel=1e-9)
    assert result.pct_change == -100.0


def test_zero_previous_by_hand() -> None:
    # 0 -> 5: no percentage or upper limit (both infinite); the lower limit is
    # 0.025**(1/5) / (1 - 0.025**(1/5)) = 0.9163559 from the Clopper-Pearson lower limit.
    result = compare_counts(5, 0)
    lower = 0.025 ** (1 / 5)
    assert result.pct_change is None
    assert result.rate_ratio is None
    assert result.ratio_upper is None
    assert result.ratio_lower == pytest.approx(lower / (1 - lower), rel=1e-9)
    assert result.p_value == pytest.approx(0.0625, abs=1e-12)
    assert result.describe("burglaries") == (
        "0 to 5 burglaries: numbers too small for a meaningful percentage change"
    )


def test_both_zero() -> None:
    result = compare_counts(0, 0)
    assert result.change == 0
    assert result.pct_change is None
    assert result.rate_ratio is None
    assert result.ratio_lower is None and result.ratio_upper is None
    assert result.p_value is None
    assert not result.significant
    assert result.describe() == "0 to 0: none in either period"


def test_large_counts_significant_rise() -> None:
    # 1,234 -> 1,386: p = 0.00317 from scipy.stats.binomtest(1386, 2620) (R's
    # binom.test(1386, 2620) gives the same); 95% CI of the rate ratio 1.0395 to 1.2137.
    result = compare_counts(1386, 1234)
    assert result.p_value == pytest.approx(0.0031700, abs=1e-7)
    assert result.ratio_lower == pytest.approx(1.039485, abs=1e-6)
    assert result.ratio_upper == pytest.approx(1.213713, abs=1e-6)
    assert result.describe() == "up 12.3% (1,234 to 1,386), a statistically significant rise"
    assert result.describe("crimes") == (
        "up 12.3% (1,234 to 1,386 crimes), a statistically significant rise"
    )


def test_large_counts_no_significant_change() -> None:
    result = compare_counts(1200, 1250)
    assert result.pct_change == pytest.approx(-4.0)
    assert not result.significant
    assert result.describe() == "down 4.0% (1,250 to 1,200), no significant change"


def test_equal_counts_are_unchanged() -> None:
    result = compare_counts(500, 500)
    assert result.p_value == 1.0
    assert result.describe() == "unchanged (500 to 500), no significant change"


# --- exposures -----------------------------------------------------------------------------


def test_twelve_months_against_twenty_four() -> None:
    # 120 in 12 months is 10 a month; 200 in 24 months is 8.33 a month: +20% in the rate,
    # though the count fell.
    result = compare_counts(120, 200, current_exposure=12, previous_exposure=24)
    assert result.rate_ratio == pytest.approx(1.2)
    assert result.pct_change == pytest.approx(20.0)
    assert result.change == -80
    assert result.exposure_ratio == pytest.approx(0.5)
    assert result.describe().startswith("rate up 20.0% (200 to 120)")


def test_only_the_ratio_of_exposures_matters() -> None:
    a = compare_counts(120, 200, current_exposure=12, previous_exposure=24)
    b = compare_counts(120, 200, current_exposure=1, previous_exposure=2)
    assert a.p_value == pytest.approx(b.p_value)
    assert a.ratio_lower == pytest.approx(b.ratio_lower)
    assert a.ratio_upper == pytest.approx(b.ratio_upper)


def test_alpha_sets_the_interval_and_the_verdict() -> None:
    # p = 0.049 for 13 -> 4: significant at 5%, not at 1%; the 99% interval is wider.
    at_5 = compare_counts(4, 13)
    at_1 = compare_counts(4, 13, alpha=0.01)
    assert SIGNIFICANCE_LEVEL == 0.05
    assert at_5.significant and not at_1.significant
    assert at_1.ratio_lower is not None and at_5.ratio_lower is not None
    assert at_1.ratio_upper is not None and at_5.ratio_upper is not None
    assert at_1.ratio_lower < at_5.ratio_lower
    assert at_1.ratio_upper > at_5.ratio_upper


def test_small_counts_threshold() -> None:
    below = SMALL_COUNT_THRESHOLD - 1
    assert compare_counts(below, 100).small_counts
    assert compare_counts(100, below).small_counts
    assert not compare_counts(SMALL_COUNT_THRESHOLD, SMALL_COUNT_THRESHOLD).small_counts


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"current": -1, "previous": 3}, "current"),
        ({"current": 3, "previous": -1}, "previous"),
        ({"current": 3, "previous": 3, "current_exposure": 0.0}, "current_exposure"),
        ({"current": 3, "previous": 3, "previous_exposure": -2.0}, "previous_exposure"),
        ({"current": 3, "previous": 3, "previous_exposure": math.nan}, "previous_exposure"),
        ({"current": 3, "previous": 3, "alpha": 1.5}, "alpha"),
    ],
)
def test_invalid_input_raises(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        compare_counts(**kwargs)  # type: ignore[arg-type]


# --- properties ----------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=5000)
exposures = st.floats(min_value=0.01, max_value=1000, allow_nan=False, allow_infinity=False)


@given(counts, counts, exposures, exposures)
def test_properties(current: int, previous: int, e1: float, e2: float) -> None:
    result = compare_counts(current, previous, current_exposure=e1, previous_exposure=e2)
    assert (result.pct_change is None) == (previous == 0)
    assert result.pct_change is None or math.isfinite(result.pct_change)
    if current + previous == 0:
        assert result.p_value is None
    else:
        assert result.p_value is not None
        assert 0.0 <= result.p_value <= 1.0
    if result.rate_ratio is not None:
        assert result.ratio_lower is not None
        assert result.ratio_lower <= result.rate_ratio
        assert result.ratio_upper is None or result.rate_ratio <= result.ratio_upper
    assert result.significant == (result.p_value is not None and result.p_value < 0.05)


@given(counts, counts)
def test_equal_exposure_is_symmetric(current: int, previous: int) -> None:
    forward = compare_counts(current, previous)
    backward = compare_counts(previous, current)
    if forward.p_value is None:
        assert backward.p_value is None
    else:
        assert forward.p_value == pytest.approx(backward.p_value, abs=1e-12)
    assert forward.significant == backward.significant
    if forward.pct_change is not None:
        assert forward.pct_change == pytest.approx((current - previous) / previous * 100)
