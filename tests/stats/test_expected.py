"""Tests for emerging issues: latest quarter against a seasonal or SPC expectation."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cspkit.errors import InputError
from cspkit.stats.expected import INSUFFICIENT, SEASONAL, SPC, emerging_issues


def months(first: str, last: str) -> list[str]:
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def series(
    category: str, ward: str, counts: dict[str, int], default: int
) -> list[dict[str, object]]:
    return [
        {"month": m, "category": category, "ward": ward, "count": counts.get(m, default)}
        for m in months("2023-01", "2025-12")
    ]


def binomial_upper_tail(x: int, n: int, p: float) -> float:
    return math.fsum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(x, n + 1))


SHOPLIFTING = {
    "2023-10": 17, "2023-11": 17, "2023-12": 18,
    "2024-10": 18, "2024-11": 17, "2024-12": 17,
    "2025-10": 28, "2025-11": 28, "2025-12": 28,
}  # fmt: skip


def test_seasonal_baseline_flags_a_significant_rise() -> None:
    frame = pd.DataFrame(series("Shoplifting", "High Street", SHOPLIFTING, 15))
    res = emerging_issues(frame, keys=("category", "ward"))
    (issue,) = res.issues
    assert issue.method == SEASONAL
    assert (issue.observed, issue.expected, issue.excess) == (84, 52.0, 32.0)
    # 84 of 84 + 104 with probability 1/(1+2) under no change: upper tail by hand
    assert issue.p_value == pytest.approx(binomial_upper_tail(84, 188, 1 / 3), rel=1e-9)
    assert issue.p_value == pytest.approx(0.00079027, rel=1e-4)
    assert issue.flagged and issue.rank == 1
    assert issue.explanation == (
        "Shoplifting in High Street ward: 84 in October-December 2025 against about 52 "
        "expected from the same quarter in 2023 and 2024 (p < 0.001)."
    )
    assert res.latest_month == "2025-12"


def test_small_rise_and_fall_are_not_flagged() -> None:
    small = {**SHOPLIFTING, "2025-10": 18, "2025-11": 18, "2025-12": 19}
    fall = {**SHOPLIFTING, "2025-10": 5, "2025-11": 5, "2025-12": 5}
    frame = pd.DataFrame(
        series("Shoplifting", "A", small, 15) + series("Shoplifting", "B", fall, 15)
    )
    res = emerging_issues(frame, keys=("category", "ward"))
    by = {i.name: i for i in res.issues}
    rise = by["Shoplifting in A ward"]
    assert rise.observed == 55
    assert rise.p_value == pytest.approx(binomial_upper_tail(55, 159, 1 / 3), rel=1e-9)
    assert not rise.flagged and rise.rank is None
    assert not by["Shoplifting in B ward"].flagged
    assert res.flagged == ()


def test_spc_baseline_when_no_previous_year() -> None:
    history = {m: 10 for m in months("2025-01", "2025-07")}
    rows = [{"month": m, "category": "Burglary", "count": n} for m, n in history.items()]
    rows += [
        {"month": "2025-08", "category": "Burglary", "count": 20},
        {"month": "2025-09", "category": "Burglary", "count": 22},
        {"month": "2025-10", "category": "Burglary", "count": 25},
    ]
    (issue,) = emerging_issues(pd.DataFrame(rows)).issues
    assert issue.method == SPC
    assert issue.expected == 30.0  # 3 x mean of 10 a month
    # The baseline is a count too: 67 of 67 + 70 with probability 3 / (3 + 7) under no change
    # (the conditional exact test of the quarter's 3 months against the 7 months before).
    assert issue.p_value == pytest.approx(binomial_upper_tail(67, 137, 0.3), rel=1e-9)
    assert issue.p_value > 1 - math.fsum(
        math.exp(-30) * 30**k / math.factorial(k) for k in range(67)
    )  # less certain than treating 30 as known
    assert issue.above_upper_limit is True  # constant history: limits at 10
    assert issue.flagged
    assert "average of the 7 months before" in issue.explanation
    assert issue.period == "August-October 2025"


def test_insufficient_history_is_not_tested() -> None:
    rows = [{"month": m, "category": "Arson", "count": 3} for m in months("2025-09", "2025-12")]
    res = emerging_issues(pd.DataFrame(rows))
    (issue,) = res.issues
    assert issue.method == INSUFFICIENT
    # no events at all in the earlier months: no expectation either
    never = [{"month": m, "category": "Arson", "count": 0} for m in months("2025-01", "2025-08")]
    late = [{"month": m, "category": "Arson", "count": 3} for m in months("2025-10", "2025-12")]
    assert emerging_issues(pd.DataFrame(never + late)).issues[0].method == INSUFFICIENT
    assert issue.p_value is None and issue.expected is None and not issue.flagged
    assert res.tested == 0
    assert issue.explanation == (
        "Arson: 9 in October-December 2025; too little history (or none before) to form an "
        "expectation."
    )


def test_missing_months_are_zeros_and_ranking_by_evidence() -> None:
    big = {**SHOPLIFTING, "2025-10": 40, "2025-11": 40, "2025-12": 40}
    rows = series("Shoplifting", "A", SHOPLIFTING, 15) + series("Shoplifting", "B", big, 15)
    sparse = [
        {"month": "2023-11", "category": "Robbery", "ward": "A", "count": 1},
        {"month": "2025-11", "category": "Robbery", "ward": "A", "count": 2},
    ]
    res = emerging_issues(pd.DataFrame(rows + sparse), keys=("category", "ward"))
    assert [i.name for i in res.flagged] == ["Shoplifting in B ward", "Shoplifting in A ward"]
    assert [i.rank for i in res.flagged] == [1, 2]
    robbery = next(i for i in res.issues if i.name.startswith("Robbery"))
    assert (robbery.observed, robbery.expected) == (2, 0.5)  # 2024 quarter is all zeros
    assert robbery.p_value is None and not robbery.flagged  # 2 in the quarter: too few
    assert res.tested == 2
    assert res.multiple_testing_note == (
        "2 series were tested (those with at least 10 in the latest quarter and at least 5 "
        "expected); 2 are above expectation after allowing for the number of tests "
        "(Benjamini-Hochberg false discovery rate 5%)."
    )
    for issue in res.flagged:
        assert issue.p_adjusted is not None and issue.p_value is not None
        assert issue.p_adjusted >= issue.p_value
    assert [i.p_adjusted for i in res.flagged] == sorted(i.p_adjusted or 0 for i in res.flagged)


def test_nothing_under_ten_or_with_an_expectation_under_five_is_flagged() -> None:
    # 9 against 1 a month before: a large excess in proportion, but 9 is not evidence
    rows = [{"month": m, "category": "Robbery", "count": 1} for m in months("2025-01", "2025-09")]
    rows += [{"month": m, "category": "Robbery", "count": 3} for m in months("2025-10", "2025-12")]
    (issue,) = emerging_issues(pd.DataFrame(rows)).issues
    assert (issue.observed, issue.expected) == (9, 3.0)
    assert issue.p_value is None and not issue.flagged
    # 12 against an expectation of 3: still too small an expectation
    rows[-1]["count"] = 6
    (issue,) = emerging_issues(pd.DataFrame(rows)).issues
    assert issue.observed == 12 and not issue.flagged and issue.p_value is None


def test_latest_month_and_a_quarter_across_years() -> None:
    frame = pd.DataFrame(series("Shoplifting", "A", SHOPLIFTING, 15))
    (issue,) = emerging_issues(frame, latest_month="2025-01").issues
    assert issue.period == "November 2024-January 2025"
    assert issue.observed == 17 + 17 + 15
    assert "same quarter in 2024" in issue.explanation  # Nov 2023-Jan 2024 only


@pytest.mark.parametrize(
    ("frame", "keys", "message"),
    [
        (pd.DataFrame({"month": ["2025-01"], "count": [1]}), ("category",), "missing column"),
        (pd.DataFrame({"month": ["2025-01"], "category": ["x"], "count": [-1]}), ("category",),
         "whole number"),
        (pd.DataFrame({"month": ["January"], "category": ["x"], "count": [1]}), ("category",),
         "not like 2024-10"),
        (pd.DataFrame({"month": ["2025-01"], "category": ["x"], "count": [1]}), (), "key column"),
    ],
)  # fmt: skip
def test_bad_input(frame: pd.DataFrame, keys: tuple[str, ...], message: str) -> None:
    with pytest.raises(InputError, match=message):
        emerging_issues(frame, keys=keys)
