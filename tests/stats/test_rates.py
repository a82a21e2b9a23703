"""Tests for rates per 1,000."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cspkit.stats.rates import RATE_PER, DenominatorBasis, Rate, rate_per_1000


def test_rate_by_hand() -> None:
    # 2,130 crimes among 173,132 residents: 2130 / 173132 * 1000 = 12.3027...
    rate = rate_per_1000(2130, 173_132, basis=DenominatorBasis.PERSONS, year=2020)
    assert rate.value == pytest.approx(12.302751, abs=1e-6)
    assert (rate.count, rate.denominator, rate.year, rate.per) == (2130, 173_132, 2020, 1000)
    assert rate.note == ""
    assert rate.describe() == "12.3 per 1,000 residents (mid-2020 population 173,132)"


def test_households_and_adults_describe_their_base() -> None:
    burglary = rate_per_1000(450, 72_345, basis=DenominatorBasis.HOUSEHOLDS, year=2021)
    # 450 / 72345 * 1000 = 6.2202...
    assert burglary.describe() == "6.2 per 1,000 households (2021 households 72,345)"
    abuse = rate_per_1000(1500, 140_000, basis=DenominatorBasis.ADULTS, year=2022)
    # 1500 / 140000 * 1000 = 10.714...
    assert abuse.describe() == "10.7 per 1,000 adults aged 18+ (2022 adults aged 18+ 140,000)"


def test_year_unknown() -> None:
    rate = rate_per_1000(10, 1000, basis=DenominatorBasis.PERSONS, year=None)
    assert rate.describe() == "10.0 per 1,000 residents (population 1,000)"


def test_zero_count_is_zero_rate() -> None:
    rate = rate_per_1000(0, 5000, basis=DenominatorBasis.PERSONS, year=2020)
    assert rate.value == 0.0
    assert rate.describe().startswith("0.0 per 1,000 residents")


def test_tiny_rate_is_not_shown_as_zero() -> None:
    rate = rate_per_1000(1, 1_000_000, basis=DenominatorBasis.PERSONS, year=2020)
    assert rate.value == pytest.approx(0.001)
    assert rate.describe().startswith("<0.1 per 1,000 residents")


def test_missing_households_figure() -> None:
    rate = rate_per_1000(12, None, basis=DenominatorBasis.HOUSEHOLDS, year=2021)
    assert rate.value is None
    assert rate.count == 12
    assert rate.note == "no households figure for this area"
    assert rate.describe() == "rate not available: no households figure for this area"


@pytest.mark.parametrize(
    ("denominator", "note"),
    [
        (0.0, "the population figure is 0, not positive"),
        (-5.0, "the population figure is -5, not positive"),
        (math.nan, "no population figure for this area"),
        (math.inf, "the population figure is not a finite number"),
        (1e-310, "the population figure is too small to give a rate"),
    ],
)
def test_unusable_denominators(denominator: float, note: str) -> None:
    rate = rate_per_1000(3, denominator, basis=DenominatorBasis.PERSONS, year=2020)
    assert rate.value is None
    assert rate.note == note


def test_no_denominator_basis() -> None:
    rate = rate_per_1000(3, 1000, basis=DenominatorBasis.NONE, year=None)
    assert rate.value is None
    assert rate.note == "this measure has no denominator"


def test_basis_accepts_its_string_value() -> None:
    rate = rate_per_1000(3, 1000, basis="adults-18-plus", year=None)  # type: ignore[arg-type]
    assert rate.basis is DenominatorBasis.ADULTS


def test_negative_count_raises() -> None:
    with pytest.raises(ValueError, match="negative"):
        rate_per_1000(-1, 1000, basis=DenominatorBasis.PERSONS, year=2020)


def test_rate_is_frozen() -> None:
    rate = rate_per_1000(1, 10, basis=DenominatorBasis.PERSONS, year=2020)
    with pytest.raises(AttributeError):
        rate.value = 2.0  # type: ignore[misc]
    assert isinstance(rate, Rate)
    assert RATE_PER == 1000


@given(
    st.integers(min_value=0, max_value=10**7),
    st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
    st.sampled_from(list(DenominatorBasis)),
)
def test_rate_never_negative(
    count: int, denominator: float | None, basis: DenominatorBasis
) -> None:
    rate = rate_per_1000(count, denominator, basis=basis, year=2020)
    if rate.value is None:
        assert rate.note
    else:
        assert rate.value >= 0
        assert math.isfinite(rate.value)
    assert rate.describe()
