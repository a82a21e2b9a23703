"""The harm section: totals equal hand sums of SQL counts x weights; ranks; snapshots."""

from __future__ import annotations

import csv

import duckdb
import pytest

from cspkit.assessment.context import SectionContext
from cspkit.assessment.overview import build_overview
from cspkit.assessment.sections import harm
from cspkit.reference import data_path
from cspkit.report.blocks import Figure, Table
from cspkit.stats.periods import parse_period
from tests.snapshots import assert_section_snapshot

MAIDSTONE, LINCOLN = "E07000110", "E07000138"


def _context(con: duckdb.DuckDBPyConnection, area: str, period: str) -> SectionContext:
    o = build_overview(con, area, parse_period(period))
    return SectionContext(o.area, o.period, o.comparison, o.peers)


def _weights_by_hand() -> dict[str, float]:
    with data_path("harm_weights.csv").open(encoding="utf-8") as handle:
        return {row["category"]: float(row["weight_days"]) for row in csv.DictReader(handle)}


def _counts(con: duckdb.DuckDBPyConnection, lad: str, first: str, last: str) -> dict[str, int]:
    rows = con.execute(
        "SELECT category, count(*) FROM crimes WHERE lad_code = ? AND month BETWEEN ? AND ? "
        "GROUP BY category",
        [lad, first, last],
    ).fetchall()
    return {str(c): int(n) for c, n in rows}


def _population(con: duckdb.DuckDBPyConnection, lad: str) -> float:
    row = con.execute(
        "SELECT persons FROM population WHERE area_type = 'lad' AND area_code = ? "
        "ORDER BY year DESC LIMIT 1",
        [lad],
    ).fetchone()
    assert row is not None
    return float(row[0])


@pytest.mark.parametrize(
    ("area", "lad", "period", "first", "last"),
    [
        ("Maidstone", MAIDSTONE, "2025", "2025-01-01", "2025-12-01"),
        ("Lincoln", LINCOLN, "12m:2020-01", "2019-02-01", "2020-01-01"),
    ],
)
def test_harm_totals_equal_sql_counts_times_weights(
    sample_con: duckdb.DuckDBPyConnection, area: str, lad: str, period: str, first: str, last: str
) -> None:
    weights = _weights_by_hand()
    counts = _counts(sample_con, lad, first, last)
    a = harm.analyse_harm(sample_con, _context(sample_con, area, period), harm.default_weights())
    expected_harm = sum(n * weights[c] for c, n in counts.items() if c != "Anti-social behaviour")
    expected_crimes = sum(n for c, n in counts.items() if c != "Anti-social behaviour")
    assert a.result.total_harm_days == pytest.approx(expected_harm)
    assert a.result.total_count == expected_crimes
    assert a.asb_incidents == counts["Anti-social behaviour"]
    rows = {r.category: r for r in a.result.rows}
    assert "Anti-social behaviour" not in rows
    violence = rows["Violence and sexual offences"]
    assert violence.harm_days == pytest.approx(counts[violence.category] * 194.21)
    v_harm = counts[violence.category] * 194.21
    assert violence.share_of_harm == pytest.approx(v_harm / expected_harm)
    assert violence.share_of_volume == pytest.approx(counts[violence.category] / expected_crimes)
    mine = next(p for p in a.peers if p.code == lad)
    assert mine.harm_per_1000 == pytest.approx(expected_harm / _population(sample_con, lad) * 1000)


def test_peers_are_ranked_by_harm_per_resident(sample_con: duckdb.DuckDBPyConnection) -> None:
    a = harm.analyse_harm(
        sample_con, _context(sample_con, "Lincoln", "12m:2020-01"), harm.default_weights()
    )
    assert len(a.peers) == 7
    rates = [p.harm_per_1000 for p in a.peers]
    assert rates == sorted(rates)  # type: ignore[type-var]
    assert [p.rank.position for p in a.peers if p.rank] == list(range(1, 8))
    # Lincoln: the highest harm per resident of the seven districts, in both years.
    assert a.peers[-1].name == "Lincoln"
    assert a.previous_rank is not None and a.previous_rank.position == 7


def test_a_user_weight_table_replaces_the_default(sample_con: duckdb.DuckDBPyConnection) -> None:
    ctx = _context(sample_con, "Maidstone", "2025")
    counts = _counts(sample_con, MAIDSTONE, "2025-01-01", "2025-12-01")
    table = harm.WeightTable({"Burglary": 10.0, "Robbery": 100.0}, "local", "a local table")
    section = harm.harm_section(sample_con, ctx, table)
    by_category = next(b for b in section.blocks if isinstance(b, Table))
    total = next(r for r in by_category.rows if r[0] == "All weighted crime")
    assert total[3] == pytest.approx(counts["Burglary"] * 10 + counts["Robbery"] * 100)
    assert any("No weight for" in n for n in by_category.notes)


def test_section_states_the_finding_and_how_asb_is_treated(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    section = harm.build(sample_con, _context(sample_con, "Maidstone", "2025"))
    assert section is not None
    figure = next(b for b in section.blocks if isinstance(b, Figure))
    assert "Violence and sexual offences are 46% of crimes but 86% of harm" in figure.alt
    assert figure.table is not None
    assert section.key_findings[0].startswith("Violence and sexual offences are 46% of crimes")
    assert "ranked 6 of 13 districts" in section.key_findings[1]
    text = " ".join(getattr(b, "text", "") for b in section.blocks)
    assert "is not a crime and has no harm weight" in text
    # the weights said plainly: sentencing days, the index, a third party's aggregation
    assert "starting point of the sentence a first offender would receive" in text
    assert "Cambridge Crime Harm Index" in text and "not official figures" in text
    assert "aggregation was made by a third party" in text
    # the heaviest categories per offence (weights 365, 273.75 and 244.68 days)
    assert (
        "Per offence, robbery (365 days), possession of weapons (274 days), burglary "
        "(245 days) carry the most harm" in text
    )
    assert "5,000 days per 1,000 residents is 5 days of harm per resident" in text
    assert "(1 = lowest rate)" in section.key_findings[1]
    ids = [t.id for t in section.tables()]
    assert len(ids) == len(set(ids)) and all(i.startswith("harm-") for i in ids)


@pytest.mark.parametrize(
    ("area", "period", "name"),
    [
        ("Maidstone", "2025", "harm-maidstone-2025.html"),
        ("Lincoln", "12m:2020-01", "harm-lincoln-12m-2020-01.html"),
    ],
)
def test_harm_section_snapshot(
    sample_con: duckdb.DuckDBPyConnection, area: str, period: str, name: str
) -> None:
    section = harm.build(sample_con, _context(sample_con, area, period))
    assert section is not None
    assert_section_snapshot(section, name)
