"""The overview table: counts, like-for-like comparison, rates, ranks, refusal of gaps."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from cspkit.assessment.overview import build_overview
from cspkit.errors import DataCoverageError, UnknownAreaError
from cspkit.stats.change import compare_counts
from cspkit.stats.periods import parse_period

KENT_DISTRICTS = 13


def _count(con: duckdb.DuckDBPyConnection, lad: str, first: str, last: str, asb: bool) -> int:
    op = "=" if asb else "<>"
    row = con.execute(
        f"SELECT count(*) FROM crimes WHERE lad_code = ? AND month BETWEEN ? AND ? "
        f"AND category {op} 'Anti-social behaviour'",
        [lad, first, last],
    ).fetchone()
    return int(row[0]) if row else 0


def test_maidstone_2025_uses_the_like_for_like_months_of_2024(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    o = build_overview(sample_con, "Maidstone", parse_period("2025"))
    assert o.area.code == "E07000110"
    assert len(o.peers) == KENT_DISTRICTS
    assert o.comparison is not None and o.comparison.like_for_like
    assert o.comparison.current.label == "January-April 2025"
    assert o.comparison.previous.label == "January-April 2024"
    assert any("like-for-like" in n for n in o.notes)
    rows = {r.indicator_id: r for r in o.rows}
    all_crime = rows["all-crime"]
    assert all_crime.current == _count(sample_con, "E07000110", "2025-01-01", "2025-12-01", False)
    assert all_crime.current_compared == _count(
        sample_con, "E07000110", "2025-01-01", "2025-04-01", False
    )
    assert all_crime.previous == _count(sample_con, "E07000110", "2024-01-01", "2024-04-01", False)
    asb = rows["anti-social-behaviour"]
    assert asb.current + all_crime.current == 16_619
    expected = compare_counts(int(all_crime.current_compared or 0), int(all_crime.previous or 0))
    assert all_crime.p_value == pytest.approx(expected.p_value)
    assert all_crime.pct_change == pytest.approx(expected.pct_change)
    assert all_crime.rate_per_1000 == pytest.approx(all_crime.current / 173_132 * 1000)
    assert (all_crime.denominator, all_crime.denominator_year) == (173_132.0, 2020)
    assert all_crime.rank_of == KENT_DISTRICTS


def test_ranks_form_a_competition_ranking_across_the_peers(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    positions = []
    for peer in build_overview(sample_con, "Maidstone", parse_period("2025")).peers:
        o = build_overview(sample_con, peer.code, parse_period("2025"))
        positions.append(next(r.rank_position for r in o.rows if r.indicator_id == "all-crime"))
    assert sorted(p for p in positions if p is not None) == list(range(1, KENT_DISTRICTS + 1))


def test_lincoln_rolling_year_has_two_earlier_years(sample_con: duckdb.DuckDBPyConnection) -> None:
    o = build_overview(sample_con, "Lincoln", parse_period("12m:2020-01"))
    assert o.comparison is not None and not o.comparison.like_for_like
    assert o.comparison.previous.label == "12 months to January 2019"
    assert [p.label for p in o.history_periods] == ["12 months to January 2018"]
    assert len(o.peers) == 7
    row = next(r for r in o.rows if r.indicator_id == "all-crime")
    assert row.current == _count(sample_con, "E07000138", "2019-02-01", "2020-01-01", False)
    assert row.previous == _count(sample_con, "E07000138", "2018-02-01", "2019-01-01", False)
    assert row.history[0][1] == _count(sample_con, "E07000138", "2017-02-01", "2018-01-01", False)


def test_small_counts_get_no_percentage(sample_con: duckdb.DuckDBPyConnection) -> None:
    o = build_overview(sample_con, "Maidstone", parse_period("2025-01"))
    for r in o.rows:
        if r.previous is not None and min(r.previous, r.current_compared or 0) < 10:
            assert r.small_counts and r.pct_change is None


def test_an_incomplete_period_is_refused_with_what_is_held(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    with pytest.raises(DataCoverageError, match=r"2024-01 to 2024-04, 2025-01 to 2025-12"):
        build_overview(sample_con, "Maidstone", parse_period("2024"))


def test_unknown_area_suggests_names(sample_con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(UnknownAreaError, match="Maidstone"):
        build_overview(sample_con, "Maidstun", parse_period("2025"))


def test_partner_indicators_join_the_overview_with_the_same_statistics(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    from cspkit.ingest.partner import load_indicators
    from cspkit.ingest.police_uk import load_police_uk
    from tests.conftest import sample_file

    load_police_uk(con, [sample_file(f"{y}-0{m}") for y in (2024, 2025) for m in (1, 2, 3, 4)])
    registry = tmp_path / "registry.csv"
    registry.write_text(
        "indicator,name,unit,polarity,denominator_basis,source_agency\n"
        "deliberate-fires,Deliberate fires,count,higher-is-worse,persons,Fire service\n",
        encoding="utf-8",
    )
    values = ["indicator,area,period_start,period_end,value"]
    fires = {"E07000110": (12, 9, 15, 20, 30, 25, 31, 40), "Ashford": (5, 6, 7, 8, 4, 3, 2, 1)}
    for area, numbers in fires.items():
        months = [f"{y}-0{m}" for y in (2024, 2025) for m in (1, 2, 3, 4)]
        for month, n in zip(months, numbers, strict=True):
            end = {"01": 31, "02": 29 if month.startswith("2024") else 28, "03": 31, "04": 30}
            values.append(f"deliberate-fires,{area},{month}-01,{month}-{end[month[-2:]]},{n}")
    path = tmp_path / "fires.csv"
    path.write_text("\n".join(values) + "\n", encoding="utf-8")
    load_indicators(con, path, registry_path=registry)

    o = build_overview(con, "Maidstone", parse_period("2025-01..2025-04"))
    row = next(r for r in o.rows if r.indicator_id == "deliberate-fires")
    assert (row.current, row.previous) == (126.0, 56.0)
    assert row.pct_change == pytest.approx(125.0)
    expected = compare_counts(126, 56)
    assert row.p_value == pytest.approx(expected.p_value)
    assert row.rate_per_1000 == pytest.approx(126 / 173_132 * 1000)
    assert (row.rank, row.rank_of) == ("2", 2)  # Ashford (10 fires) has the lower rate


def test_a_percentage_is_ranked_on_its_value_and_changes_in_points(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    from cspkit.ingest.partner import load_indicators
    from cspkit.ingest.police_uk import load_police_uk
    from tests.conftest import sample_file

    load_police_uk(con, [sample_file(f"{y}-0{m}") for y in (2024, 2025) for m in (1, 2, 3, 4)])
    registry = tmp_path / "registry.csv"
    registry.write_text(
        "indicator,name,unit,polarity,denominator_basis,source_agency\n"
        "feeling-safe,Feeling safe after dark,percent,higher-is-better,none,Survey\n",
        encoding="utf-8",
    )
    values = tmp_path / "survey.csv"
    values.write_text(
        "indicator,area,period_start,period_end,value\n"
        "feeling-safe,Maidstone,2024-01-01,2024-04-30,61.0\n"
        "feeling-safe,Maidstone,2025-01-01,2025-04-30,57.5\n"
        "feeling-safe,Ashford,2024-01-01,2024-04-30,55.0\n"
        "feeling-safe,Ashford,2025-01-01,2025-04-30,52.0\n",
        encoding="utf-8",
    )
    load_indicators(con, values, registry_path=registry)
    o = build_overview(con, "Maidstone", parse_period("2025-01..2025-04"))
    row = next(r for r in o.rows if r.indicator_id == "feeling-safe")
    assert (row.current, row.previous) == (57.5, 61.0)
    assert row.change == pytest.approx(-3.5)
    assert row.pct_change is None and row.p_value is None and not row.significant
    assert row.rate_per_1000 is None
    assert (row.rank, row.rank_of) == ("1", 2)  # higher is better: Maidstone's 57.5 > 52.0
    assert "percentage points" in row.note


def test_twelve_months_against_three_compares_monthly_rates(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    # 2025 (12 months) against January-March 2024 (3 months): counts are not comparable, rates
    # per month are. Hand check: 13,618 / 12 = 1,134.8 a month against 3,777 / 3 = 1,259.0.
    o = build_overview(
        sample_con, "Maidstone", parse_period("2025"), compare=parse_period("2024Q1")
    )
    assert o.comparison is not None and not o.comparison.like_for_like
    row = next(r for r in o.rows if r.indicator_id == "all-crime")
    previous = _count(sample_con, "E07000110", "2024-01-01", "2024-03-01", False)
    assert (row.current, row.previous) == (13_618, previous)
    assert row.rate_adjusted
    assert row.pct_change == pytest.approx((13_618 / 12) / (previous / 3) * 100 - 100)
    assert row.pct_change is not None and row.pct_change < 0  # the count rose, the rate fell
    assert row.rate_ratio == pytest.approx((13_618 / 12) / (previous / 3))
    same = compare_counts(13_618, previous, current_exposure=12, previous_exposure=3)
    assert row.p_value == pytest.approx(same.p_value)
    assert row.ratio_lower == pytest.approx(same.ratio_lower)
    assert row.ratio_upper == pytest.approx(same.ratio_upper)
    assert row.ratio_lower is not None and row.ratio_lower < row.rate_ratio < row.ratio_upper
    assert row.change_text.startswith("rate down")
    assert any("differ in length" in n and "rates per month" in n for n in o.notes)


def test_like_for_like_direction_compares_the_ranks_of_the_same_months(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    o = build_overview(sample_con, "Maidstone", parse_period("2025"))
    for r in o.rows:
        if r.rank_compared is None or r.previous_rank is None:
            continue
        now, before = int(r.rank_compared.lstrip("=")), int(r.previous_rank.lstrip("="))
        expected = "improved" if now < before else "worsened" if now > before else "no change"
        assert r.direction == expected, r.indicator
    row = next(r for r in o.rows if r.indicator_id == "all-crime")
    assert (row.rank, row.rank_compared, row.previous_rank) == ("7", "7", "8")
    assert not row.rate_adjusted  # four months against four, same population


def test_no_ranks_without_three_peers(sample_con: duckdb.DuckDBPyConnection) -> None:
    o = build_overview(sample_con, "Maidstone", parse_period("2025"), peers=["Maidstone", "Swale"])
    assert not o.ranked
    assert all(r.rank is None and r.rank_compared is None for r in o.rows)
    assert all(r.direction == "not available" for r in o.rows)
    assert any("--peers" in n and "fewer than 3" in n for n in o.notes)
