"""Tests for XmR charts with the Making Data Count rules."""

from __future__ import annotations

import math

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cspkit.errors import InputError
from cspkit.stats.polarity import Polarity
from cspkit.stats.spc import (
    MR_SCREEN_FACTOR,
    NEAR_LIMIT_FACTOR,
    XMR_LIMIT_FACTOR,
    Assurance,
    PointType,
    Rule,
    SpcOptions,
    shift_points,
    special_cause_type,
    trend_points,
    two_of_three_points,
    xmr,
)

# R: set.seed(123); rnorm(20). The series used by NHSRplotthedots'
# tests/testthat/test-ptd_spc_standard.R ("it returns expected values"); the expected
# mean and limits below are its snapshot tests/testthat/_snaps/ptd_spc_standard.md.
RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774,
    1.71506499, 0.46091621, -1.26506123, -0.68685285, -0.44566197,
    1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113,
    1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def test_constants() -> None:
    assert XMR_LIMIT_FACTOR == 2.66
    assert pytest.approx(2.66 * 2 / 3) == NEAR_LIMIT_FACTOR
    assert MR_SCREEN_FACTOR == 3.267


def test_limits_match_nhsrplotthedots_snapshot() -> None:
    seg = xmr(RNORM_123).segments[0]
    assert seg.mean == pytest.approx(0.1416238, abs=1e-7)
    assert seg.lower == pytest.approx(-3.01138, abs=1e-5)
    assert seg.upper == pytest.approx(3.294627, abs=1e-6)
    assert seg.moving_ranges_screened == 0


def test_screened_and_unscreened_limits_match_nhsrplotthedots_snapshot() -> None:
    # Same test file: data$y[15] <- 10 (1-based), then screen_outliers TRUE and FALSE.
    ys = list(RNORM_123)
    ys[14] = 10.0
    screened = xmr(ys).segments[0]
    assert screened.mean == pytest.approx(0.6694159, abs=1e-7)
    assert screened.lower == pytest.approx(-2.383666, abs=1e-6)
    assert screened.upper == pytest.approx(3.722497, abs=1e-6)
    assert screened.moving_ranges_screened == 2
    raw = xmr(ys, SpcOptions(screen_outliers=False)).segments[0]
    assert raw.lower == pytest.approx(-4.596625, abs=1e-6)
    assert raw.upper == pytest.approx(5.935457, abs=1e-6)
    assert xmr(ys).points[14].rule is Rule.OUTSIDE_LIMITS


def test_near_limits_two_thirds_of_the_way() -> None:
    seg = xmr(RNORM_123).segments[0]
    assert seg.near_upper - seg.mean == pytest.approx((seg.upper - seg.mean) * 2 / 3)
    assert seg.mean - seg.near_lower == pytest.approx((seg.mean - seg.lower) * 2 / 3)


# Rule helper vectors below are NHSRplotthedots' tests/testthat/test-ptd_calculate_point_type.R
# (ptd_seven_point_one_side_mean, ptd_seven_point_trend, ptd_two_in_three,
# ptd_part_of_two_in_three), re-expressed as "every point that is part of the run".


def test_shift_vectors() -> None:
    assert shift_points([], 7) == []
    assert shift_points([1] * 6, 7) == [0] * 6
    assert shift_points([1] * 6 + [-1], 7) == [0] * 7
    assert shift_points([1] * 8 + [-1], 7) == [1] * 8 + [0]
    assert shift_points([-1] * 8 + [1], 7) == [-1] * 8 + [0]
    assert shift_points([1] * 6 + [1], 6) == [1] * 7


def test_a_point_on_the_mean_breaks_a_run() -> None:
    assert shift_points([1, 1, 1, 0, 1, 1, 1, 1], 7) == [0] * 8
    # mean exactly 10: seven points above it except one on it, then seven below except one
    ys = [13.0, 11.0, 12.0, 10.0, 11.0, 13.0, 12.0, 8.0, 9.0, 7.0, 8.0, 9.0, 10.0, 7.0]
    res = xmr(ys)
    assert res.segments[0].mean == 10.0
    assert [p.rule for p in res.points] == [None] * 14
    assert xmr([*ys[:3], 11.0, *ys[4:]]).points[0].rule is Rule.SHIFT


def test_trend_vectors() -> None:
    assert trend_points([], 7) == []
    assert trend_points([1, 2, 3, 4, 5, 6], 7) == [0] * 6
    assert trend_points([1, 2, 3, 3, 4, 5, 6], 7) == [0] * 7  # a tie breaks a trend
    assert trend_points(list(range(1, 8)), 7) == [1] * 7
    assert trend_points([2, 1, 2, 3, 4, 5, 6, 7, 3], 7) == [0] + [1] * 7 + [0]
    assert trend_points([7, 6, 5, 4, 3, 2, 1], 7) == [-1] * 7
    assert trend_points([2, 7, 6, 5, 4, 3, 2, 1, 3], 7) == [0] + [-1] * 7 + [0]


def test_two_of_three_vectors() -> None:
    same = [1] * 7
    assert two_of_three_points([1] * 3, [False] * 3) == [0, 0, 0]
    for near in ([True, False, True], [False, True, True], [True, True, False]):
        assert two_of_three_points([1] * 3, near) == [int(n) for n in near]
    n = [bool(v) for v in (0, 0, 1, 0, 1, 0, 0)]
    assert two_of_three_points(same, n) == [0, 0, 1, 0, 1, 0, 0]
    n = [bool(v) for v in (1, 0, 0, 1)]
    assert two_of_three_points([1] * 4, n) == [0, 0, 0, 0]
    n = [bool(v) for v in (1, 0, 0, 1, 1)]
    assert two_of_three_points([1] * 5, n) == [0, 0, 0, 1, 1]
    # all three points must be on the same side of the mean
    assert two_of_three_points([1, -1, 1], [True, False, True]) == [0, 0, 0]


def test_two_near_points_on_opposite_sides_are_common_cause() -> None:
    # NHSRplotthedots test-ptd_spc_standard.R: "it only reports special cause for 2 of 3
    # points close to limits when they are on the same side of the mean".
    ys = [1.0, -1.0] * 8
    ys[14], ys[15] = 5.5, -5.5
    res = xmr(ys)
    assert [p.point_type for p in res.points[-2:]] == [PointType.COMMON_CAUSE] * 2


def test_two_of_three_flags_only_the_near_points() -> None:
    ys = [10.0, 12.0] * 8
    ys[12], ys[13], ys[14] = 17.0, 12.0, 17.0
    res = xmr(ys)
    assert res.segments[0].near_upper < 17.0 < res.segments[0].upper
    assert res.points[12].rule is Rule.TWO_OF_THREE
    assert res.points[14].rule is Rule.TWO_OF_THREE
    assert res.points[13].rule is None


def test_polarity_orients_point_types() -> None:
    ys = [10.0, 12.0, 9.0, 11.0, 10.0, 12.0, 9.0, 11.0, 10.0, 12.0, 9.0, 11.0, 30.0]
    worse = xmr(ys)
    assert worse.points[-1].rule is Rule.OUTSIDE_LIMITS
    assert worse.points[-1].point_type is PointType.CONCERN
    assert worse.summary.variation is PointType.CONCERN
    better = xmr(ys, SpcOptions(polarity=Polarity.HIGHER_IS_BETTER))
    assert better.points[-1].point_type is PointType.IMPROVEMENT
    neutral = xmr(ys, SpcOptions(polarity=Polarity.NEUTRAL))
    assert neutral.points[-1].point_type is PointType.NEITHER_HIGH
    assert neutral.summary.special_cause_neither == 1


def test_outside_limits_takes_precedence_and_keeps_every_rule() -> None:
    ys = [5.0, 6.0, 5.0, 6.0, 5.0, 6.0, 5.0, 6.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 30.0]
    res = xmr(ys)
    last = res.points[-1]
    assert last.rules == (Rule.OUTSIDE_LIMITS, Rule.TREND)
    assert last.rule is Rule.OUTSIDE_LIMITS
    assert last.special_cause_type == "Above UCL"
    assert [p.special_cause_type for p in res.points[9:]] == [
        "7 Points Below CL",
        "Below LCL",
        "Below LCL",
        *["7 Point Trend (Increasing)"] * 4,
        "Above UCL",
    ]
    assert last.point_type is PointType.CONCERN


def test_a_point_above_the_upper_limit_is_never_an_improvement_where_lower_is_better() -> None:
    # 40 is above the upper limit and starts a 7-point fall: NHSRplotthedots labels it by its
    # side of the mean ("Above UCL"), not by the trend, so it is a concern.
    ys = [
        5.0,
        6.0,
        5.0,
        6.0,
        5.0,
        6.0,
        5.0,
        6.0,
        5.0,
        6.0,
        40.0,
        35.0,
        30.0,
        25.0,
        20.0,
        15.0,
        10.0,
    ]
    res = xmr(ys)
    first = res.points[10]
    assert first.rules == (Rule.OUTSIDE_LIMITS, Rule.TREND)
    assert first.special_cause_type == "Above UCL"
    assert first.point_type is PointType.CONCERN
    inside = [p for p in res.points[11:] if Rule.OUTSIDE_LIMITS not in p.rules]
    assert inside and all(p.special_cause_type == "7 Point Trend (Decreasing)" for p in inside)
    assert all(p.point_type is PointType.IMPROVEMENT for p in inside)


def test_special_cause_type_reproduces_the_reference_vector() -> None:
    # NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R, "ptd_special_cause_type
    # works as expected": y = 1:8, relative_to_mean = (1,1,1,1,-1,-1,-1,-1), trend parts
    # (1,-1,0,...), shift parts (0,0,1,-1,0,...), two-in-three part at 5, outside at 6 and 7.
    # Directions are those the reference uses: the step of y for a trend, the side otherwise.
    fired: list[dict[Rule, int]] = [
        {Rule.TREND: 1},
        {Rule.TREND: 1},
        {Rule.SHIFT: 1},
        {Rule.SHIFT: 1},
        {Rule.TWO_OF_THREE: -1},
        {Rule.OUTSIDE_LIMITS: -1},
        {Rule.OUTSIDE_LIMITS: -1},
        {},
    ]
    assert [special_cause_type(f) for f in fired] == [
        "7 Point Trend (Increasing)",
        "7 Point Trend (Increasing)",
        "7 Points Above CL",
        "7 Points Above CL",
        "2 in 3 Below CL",
        "Below LCL",
        "Below LCL",
        "Common Cause",
    ]


def test_trend_direction_at_a_join_follows_the_reference() -> None:
    # A rise of 7 then a fall of 7 sharing the peak: the peak takes the later (falling) step,
    # as NHSRplotthedots' "use right side" rule does.
    ys = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0]
    assert trend_points(ys, 7) == [1] * 6 + [-1] * 7


def test_east_lindsey_july_2019_violence_above_the_limit_is_a_concern(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    rows = sample_con.execute(
        "SELECT strftime(month, '%Y-%m'), count(*) FROM crimes WHERE lad_code = 'E07000137' "
        "AND category = 'Violence and sexual offences' GROUP BY ALL ORDER BY 1"
    ).fetchall()
    labels, ys = [str(m) for m, _ in rows], [float(n) for _, n in rows]
    assert len(ys) == 36
    point = xmr(ys, labels=labels).points[labels.index("2019-07")]
    assert point.value == 577
    assert point.value > point.upper
    assert Rule.TREND in point.rules  # the fall that follows it is a 7-point trend
    assert point.special_cause_type == "Above UCL"
    assert point.point_type is PointType.CONCERN


def test_shift_of_six_when_configured() -> None:
    ys = [10.0, 11.0, 9.0, 10.0, 11.0, 9.0, 10.0, 11.0, 9.0, 11.0, 12.0, 11.0, 12.0, 11.0, 12.0]
    assert all(p.rule is None for p in xmr(ys).points[-6:])
    six = xmr(ys, SpcOptions(shift_length=6)).points[-6:]
    assert all(p.rule is Rule.SHIFT for p in six)


def test_constant_series_has_no_special_cause() -> None:
    res = xmr([4.0] * 15)
    seg = res.segments[0]
    assert (seg.mean, seg.lower, seg.upper, seg.mean_moving_range) == (4.0, 4.0, 4.0, 0.0)
    assert all(p.point_type is PointType.COMMON_CAUSE for p in res.points)
    assert res.warnings == ()


def test_rebase_computes_limits_per_segment_and_runs_do_not_cross() -> None:
    before = [10.0, 12.0, 11.0, 13.0, 10.0, 12.0, 11.0, 13.0, 10.0, 12.0, 11.0, 13.0]
    after = [x + 20 for x in before]
    labels = [f"2023-{m:02d}" for m in range(1, 13)] + [f"2024-{m:02d}" for m in range(1, 13)]
    res = xmr(before + after, SpcOptions(rebase_at=("2024-01",)), labels=labels)
    assert [s.mean for s in res.segments] == [11.5, 31.5]
    assert (res.segments[0].start, res.segments[0].end, res.segments[1].start) == (0, 11, 12)
    assert all(p.point_type is PointType.COMMON_CAUSE for p in res.points)
    assert res.points[12].label == "2024-01" and res.points[12].segment == 1
    unrebased = xmr(before + after)
    assert unrebased.points[-1].rules == (Rule.OUTSIDE_LIMITS, Rule.SHIFT)


def test_fixed_baseline_uses_first_n_points() -> None:
    ys = [10.0, 12.0, 11.0, 13.0, 10.0, 12.0, 11.0, 13.0, 10.0, 12.0, 11.0, 13.0, 30.0, 31.0]
    seg = xmr(ys, SpcOptions(fix_after_n_points=12)).segments[0]
    assert seg.mean == 11.5
    assert seg.baseline_points == 12
    # moving ranges 2,1,2,3,2,1,2,3,2,1,2 -> mean 21/11
    assert seg.mean_moving_range == pytest.approx(21 / 11)


def test_assurance_against_target() -> None:
    ys = [10.0, 12.0, 11.0, 13.0, 10.0, 12.0, 11.0, 13.0, 10.0, 12.0, 11.0, 13.0]
    seg = xmr(ys).segments[0]
    assert xmr(ys, SpcOptions(target=seg.upper + 1)).summary.assurance is Assurance.CONSISTENT_PASS
    assert xmr(ys, SpcOptions(target=seg.lower - 1)).summary.assurance is Assurance.CONSISTENT_FAIL
    assert xmr(ys, SpcOptions(target=11.5)).summary.assurance is Assurance.INCONSISTENT
    better = SpcOptions(target=seg.upper + 1, polarity=Polarity.HIGHER_IS_BETTER)
    assert xmr(ys, better).summary.assurance is Assurance.CONSISTENT_FAIL
    assert xmr(ys, SpcOptions(target=5.0, polarity=Polarity.NEUTRAL)).summary.assurance is None
    assert xmr(ys).summary.assurance is None


def test_summary_explanation_words() -> None:
    ys = [10.0, 12.0, 11.0, 13.0, 10.0, 12.0, 11.0, 13.0, 10.0, 12.0, 11.0, 13.0]
    labels = [f"2024-{m:02d}" for m in range(1, 13)]
    s = xmr(ys, SpcOptions(target=20.0), labels=labels).summary
    assert s.variation is PointType.COMMON_CAUSE
    assert s.explanation.startswith("The latest value (2024-12) is 13 against a mean of 11.5")
    assert "common cause variation" in s.explanation
    assert "consistently passes the target" in s.explanation


def test_too_few_points_is_flagged_not_hidden() -> None:
    res = xmr([3.0, 5.0, 4.0, 6.0])
    assert res.too_few_points
    assert "at least 12" in res.warnings[0]
    assert "fewer than the 12 recommended" in res.summary.explanation


def test_zero_width_limits_after_screening_are_warned() -> None:
    res = xmr([5.0] * 11 + [20.0])
    assert res.segments[0].mean_moving_range == 0.0
    assert any("no width" in w for w in res.warnings)


@pytest.mark.parametrize(
    ("values", "options", "message"),
    [
        ([], SpcOptions(), "empty"),
        ([1.0], SpcOptions(), "at least 2 points"),
        ([1.0, math.nan, 2.0], SpcOptions(), "position 1"),
        ([1.0, 2.0, 3.0], SpcOptions(shift_length=5), "shift length"),
        ([1.0, 2.0, 3.0], SpcOptions(trend_length=2), "trend length"),
        ([1.0, 2.0, 3.0], SpcOptions(rebase_at=(2,)), "at least 2 points"),
        ([1.0, 2.0, 3.0], SpcOptions(rebase_at=(9,)), "index 9"),
        ([1.0, 2.0, 3.0], SpcOptions(rebase_at=("2024-01",)), "no point has that label"),
        ([1.0, 2.0, 3.0], SpcOptions(fix_after_n_points=1), "fixed baseline"),
    ],
)
def test_invalid_input_is_named(values: list[float], options: SpcOptions, message: str) -> None:
    with pytest.raises(InputError, match=message):
        xmr(values, options)


series = st.lists(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2, max_size=40
)


@given(series)
def test_limits_are_symmetric_about_the_mean(ys: list[float]) -> None:
    for seg in xmr(ys).segments:
        assert seg.upper - seg.mean == pytest.approx(seg.mean - seg.lower, abs=1e-6)
        assert seg.near_upper - seg.mean == pytest.approx(seg.mean - seg.near_lower, abs=1e-6)
        assert seg.lower <= seg.near_lower <= seg.mean <= seg.near_upper <= seg.upper


@given(series, st.floats(min_value=0.01, max_value=100))
def test_scaling_the_data_scales_the_limits(ys: list[float], k: float) -> None:
    a, b = xmr(ys).segments[0], xmr([k * y for y in ys]).segments[0]
    for x, y in ((a.mean, b.mean), (a.lower, b.lower), (a.upper, b.upper)):
        assert y == pytest.approx(k * x, rel=1e-6, abs=1e-3)


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(2, 40))
def test_a_constant_series_has_no_special_cause(value: float, n: int) -> None:
    res = xmr([value] * n)
    assert all(p.point_type is PointType.COMMON_CAUSE and p.rules == () for p in res.points)
