"""The trends section: monthly series, unbroken runs, SPC wording, figures and snapshots."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from cspkit.assessment.context import SectionContext
from cspkit.assessment.sections import trends
from cspkit.assessment.sections.trends_series import (
    MonthlyCounts,
    TrendSeries,
    consecutive_run,
    episodes,
    monthly_category_counts,
    rolling_totals,
    runs_of_months,
    trend_series,
)
from cspkit.assessment.sections.trends_text import alt_text, finding
from cspkit.report.blocks import Figure, Paragraph, Section, Table
from cspkit.stats.periods import Period, add_months, parse_period
from cspkit.stats.spc import PointType, Rule
from cspkit.warehouse.registry import ALL_CRIME_ID, ASB_ID, police_indicators
from cspkit.warehouse.series import monthly_series, resolve_district
from tests.snapshots import assert_section_snapshot

MAIDSTONE, LINCOLN = "E07000110", "E07000138"
ASB = "Anti-social behaviour"
INDICATORS = {i.id: i for i in police_indicators()}


def _ctx(
    con: duckdb.DuckDBPyConnection, area: str, period: str, public: bool = False
) -> SectionContext:
    return SectionContext(resolve_district(con, area), parse_period(period), None, (), public)


def _monthly(
    con: duckdb.DuckDBPyConnection, lad: str, first: str, last: str, asb: bool
) -> list[int]:
    """Direct SQL: records per month (months with records only) for all crime or ASB."""
    op = "=" if asb else "<>"
    rows = con.execute(
        f"SELECT month, count(*) FROM crimes WHERE lad_code = ? AND month BETWEEN ? AND ? "
        f"AND category {op} '{ASB}' GROUP BY month ORDER BY month",
        [lad, first, last],
    ).fetchall()
    return [int(n) for _, n in rows]


def _figures(section: Section) -> dict[str, Figure]:
    return {b.id: b for b in section.blocks if isinstance(b, Figure)}


def _paragraphs(section: Section) -> list[str]:
    return [b.text for b in section.blocks if isinstance(b, Paragraph)]


def _summary(section: Section) -> Table:
    return next(b for b in section.blocks if isinstance(b, Table) and b.id == "trends-summary")


@pytest.fixture(scope="module")
def maidstone(sample_con: duckdb.DuckDBPyConnection) -> Section:
    section = trends.build(sample_con, _ctx(sample_con, "Maidstone", "2025"))
    assert section is not None
    return section


@pytest.fixture(scope="module")
def lincoln(sample_con: duckdb.DuckDBPyConnection) -> Section:
    section = trends.build(sample_con, _ctx(sample_con, "Lincoln", "12m:2020-01"))
    assert section is not None
    return section


# --- series and runs -------------------------------------------------------------------------


@pytest.mark.parametrize("lad", [MAIDSTONE, LINCOLN])
@pytest.mark.parametrize("indicator_id", [ALL_CRIME_ID, ASB_ID])
def test_one_pass_counts_equal_the_warehouse_monthly_series(
    sample_con: duckdb.DuckDBPyConnection, lad: str, indicator_id: str
) -> None:
    counts = monthly_category_counts(sample_con, lad)
    expected = monthly_series(sample_con, indicator_id, lad)
    assert list(counts.months) == [m for m, _ in expected]
    assert counts.indicator_values(INDICATORS[indicator_id]) == tuple(int(v) for _, v in expected)


def test_consecutive_run_ends_at_the_latest_month_held_up_to_the_end() -> None:
    held = [date(2024, m, 1) for m in range(1, 5)] + [date(2025, m, 1) for m in range(1, 13)]
    assert consecutive_run(held, date(2025, 12, 1)) == (4, 15)
    assert consecutive_run(held, date(2026, 6, 1)) == (4, 15)
    assert consecutive_run(held, date(2025, 3, 1)) == (4, 6)
    assert consecutive_run(held, date(2024, 9, 1)) == (0, 3)  # in the gap: the earlier run
    assert consecutive_run(held, date(2023, 12, 1)) is None
    assert consecutive_run([], date(2025, 1, 1)) is None


def test_runs_of_months_groups_unbroken_months() -> None:
    held = [
        date(2024, 1, 1),
        date(2024, 2, 1),
        date(2024, 4, 1),
        date(2024, 12, 1),
        date(2025, 1, 1),
    ]
    assert runs_of_months(held) == [
        (date(2024, 1, 1), date(2024, 2, 1)),
        (date(2024, 4, 1), date(2024, 4, 1)),
        (date(2024, 12, 1), date(2025, 1, 1)),
    ]


def test_rolling_totals_by_hand() -> None:
    assert rolling_totals([1, 2, 3, 4, 5], window=3) == [6, 9, 12]
    assert rolling_totals(list(range(12))) == [66]
    assert rolling_totals([1, 2], window=3) == []


def _series(values: list[int]) -> TrendSeries:
    months = tuple(add_months(date(2020, 1, 1), i) for i in range(len(values)))
    counts = MonthlyCounts(months, {ASB: tuple(values)})
    return trend_series(counts, INDICATORS[ASB_ID], 0, len(values) - 1)


def test_episodes_group_consecutive_points_of_one_type() -> None:
    # 8 months at 10 then 8 at 20: mean 15, every month on a side; the moving ranges are 0
    # except one of 10, so the screened mean moving range is 0 and all 16 points are beyond
    # the (zero-width) limits, which name them (outside the limits comes first, as in
    # NHSRplotthedots).
    s = _series([10] * 8 + [20] * 8)
    found = episodes(s.result)
    assert [(e.point_type, e.first, e.last, e.high) for e in found] == [
        (PointType.IMPROVEMENT, 0, 7, False),
        (PointType.CONCERN, 8, 15, True),
    ]
    assert found[1].rules == (Rule.OUTSIDE_LIMITS,)
    assert found[1].beyond_limits == tuple(range(8, 16))


def test_a_single_point_beyond_the_limits_is_one_episode() -> None:
    # alternating 18, 22 around a mean of 21.2 (no run), with 50 in December 2020; the two
    # large moving ranges around it are screened out, so the upper limit is about 31.8.
    values = [18, 22] * 12
    values[11] = 50
    s = _series(values)
    (ep,) = episodes(s.result)
    assert (ep.point_type, ep.first, ep.last, ep.rules) == (
        PointType.CONCERN,
        11,
        11,
        (Rule.OUTSIDE_LIMITS,),
    )
    text = alt_text(s, "Testshire", _ctx_stub())
    assert "common-cause variation in the latest month (December 2021)" in text
    assert "a month above the upper process limit (December 2020)" in text


def _ctx_stub(public: bool = False) -> SectionContext:
    from cspkit.warehouse.series import District

    period = Period(date(2020, 1, 1), date(2020, 12, 1), "2020", "calendar-year")
    return SectionContext(District("E0", "Testshire", "Test", "test"), period, None, (), public)


def test_public_findings_never_state_a_small_count() -> None:
    # 8 months of 1 then 7 of 3: mean 29/15, the last 7 are a shift above it (concern).
    s = _series([1] * 8 + [3] * 7)
    assert s.result.summary.variation is PointType.CONCERN
    public = finding(s, "Testshire", _ctx_stub(public=True))
    assert "recorded fewer than 5 against" in public
    assert "recorded 3 against" in finding(s, "Testshire", _ctx_stub())


# --- Maidstone 2025 --------------------------------------------------------------------------


def test_maidstone_charts_the_12_months_of_2025_and_says_why_2024_is_left_out(
    sample_con: duckdb.DuckDBPyConnection, maidstone: Section
) -> None:
    figures = _figures(maidstone)
    assert set(figures) == {"trends-all-crime", "trends-asb"}  # no rolling chart under 24 months
    for fig_id, asb in (("trends-all-crime", False), ("trends-asb", True)):
        table = figures[fig_id].table
        assert table is not None
        assert table.rows[0][0] == "January 2025"
        counts = _monthly(sample_con, MAIDSTONE, "2025-01-01", "2025-12-01", asb)
        assert [r[1] for r in table.rows] == counts
        assert table.rows[0][2] == pytest.approx(sum(counts) / 12)
    text = " ".join(_paragraphs(maidstone))
    assert "January 2025 to December 2025 (12 months)" in text
    assert "also holds January 2024 to April 2024, but not consecutively" in text
    assert "(8 months missing in between)" in text


def test_maidstone_findings(sample_con: duckdb.DuckDBPyConnection, maidstone: Section) -> None:
    all_crime, asb, categories = maidstone.key_findings
    assert all_crime.startswith("Monthly all crime in Maidstone shows only common-cause variation")
    # ASB: July 2025 is the one month above the upper limit; the latest month is common cause.
    july = _monthly(sample_con, MAIDSTONE, "2025-07-01", "2025-07-01", True)[0]
    asb_table = _figures(maidstone)["trends-asb"].table
    assert asb_table is not None
    upper = asb_table.rows[0][4]
    assert isinstance(upper, float) and july > upper
    assert (
        "Earlier, special cause of concern: a month above the upper process limit (July 2025)"
        in asb
    )
    assert categories == (
        "All 10 crime categories charted for Maidstone show common-cause variation in the "
        "latest month."
    )
    for word in ("rose", "fell", "increase", "decrease"):
        assert word not in " ".join(maidstone.key_findings)


def test_categories_are_charted_only_with_enough_volume(
    sample_con: duckdb.DuckDBPyConnection, maidstone: Section
) -> None:
    rows = sample_con.execute(
        "SELECT category, count(*) / 12 FROM crimes WHERE lad_code = ? AND month >= '2025-01-01' "
        "AND category <> ? GROUP BY category",
        [MAIDSTONE, ASB],
    ).fetchall()
    enough = {c for c, mean in rows if mean >= trends.MIN_MONTHLY_MEAN}
    summary = _summary(maidstone)
    names = [r[0] for r in summary.rows]
    assert names[:2] == ["All crime", "Anti-social behaviour"]
    assert set(names[2:]) == enough
    assert {"Bicycle theft", "Robbery", "Theft from the person"}.isdisjoint(names)
    assert any(
        "not charted: Bicycle theft, Robbery and Theft from the person" in n for n in summary.notes
    )
    assert all(len(r) == len(summary.columns) for r in summary.rows)


# --- Lincoln, 36 months to January 2020 ------------------------------------------------------


def test_lincoln_all_crime_is_special_cause_of_concern(
    sample_con: duckdb.DuckDBPyConnection, lincoln: Section
) -> None:
    fig = _figures(lincoln)["trends-all-crime"]
    assert fig.table is not None and len(fig.table.rows) == 36
    counts = _monthly(sample_con, LINCOLN, "2017-02-01", "2020-01-01", False)
    assert [r[1] for r in fig.table.rows] == counts
    mean = sum(counts) / 36
    # The last 11 months (March 2019 onwards) are above the mean; February 2019 is not.
    assert all(c > mean for c in counts[-11:]) and counts[-12] <= mean
    assert fig.alt.startswith(
        "All crime in Lincoln: February 2017 to January 2020 (36 months); special-cause "
        "variation of concern: a run of 7 or more months above the mean, March 2019 to "
        "January 2020 (11 months)"
    )
    assert lincoln.key_findings[0].startswith(
        "Monthly all crime in Lincoln shows special-cause variation of concern: a run of 7 or "
        "more months above the mean"
    )
    assert f"recorded {counts[-1]:,} against a mean of {mean:,.1f}" in lincoln.key_findings[0]


def test_lincoln_asb_shift_is_flagged_as_a_possible_recording_change(
    sample_con: duckdb.DuckDBPyConnection, lincoln: Section
) -> None:
    counts = _monthly(sample_con, LINCOLN, "2017-02-01", "2020-01-01", True)
    mean = sum(counts) / len(counts)
    # Independently: the latest run of months below the mean starts where?
    start = len(counts)
    while start > 0 and counts[start - 1] < mean:
        start -= 1
    assert len(counts) - start >= 7
    first_month = add_months(date(2017, 2, 1), start)
    assert first_month == date(2018, 10, 1)
    notes = [p for p in _paragraphs(lincoln) if p.startswith("A sustained shift in anti-social")]
    assert len(notes) == 1
    assert "around October 2018 (late 2018)" in notes[0]
    assert "recorded and classified" in notes[0]
    assert "special-cause variation of improvement" in lincoln.key_findings[1]
    assert "change in recording practice" in lincoln.key_findings[1]


def test_lincoln_rolling_totals_are_context_only(
    sample_con: duckdb.DuckDBPyConnection, lincoln: Section
) -> None:
    fig = _figures(lincoln)["trends-all-crime-rolling"]
    assert "context only" in fig.caption and "not tested" in fig.caption
    assert fig.table is not None and len(fig.table.rows) == 36 - 12 + 1
    assert [c.name for c in fig.table.columns] == ["12 months to", "Records"]
    row = sample_con.execute(
        "SELECT count(*) FROM crimes WHERE lad_code = ? AND category <> ? "
        "AND month BETWEEN '2019-02-01' AND '2020-01-01'",
        [LINCOLN, ASB],
    ).fetchone()
    assert row is not None and fig.table.rows[-1] == ("January 2020", row[0])
    assert "Context only: not tested with SPC rules." in fig.alt


def test_lincoln_categories_of_concern(lincoln: Section) -> None:
    summary = {r[0]: r for r in _summary(lincoln).rows}
    concern = sorted(str(n) for n, r in summary.items() if r[6] == PointType.CONCERN.value)
    assert concern == [
        "All crime",
        "Criminal damage and arson",
        "Public order",
        "Violence and sexual offences",
    ]
    assert lincoln.key_findings[2] == (
        "Of the 11 crime categories charted for Lincoln, the latest month shows special cause "
        "of concern in Criminal damage and arson, Public order and Violence and sexual offences; "
        "the others show common-cause variation."
    )


# --- fewer points than the SPC minimum, and no data ------------------------------------------


def test_too_few_months_are_shown_without_run_rule_tests(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    section = trends.build(sample_con, _ctx(sample_con, "Maidstone", "2024-01..2024-04"))
    assert section is not None
    fig = _figures(section)["trends-all-crime"]
    assert fig.table is not None and len(fig.table.rows) == 4
    assert {r[7] for r in fig.table.rows} == {"not tested (too few months)"}
    assert "without run-rule tests" in fig.alt
    assert section.key_findings[0] == (
        "Monthly all crime in Maidstone is charted over only 4 months, fewer than the 12 SPC "
        "needs, so the chart is shown without run-rule tests."
    )


def test_an_empty_warehouse_says_there_is_nothing_to_chart(
    sample_con: duckdb.DuckDBPyConnection, con: duckdb.DuckDBPyConnection
) -> None:
    ctx = _ctx(sample_con, "Maidstone", "2025")
    section = trends.build(con, ctx)
    assert section is not None and section.blocks == (
        Paragraph(
            "The warehouse holds no month of records for Maidstone up to December 2025, so "
            "there is no monthly series to chart."
        ),
    )


# --- rendering -------------------------------------------------------------------------------


def test_charts_mark_point_types_by_shape_and_label(lincoln: Section) -> None:
    svg = _figures(lincoln)["trends-asb"].svg
    for label in (
        "Special cause – concern",
        "Special cause – improvement",
        "Common cause",
        "Near limits (dashed)",
        "Mean 365.8",
        "Upper limit 473.3",
        "Lower limit 258.2",
    ):
        assert label in svg
    assert svg.count(">concern<") >= 1 and svg.count(">improvement<") == 1


@pytest.mark.parametrize(
    ("area", "period", "name"),
    [
        ("Maidstone", "2025", "trends-maidstone-2025.html"),
        ("Lincoln", "12m:2020-01", "trends-lincoln-12m-2020-01.html"),
    ],
)
def test_trends_section_snapshot(
    sample_con: duckdb.DuckDBPyConnection, area: str, period: str, name: str
) -> None:
    section = trends.build(sample_con, _ctx(sample_con, area, period))
    assert section is not None
    assert_section_snapshot(section, name)
