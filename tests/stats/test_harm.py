"""Tests for harm-weighted totals, checked by hand sums."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cspkit.errors import InputError
from cspkit.stats.harm import harm_totals, weights_from_frame

WEIGHTS = {"Burglary": 40.0, "Shoplifting": 1.0, "Violence and sexual offences": 194.21}


def test_hand_sums() -> None:
    counts = {"Burglary": 10, "Shoplifting": 100, "Violence and sexual offences": 5}
    res = harm_totals(counts, WEIGHTS, population=50_000)
    # 10*40 = 400; 100*1 = 100; 5*194.21 = 971.05; total 1471.05
    assert res.total_harm_days == pytest.approx(1471.05)
    assert res.total_count == 115
    assert res.weighted_count == 115
    assert [r.category for r in res.rows] == [
        "Violence and sexual offences",
        "Burglary",
        "Shoplifting",
    ]
    violence = res.rows[0]
    assert violence.harm_days == pytest.approx(971.05)
    assert violence.share_of_volume == pytest.approx(5 / 115)
    assert violence.share_of_harm == pytest.approx(971.05 / 1471.05)
    assert math.fsum(r.share_of_harm or 0.0 for r in res.rows) == pytest.approx(1.0)
    # 1471.05 / 50,000 * 1,000 = 29.421
    assert res.harm_days_per_1000 == pytest.approx(29.421)
    assert res.unweighted_categories == ()


def test_unweighted_categories_are_listed_not_zeroed() -> None:
    res = harm_totals({"Burglary": 3, "Other crime": 7}, WEIGHTS)
    other = next(r for r in res.rows if r.category == "Other crime")
    assert other.weight_days is None and other.harm_days is None and other.share_of_harm is None
    assert other.share_of_volume == pytest.approx(0.7)
    assert res.unweighted_categories == ("Other crime",)
    assert res.total_harm_days == 120.0
    assert (res.total_count, res.weighted_count) == (10, 3)
    assert res.rows[-1].category == "Other crime"
    assert res.harm_days_per_1000 is None


def test_zero_counts_and_no_events() -> None:
    res = harm_totals({"Burglary": 0}, WEIGHTS)
    assert res.rows[0].share_of_volume is None and res.rows[0].share_of_harm is None
    assert res.total_harm_days == 0.0


def test_series_input() -> None:
    res = harm_totals(pd.Series({"Shoplifting": 4, "Burglary": 1}), WEIGHTS)
    assert res.total_harm_days == 44.0


def test_weights_from_frame() -> None:
    table = pd.DataFrame(
        {
            "category": ["Burglary", "Shoplifting"],
            "weight_days": [40, 1.0],
            "source": ["CCHI", "CCHI"],
        }
    )
    assert weights_from_frame(table) == {"Burglary": 40.0, "Shoplifting": 1.0}


def test_duplicate_weight_row_is_named() -> None:
    table = pd.DataFrame({"category": ["Burglary", "Burglary"], "weight_days": [1.0, 2.0]})
    with pytest.raises(InputError, match=r"row 3, column 'category'.*appears twice"):
        weights_from_frame(table)


def test_missing_weight_column_is_named() -> None:
    with pytest.raises(InputError, match=r"missing column.*weight_days"):
        weights_from_frame(pd.DataFrame({"category": ["Burglary"], "days": [1.0]}))


@pytest.mark.parametrize(
    ("counts", "weights", "population", "message"),
    [
        ({"Burglary": -1}, WEIGHTS, None, "count for 'Burglary'"),
        ({"Burglary": 1}, {"Burglary": -5.0}, None, "harm weight for 'Burglary'"),
        ({"Burglary": 1}, {"Burglary": math.nan}, None, "harm weight"),
        ({"Burglary": 1}, WEIGHTS, 0, "population"),
    ],
)
def test_bad_input(
    counts: dict[str, int], weights: dict[str, float], population: float | None, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        harm_totals(counts, weights, population)
