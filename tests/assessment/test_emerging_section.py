"""The emerging-issues section: a direct computation for one Lincoln category, the honest
SPC fallback for Maidstone (no same quarter of 2024 held), ward series, snapshots."""

from __future__ import annotations

from dataclasses import replace

import duckdb
import pytest
from scipy.stats import binomtest

from cspkit.assessment.context import SectionContext
from cspkit.assessment.overview import build_overview
from cspkit.assessment.sections import emerging
from cspkit.report.blocks import Table
from cspkit.stats.expected import SEASONAL, SPC
from cspkit.stats.periods import parse_period
from tests.snapshots import assert_section_snapshot

VIOLENCE = "Violence and sexual offences"


def _context(con: duckdb.DuckDBPyConnection, area: str, period: str) -> SectionContext:
    o = build_overview(con, area, parse_period(period))
    return SectionContext(o.area, o.period, o.comparison, o.peers)


def _count(con: duckdb.DuckDBPyConnection, lad: str, category: str, first: str, last: str) -> int:
    row = con.execute(
        "SELECT count(*) FROM crimes WHERE lad_code = ? AND category = ? AND month BETWEEN ? AND ?",
        [lad, category, first, last],
    ).fetchone()
    assert row is not None
    return int(row[0])


def test_lincoln_violence_reproduces_a_direct_seasonal_test(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    a = emerging.analyse_emerging(sample_con, _context(sample_con, "Lincoln", "12m:2020-01"))
    assert a is not None
    issue = next(i for i in a.result.issues if i.name == f"{VIOLENCE} in Lincoln")
    latest = _count(sample_con, "E07000138", VIOLENCE, "2019-11-01", "2020-01-01")
    # Same quarter one and two years before; three years before precedes the data (2017-02).
    baseline = _count(sample_con, "E07000138", VIOLENCE, "2018-11-01", "2019-01-01") + _count(
        sample_con, "E07000138", VIOLENCE, "2017-11-01", "2018-01-01"
    )
    p = binomtest(latest, latest + baseline, 1 / 3, alternative="greater").pvalue
    assert issue.observed == latest
    assert issue.method == SEASONAL
    assert issue.expected == pytest.approx(baseline / 2)
    assert issue.p_value == pytest.approx(p)
    assert issue.flagged == (p < 0.05 and latest > baseline / 2)
    assert a.ward_vintage is None and a.wards == 0
    assert a.result.tested == 14


def test_maidstone_falls_back_to_spc_without_the_gap_months(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    a = emerging.analyse_emerging(sample_con, _context(sample_con, "Maidstone", "2025"))
    assert a is not None
    assert (str(a.first_month), str(a.last_month)) == ("2025-01-01", "2025-12-01")
    assert [str(m) for m in a.held_before_gap] == [
        "2024-01-01",
        "2024-02-01",
        "2024-03-01",
        "2024-04-01",
    ]
    issue = next(i for i in a.result.issues if i.name == "Burglary in Maidstone")
    monthly = [
        _count(sample_con, "E07000110", "Burglary", f"2025-{m:02d}-01", f"2025-{m:02d}-01")
        for m in range(1, 10)
    ]
    latest = _count(sample_con, "E07000110", "Burglary", "2025-10-01", "2025-12-01")
    expected = 3 * sum(monthly) / len(monthly)
    assert issue.method == SPC
    assert issue.observed == latest
    assert issue.expected == pytest.approx(expected)
    # the conditional exact test of the quarter (3 months) against the 9 months before
    before = sum(monthly)
    direct = binomtest(latest, latest + before, 3 / 12, alternative="greater").pvalue
    assert issue.p_value == pytest.approx(direct)
    assert not any(i.method == SEASONAL for i in a.result.issues)


def test_maidstone_ward_series_sum_crimes_in_the_ward(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    a = emerging.analyse_emerging(sample_con, _context(sample_con, "Maidstone", "2025"))
    assert a is not None and a.ward_vintage == 2025 and a.wards > 10
    row = sample_con.execute(
        """
        SELECT count(*) FROM crimes c JOIN lsoa_ward w USING (lsoa_code)
        WHERE c.lad_code = 'E07000110' AND w.lad_code = 'E07000110' AND w.ward_vintage = 2025
          AND w.ward_name = 'High Street' AND c.category = ?
          AND c.month BETWEEN '2025-10-01' AND '2025-12-01'
        """,
        [VIOLENCE],
    ).fetchone()
    assert row is not None
    issue = next(i for i in a.result.issues if i.name == f"{VIOLENCE} in High Street ward")
    assert issue.observed == row[0]
    assert a.result.tested == sum(1 for i in a.result.issues if i.p_value is not None)


def test_section_says_what_history_exists_and_mentions_multiple_testing(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    section = emerging.build(sample_con, _context(sample_con, "Maidstone", "2025"))
    assert section is not None
    text = " ".join(getattr(b, "text", "") for b in section.blocks)
    assert "the data do not include October-December 2024" in text
    assert "January-April 2024" in text and "not used" in text
    assert "Benjamini-Hochberg" in text
    flagged = next(b for b in section.blocks if isinstance(b, Table))
    assert flagged.id == "emerging-flagged"
    assert [r[0] for r in flagged.rows] == list(range(1, len(flagged.rows) + 1))
    adjusted = [float(r[6] or 0) for r in flagged.rows]
    assert adjusted == sorted(adjusted)  # ranked by evidence, not by excess
    assert all(int(r[2]) >= 10 and float(r[3]) >= 5 for r in flagged.rows)
    assert section.key_findings[1].startswith("Emerging issue 1: ")
    lincoln = emerging.build(sample_con, _context(sample_con, "Lincoln", "12m:2020-01"))
    assert lincoln is not None
    assert "No ward lookup is held for Lincoln" in " ".join(
        getattr(b, "text", "") for b in lincoln.blocks
    )


@pytest.mark.parametrize(
    ("area", "period", "name"),
    [
        ("Maidstone", "2025", "emerging-maidstone-2025.html"),
        ("Lincoln", "12m:2020-01", "emerging-lincoln-12m-2020-01.html"),
    ],
)
def test_emerging_section_snapshot(
    sample_con: duckdb.DuckDBPyConnection, area: str, period: str, name: str
) -> None:
    section = emerging.build(sample_con, _context(sample_con, area, period))
    assert section is not None
    assert_section_snapshot(section, name)


def test_public_wording_hides_small_counts(sample_con: duckdb.DuckDBPyConnection) -> None:
    ctx = replace(_context(sample_con, "Maidstone", "2025"), public=True, suppression_threshold=30)
    a = emerging.analyse_emerging(sample_con, ctx)
    assert a is not None
    small = next(i for i in a.result.flagged if i.observed < 30)
    text = emerging._explain(small, a, ctx)
    assert "fewer than 30 in" in text and "more than expected from" in text
    assert f"{small.expected:,.0f} expected" not in text


def test_loose_and_linton_violence_is_a_repeat_location(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    # Hand check from the police.uk rows: violence in Loose & Linton ward was 71 in
    # October-December 2025, 26 of them (5, 14, 7) at the map point "On or near Shernolds",
    # which had 0 to 2 a month in January-September 2025.
    a = emerging.analyse_emerging(sample_con, _context(sample_con, "Maidstone", "2025"))
    assert a is not None
    issue = next(i for i in a.result.flagged if i.name == f"{VIOLENCE} in Loose & Linton ward")
    assert issue.rank == 1 and issue.observed == 71
    found = a.place_of(issue)
    assert found is not None
    assert (found.place, found.observed, found.before_min, found.before_max) == (
        "On or near Shernolds",
        26,
        0,
        2,
    )
    assert found.share_of_excess >= 0.5
    text = emerging._explain(issue, a, _context(sample_con, "Maidstone", "2025"))
    assert "concentrated at one place: On or near Shernolds (26 of 71" in text
    assert "repeat-location problem" in text
    others = [i for i in a.result.flagged if i is not issue]
    assert all(a.place_of(i) is None for i in others)  # criminal damage there is spread out
