"""Tests for police.uk outcome groups and resolution rates."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cspkit.errors import InputError
from cspkit.reference import sample_police_uk_dir
from cspkit.stats.outcomes import (
    DEFAULT_RESOLVED,
    OUTCOME_GROUPS,
    OutcomeGroup,
    classify_outcome,
    resolution_rates,
)


def real_outcome_strings() -> set[str]:
    """Every outcome string in the bundled real sample (Kent 2025, Lincolnshire 2017-2020)."""
    sample = sample_police_uk_dir()
    files = sorted(sample.glob("2025-*/*-kent-street.csv.gz"))
    files += sorted(sample.glob("*/*-lincolnshire-*.csv.gz"))
    found: set[str] = set()
    for path in files:
        header = pd.read_csv(path, nrows=0).columns
        for column in ("Last outcome category", "Outcome type"):
            if column in header:
                found |= set(pd.read_csv(path, usecols=[column])[column].dropna())
    return found


def test_every_outcome_string_in_the_real_files_is_grouped() -> None:
    found = real_outcome_strings()
    assert len(found) >= 25
    assert {s for s in found if classify_outcome(s) is OutcomeGroup.UNKNOWN} == set()
    # and nothing in the table is a typo that never occurs (except the API's spelling)
    assert set(OUTCOME_GROUPS) - found <= {"Offender given a penalty notice"}


def test_classify_outcome() -> None:
    assert classify_outcome("Local resolution") is OutcomeGroup.COMMUNITY_RESOLUTION
    assert classify_outcome(" Suspect charged ") is OutcomeGroup.CHARGE_SUMMONS
    assert (
        classify_outcome("Offender given a drugs possession warning")
        is OutcomeGroup.PENALTY_NOTICE_OR_WARNING
    )
    assert classify_outcome("Defendant found not guilty") is OutcomeGroup.CHARGED_NOT_CONVICTED
    assert classify_outcome(None) is OutcomeGroup.NO_OUTCOME
    assert classify_outcome("") is OutcomeGroup.NO_OUTCOME
    assert classify_outcome(math.nan) is OutcomeGroup.NO_OUTCOME  # type: ignore[arg-type]
    assert classify_outcome("Mystery outcome") is OutcomeGroup.UNKNOWN


def example() -> pd.DataFrame:
    rows = [
        ("2024-01", "Burglary", "Suspect charged", 2),
        ("2024-01", "Shoplifting", "Local resolution", 1),
        ("2024-01", "Burglary", "Unable to prosecute suspect", 5),
        ("2024-01", "Shoplifting", "Under investigation", 2),
        ("2024-02", "Burglary", "Under investigation", 6),
        ("2024-02", "Shoplifting", "Status update unavailable", 2),
        ("2024-02", "Shoplifting", "Offender fined", 1),
        ("2024-02", "Anti-social behaviour", None, 3),
        ("2024-02", "Burglary", "Mystery outcome", 1),
    ]
    return pd.DataFrame(rows, columns=["month", "category", "outcome", "count"])


def test_resolution_by_month_by_hand() -> None:
    res = resolution_rates(example())
    jan, feb = res.by_month
    # January: 10 crimes, 3 resolved (2 charged + 1 local resolution), 2 pending
    assert (jan.key, jan.crimes, jan.resolved, jan.under_investigation) == ("2024-01", 10, 3, 2)
    assert jan.resolution_rate == pytest.approx(0.3)
    assert jan.pending_share == pytest.approx(0.2)
    assert jan.resolution_rate_of_finalised == pytest.approx(3 / 8)
    # February: ASB blank rows excluded -> 10 crimes, 1 resolved, 8 pending, 1 unrecognised
    assert (feb.crimes, feb.resolved, feb.status_unavailable, feb.unrecognised) == (10, 1, 2, 1)
    assert feb.resolution_rate == pytest.approx(0.1)
    assert feb.pending_share == pytest.approx(0.8)
    assert feb.resolution_rate_of_finalised == pytest.approx(0.5)
    overall = res.overall
    assert (overall.crimes, overall.resolved) == (20, 4)
    assert overall.pending_share == pytest.approx(0.5)
    assert res.no_outcome == 3
    assert res.unrecognised_outcomes == (("Mystery outcome", 1),)


def test_resolution_by_category_by_hand() -> None:
    res = resolution_rates(example())
    by = {r.key: r for r in res.by_category}
    assert by["Anti-social behaviour"].crimes == 0
    assert by["Anti-social behaviour"].resolution_rate is None
    # Burglary: 2 charged + 5 unable + 6 under investigation + 1 unknown = 14; 2 resolved
    assert (by["Burglary"].crimes, by["Burglary"].resolved) == (14, 2)
    assert by["Burglary"].resolution_rate_of_finalised == pytest.approx(2 / 8)
    assert (by["Shoplifting"].crimes, by["Shoplifting"].resolved) == (6, 2)


def test_groups_are_counted() -> None:
    groups = dict(resolution_rates(example()).by_group)
    assert groups[OutcomeGroup.UNDER_INVESTIGATION] == 8
    assert groups[OutcomeGroup.UNKNOWN] == 1
    assert OutcomeGroup.CAUTION not in groups


def test_configurable_resolved_definition() -> None:
    res = resolution_rates(example(), resolved={OutcomeGroup.CHARGE_SUMMONS})
    assert res.by_month[0].resolved == 2
    assert res.resolved_groups == frozenset({OutcomeGroup.CHARGE_SUMMONS})
    assert OutcomeGroup.COMMUNITY_RESOLUTION in DEFAULT_RESOLVED


@pytest.mark.parametrize(
    ("frame", "resolved", "message"),
    [
        (example().drop(columns="count"), DEFAULT_RESOLVED, "missing column"),
        (example().assign(count=-1), DEFAULT_RESOLVED, "expected 0 or more"),
        (example().assign(count=1.5), DEFAULT_RESOLVED, "expected 0 or more"),
        (example(), {OutcomeGroup.UNDER_INVESTIGATION}, "cannot count as resolved"),
    ],
)
def test_bad_input(frame: pd.DataFrame, resolved: set[OutcomeGroup], message: str) -> None:
    with pytest.raises(InputError, match=message):
        resolution_rates(frame, resolved)
