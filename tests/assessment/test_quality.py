"""Data-quality checks on the real sample: Kent's 2025 outcomes look incomplete."""

from __future__ import annotations

import duckdb

from cspkit.assessment.quality import (
    ASB,
    OUTCOMES,
    STREET,
    asb_check,
    data_quality,
    outcome_check,
)
from cspkit.stats.periods import parse_period

MAIDSTONE = "E07000110"
LINCOLN = "E07000138"


def test_maidstone_2025_outcomes_with_none_under_investigation_are_flagged(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    # Hand check: no Maidstone crime of 2025 is "Under investigation"; January-April 2024
    # had 12% to 42% (the older months of the force are held in the sample).
    shares = sample_con.execute(
        "SELECT month, avg((last_outcome = 'Under investigation')::int) FROM crimes "
        "WHERE lad_code = ? AND category <> 'Anti-social behaviour' GROUP BY 1 ORDER BY 1",
        [MAIDSTONE],
    ).fetchall()
    in_2025 = [s for m, s in shares if m.year == 2025]
    in_2024 = [s for m, s in shares if m.year == 2024]
    assert max(in_2025) == 0 and round(min(in_2024), 2) == 0.12 and round(max(in_2024), 2) == 0.42
    q = data_quality(sample_con, "kent", MAIDSTONE, parse_period("2025"))
    assert q.outcomes_incomplete()
    (warning,) = q.warnings
    assert warning.startswith("The outcome data look incomplete for January-December 2025")
    assert "4 earlier months held had 12% to 42%" in warning
    assert [c.dataset for c in q.checks] == [STREET, STREET, OUTCOMES, ASB]


def test_lincoln_outcomes_pass(sample_con: duckdb.DuckDBPyConnection) -> None:
    q = data_quality(sample_con, "lincolnshire", LINCOLN, parse_period("12m:2020-01"))
    assert not q.outcomes_incomplete()
    assert q.warnings == ()


def test_a_period_with_some_under_investigation_passes() -> None:
    from datetime import date

    monthly = [(date(2025, m, 1), 100, 0 if m < 6 else 20, 50) for m in range(1, 13)]
    assert outcome_check(monthly, parse_period("2025-01..2025-05")).passed  # none held before
    assert outcome_check(monthly, parse_period("2025-06..2025-12")).passed
    later = [(date(2025, m, 1), 100, 20 if m < 6 else 0, 50) for m in range(1, 13)]
    assert not outcome_check(later, parse_period("2025-06..2025-12")).passed


def test_an_asb_month_far_below_the_median_is_flagged() -> None:
    from datetime import date

    monthly = [(date(2025, m, 1), 100, 0, 200) for m in range(1, 13)]
    assert asb_check(monthly, parse_period("2025")).passed
    monthly[6] = (date(2025, 7, 1), 100, 0, 30)
    check = asb_check(monthly, parse_period("2025"))
    assert not check.passed and "2025-07 (30)" in check.finding
