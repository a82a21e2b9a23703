"""XmR statistical process control charts with the NHS "Making Data Count" rules.

The method follows NHS England's *Making Data Count* guidance ("Making Data Count:
Getting started", NHS Improvement 2019) as implemented by the R package
NHSRplotthedots (nhs-r-community): individuals (X) chart, centre line at the mean,
process limits at mean +/- 2.66 x mean moving range, near ("2 sigma") limits at
two thirds of that distance, optional screening of moving ranges >= 3.267 x their
mean. Special-cause rules are evaluated separately within each segment (a segment
starts at each rebase point), so a run never crosses a rebase and limits are never
silently recomputed at a signal.

The computation is a pipeline of named verbs::

    validate_options -> compute_limits -> detect_rules -> classify_points -> summarise

Each special-cause point is labelled exactly as NHSRplotthedots' ``ptd_special_cause_type``
does: a point outside the process limits takes its side of the mean ("Above UCL"); otherwise
a point in a trend takes the trend's direction ("7 Point Trend (Increasing)"); otherwise a
two-of-three or shift point takes its side of the mean. So a month above the upper limit is
never an improvement where lower is better. Every rule that fired is also kept on the point.

One difference from NHSRplotthedots, on purpose: shift and trend lengths are configurable
(NHSRplotthedots fixes both at 7); with the defaults the labels are the same.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from cspkit.errors import InputError
from cspkit.stats.polarity import Polarity

XMR_LIMIT_FACTOR = 2.66
"""Process limits sit this many mean moving ranges from the mean (3 sigma for XmR)."""
NEAR_LIMIT_FACTOR = XMR_LIMIT_FACTOR * 2 / 3
"""Near limits ("2 sigma"): two thirds of the way from the mean to the limits."""
MR_SCREEN_FACTOR = 3.267
"""Moving ranges at or above this multiple of the mean moving range are screened out."""
DEFAULT_SHIFT_LENGTH = 7
DEFAULT_TREND_LENGTH = 7
ALLOWED_SHIFT_LENGTHS = (6, 7)
MINIMUM_TREND_LENGTH = 3
MINIMUM_POINTS = 12
"""Fewer points than this in a segment gives unreliable limits (flagged, as NHSRplotthedots)."""
TWO_OF_THREE_WINDOW = 3


class Rule(StrEnum):
    """A special-cause rule."""

    TREND = "trend"
    SHIFT = "shift"
    TWO_OF_THREE = "two of three beyond the near limits"
    OUTSIDE_LIMITS = "outside the process limits"


RULE_PRECEDENCE: tuple[Rule, ...] = (Rule.OUTSIDE_LIMITS, Rule.TREND, Rule.TWO_OF_THREE, Rule.SHIFT)
"""When several rules fire on one point, the first in this order names it (NHSRplotthedots'
``ptd_special_cause_type`` order)."""

COMMON_CAUSE_TYPE = "Common Cause"
"""NHSRplotthedots' special-cause type of a point no rule applies to."""


class PointType(StrEnum):
    """What a point (or the latest point, for the summary) shows."""

    COMMON_CAUSE = "common cause"
    IMPROVEMENT = "special cause – improvement"
    CONCERN = "special cause – concern"
    NEITHER_HIGH = "special cause – neither (high)"
    NEITHER_LOW = "special cause – neither (low)"


class Assurance(StrEnum):
    """Whether the process can be relied on to meet a target (latest segment's limits)."""

    CONSISTENT_PASS = "consistently passes the target"
    CONSISTENT_FAIL = "consistently fails the target"
    INCONSISTENT = "inconsistently passes and fails the target"


@dataclass(frozen=True)
class SpcOptions:
    """Options for :func:`xmr`; ``rebase_at`` holds indices or labels where segments start."""

    polarity: Polarity = Polarity.HIGHER_IS_WORSE
    shift_length: int = DEFAULT_SHIFT_LENGTH
    trend_length: int = DEFAULT_TREND_LENGTH
    screen_outliers: bool = True
    fix_after_n_points: int | None = None
    rebase_at: tuple[int | str, ...] = ()
    target: float | None = None
    minimum_points: int = MINIMUM_POINTS


@dataclass(frozen=True)
class SpcSegment:
    """Limits of one segment (points ``start`` to ``end`` inclusive)."""

    start: int
    end: int
    baseline_points: int
    mean: float
    mean_moving_range: float
    moving_ranges_screened: int
    lower: float
    upper: float
    near_lower: float
    near_upper: float
    too_few_points: bool


@dataclass(frozen=True)
class SpcPoint:
    """One plotted point: its value, its segment's limits and what it shows."""

    index: int
    label: str | None
    value: float
    segment: int
    mean: float
    lower: float
    upper: float
    near_lower: float
    near_upper: float
    rule: Rule | None
    rules: tuple[Rule, ...]
    point_type: PointType
    special_cause_type: str = COMMON_CAUSE_TYPE
    """The label NHSRplotthedots gives the point, e.g. "Above UCL", "2 in 3 Below CL"."""


@dataclass(frozen=True)
class SpcSummary:
    """Variation judged from the latest point, assurance against a target, and plain words."""

    variation: PointType
    assurance: Assurance | None
    special_cause_improvement: int
    special_cause_concern: int
    special_cause_neither: int
    explanation: str


@dataclass(frozen=True)
class SpcResult:
    """An XmR chart: per-point records, per-segment limits, summary and warnings."""

    points: tuple[SpcPoint, ...]
    segments: tuple[SpcSegment, ...]
    summary: SpcSummary
    options: SpcOptions
    too_few_points: bool
    warnings: tuple[str, ...]


def validate_options(
    values: Sequence[float], options: SpcOptions, labels: Sequence[str] | None = None
) -> tuple[int, ...]:
    """Check the series and options; return the sorted segment start indices (first is 0)."""
    n = len(values)
    if n == 0:
        raise InputError("SPC needs at least 2 values; the series is empty")
    for i, v in enumerate(values):
        if not math.isfinite(v):
            raise InputError(f"SPC value at position {i} is {v!r}; expected a finite number")
    if labels is not None and len(labels) != n:
        raise InputError(f"SPC labels: expected {n} labels (one per value), found {len(labels)}")
    if options.shift_length not in ALLOWED_SHIFT_LENGTHS:
        raise InputError(
            f"SPC shift length: expected one of {ALLOWED_SHIFT_LENGTHS}, "
            f"found {options.shift_length}"
        )
    if options.trend_length < MINIMUM_TREND_LENGTH:
        raise InputError(
            f"SPC trend length: expected at least {MINIMUM_TREND_LENGTH}, "
            f"found {options.trend_length}"
        )
    if options.fix_after_n_points is not None and options.fix_after_n_points < 2:
        raise InputError(
            f"SPC fixed baseline: expected at least 2 points, found {options.fix_after_n_points}"
        )
    starts = {0}
    for r in options.rebase_at:
        if isinstance(r, str):
            if labels is None or r not in labels:
                raise InputError(f"SPC rebase at {r!r}: no point has that label")
            starts.add(list(labels).index(r))
        elif 0 <= r < n:
            starts.add(r)
        else:
            raise InputError(f"SPC rebase at index {r}: expected 0 to {n - 1}")
    ordered = tuple(sorted(starts))
    for s, e in zip(ordered, (*ordered[1:], n), strict=True):
        if e - s < 2:
            raise InputError(
                f"SPC segment starting at position {s} has {e - s} point; "
                "each segment needs at least 2 points for a moving range"
            )
    return ordered


def compute_limits(
    values: Sequence[float], start: int, end: int, options: SpcOptions
) -> SpcSegment:
    """Mean, mean moving range (optionally screened) and limits for ``values[start:end+1]``."""
    seg = list(values[start : end + 1])
    base = seg if options.fix_after_n_points is None else seg[: options.fix_after_n_points]
    # a constant baseline has exactly its value as mean (fsum / n can be off by one ulp)
    mean = base[0] if min(base) == max(base) else math.fsum(base) / len(base)
    ranges = [abs(b - a) for a, b in itertools.pairwise(base)]
    amr = math.fsum(ranges) / len(ranges)
    screened = 0
    if options.screen_outliers:
        kept = [r for r in ranges if r < MR_SCREEN_FACTOR * amr]
        screened = len(ranges) - len(kept)
        if kept:
            amr = math.fsum(kept) / len(kept)
    return SpcSegment(
        start=start,
        end=end,
        baseline_points=len(base),
        mean=mean,
        mean_moving_range=amr,
        moving_ranges_screened=screened,
        lower=mean - XMR_LIMIT_FACTOR * amr,
        upper=mean + XMR_LIMIT_FACTOR * amr,
        near_lower=mean - NEAR_LIMIT_FACTOR * amr,
        near_upper=mean + NEAR_LIMIT_FACTOR * amr,
        too_few_points=len(seg) < options.minimum_points,
    )


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def shift_points(side: Sequence[int], length: int) -> list[int]:
    """Side (+1/-1) of each point in a run of ``length`` on one side of the mean, else 0.

    ``side`` is the sign of value - mean; a point on the mean (0) breaks a run.
    """
    out = [0] * len(side)
    for end in range(length - 1, len(side)):
        window = side[end - length + 1 : end + 1]
        if window[0] != 0 and all(s == window[0] for s in window):
            for j in range(end - length + 1, end + 1):
                out[j] = window[0]
    return out


def trend_points(values: Sequence[float], length: int) -> list[int]:
    """Direction (+1/-1) of each point in ``length`` points all rising or all falling, else 0.

    Equal neighbours break a trend. As in NHSRplotthedots, a trend point takes the direction
    of the step to the next point when that point is in a trend too, else of the step from the
    previous point (so a point at the join of a rising and a falling trend takes the later
    trend's direction); a flat step reads as decreasing, as there.
    """
    n = len(values)
    part = [False] * n
    steps = [_sign(b - a) for a, b in itertools.pairwise(values)]
    for end in range(length - 1, n):
        window = steps[end - length + 1 : end]
        if window[0] != 0 and all(s == window[0] for s in window):
            for j in range(end - length + 1, end + 1):
                part[j] = True
    out = [0] * n
    for i in range(n):
        if not part[i]:
            continue
        later = i + 1 < n and part[i + 1]
        step = steps[i] if later else (steps[i - 1] if i > 0 else 0)
        out[i] = 1 if step == 1 else -1
    return out


def two_of_three_points(side: Sequence[int], near: Sequence[bool]) -> list[int]:
    """Side of each near-limit point in 3 consecutive points, all on one side, with >= 2 near.

    ``near`` marks points between a near limit and its process limit (points beyond
    the process limit are excluded, as NHSRplotthedots does). Only the near points
    themselves are flagged.
    """
    out = [0] * len(side)
    for first in range(len(side) - TWO_OF_THREE_WINDOW + 1):
        idx = range(first, first + TWO_OF_THREE_WINDOW)
        s = side[first]
        if s != 0 and all(side[j] == s for j in idx) and sum(near[j] for j in idx) >= 2:
            for j in idx:
                if near[j]:
                    out[j] = s
    return out


def detect_rules(
    values: Sequence[float], seg: SpcSegment, options: SpcOptions
) -> list[dict[Rule, int]]:
    """For each point of the segment, the rules that fired and the direction (+1/-1) of each."""
    ys = list(values[seg.start : seg.end + 1])
    side = [_sign(y - seg.mean) for y in ys]
    outside = [1 if y > seg.upper else -1 if y < seg.lower else 0 for y in ys]
    near = [
        not o and (y > seg.near_upper or y < seg.near_lower)
        for y, o in zip(ys, outside, strict=True)
    ]
    by_rule = {
        Rule.TREND: trend_points(ys, options.trend_length),
        Rule.SHIFT: shift_points(side, options.shift_length),
        Rule.TWO_OF_THREE: two_of_three_points(side, near),
        Rule.OUTSIDE_LIMITS: outside,
    }
    return [{r: d[i] for r, d in by_rule.items() if d[i] != 0} for i in range(len(ys))]


def special_cause_type(fired: dict[Rule, int], options: SpcOptions | None = None) -> str:
    """NHSRplotthedots' label for a point: "Above UCL", "7 Point Trend (Decreasing)", ...

    ``fired`` maps each rule that fired to its direction (+1 above or rising, -1 below or
    falling); the first rule in :data:`RULE_PRECEDENCE` names the point.
    """
    opts = options or SpcOptions()
    for rule in RULE_PRECEDENCE:
        if rule not in fired:
            continue
        up = fired[rule] > 0
        side = "Above" if up else "Below"
        if rule is Rule.OUTSIDE_LIMITS:
            return "Above UCL" if up else "Below LCL"
        if rule is Rule.TREND:
            return f"{opts.trend_length} Point Trend ({'In' if up else 'De'}creasing)"
        if rule is Rule.TWO_OF_THREE:
            return f"2 in 3 {side} CL"
        return f"{opts.shift_length} Points {side} CL"
    return COMMON_CAUSE_TYPE


def classify_point(fired: dict[Rule, int], polarity: Polarity) -> tuple[Rule | None, PointType]:
    """Label a point by the highest-precedence rule and orient it by the polarity."""
    for rule in RULE_PRECEDENCE:
        if rule in fired:
            up = fired[rule] > 0
            if polarity is Polarity.NEUTRAL:
                return rule, PointType.NEITHER_HIGH if up else PointType.NEITHER_LOW
            good = up != polarity.higher_is_worse
            return rule, PointType.IMPROVEMENT if good else PointType.CONCERN
    return None, PointType.COMMON_CAUSE


def assurance(seg: SpcSegment, target: float | None, polarity: Polarity) -> Assurance | None:
    """Target beyond the limits: consistently pass or fail; within them: inconsistent."""
    if target is None or polarity is Polarity.NEUTRAL:
        return None
    higher_is_better = not polarity.higher_is_worse
    if target > seg.upper:
        return Assurance.CONSISTENT_FAIL if higher_is_better else Assurance.CONSISTENT_PASS
    if target < seg.lower:
        return Assurance.CONSISTENT_PASS if higher_is_better else Assurance.CONSISTENT_FAIL
    return Assurance.INCONSISTENT


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def summarise(
    points: Sequence[SpcPoint], segments: Sequence[SpcSegment], options: SpcOptions
) -> SpcSummary:
    """Variation from the latest point, assurance from the latest segment, and the words."""
    last, seg = points[-1], segments[-1]
    kind = last.point_type
    when = f" ({last.label})" if last.label else ""
    text = (
        f"The latest value{when} is {_fmt(last.value)} against a mean of {_fmt(seg.mean)} "
        f"and process limits of {_fmt(seg.lower)} to {_fmt(seg.upper)}. "
    )
    if last.rule is None:
        text += "It shows common cause variation: no special-cause rule applies to it."
    else:
        text += f"It shows {kind.value} variation ({last.rule.value})."
    assured = assurance(seg, options.target, options.polarity)
    if assured is not None and options.target is not None:
        text += f" Against the target of {_fmt(options.target)} the process {assured.value}."
    if seg.too_few_points:
        text += (
            f" The limits rest on {seg.end - seg.start + 1} points, fewer than the "
            f"{options.minimum_points} recommended, so treat them with caution."
        )
    types = [p.point_type for p in points]
    return SpcSummary(
        variation=kind,
        assurance=assured,
        special_cause_improvement=types.count(PointType.IMPROVEMENT),
        special_cause_concern=types.count(PointType.CONCERN),
        special_cause_neither=types.count(PointType.NEITHER_HIGH)
        + types.count(PointType.NEITHER_LOW),
        explanation=text,
    )


def xmr(
    values: Sequence[float],
    options: SpcOptions | None = None,
    labels: Sequence[str] | None = None,
) -> SpcResult:
    """Build an XmR chart of ``values`` (e.g. monthly counts) with Making Data Count rules.

    ``labels`` (e.g. months "2024-01") name the points and may be used in
    ``options.rebase_at``. Raises :class:`InputError` for an unusable series.
    """
    opts = options or SpcOptions()
    ys = [float(v) for v in values]
    starts = validate_options(ys, opts, labels)
    ends = [s - 1 for s in starts[1:]] + [len(ys) - 1]
    segments = [compute_limits(ys, s, e, opts) for s, e in zip(starts, ends, strict=True)]
    points: list[SpcPoint] = []
    warnings: list[str] = []
    for k, seg in enumerate(segments):
        if seg.too_few_points:
            warnings.append(
                f"segment {k + 1} (positions {seg.start}-{seg.end}) has "
                f"{seg.end - seg.start + 1} points; at least {opts.minimum_points} are recommended"
            )
        if seg.mean_moving_range == 0 and len(set(ys[seg.start : seg.end + 1])) > 1:
            warnings.append(
                f"segment {k + 1}: the mean moving range is zero, so the limits have no width"
            )
        for offset, fired in enumerate(detect_rules(ys, seg, opts)):
            i = seg.start + offset
            rule, kind = classify_point(fired, opts.polarity)
            points.append(
                SpcPoint(
                    index=i,
                    label=None if labels is None else labels[i],
                    value=ys[i],
                    segment=k,
                    mean=seg.mean,
                    lower=seg.lower,
                    upper=seg.upper,
                    near_lower=seg.near_lower,
                    near_upper=seg.near_upper,
                    rule=rule,
                    rules=tuple(r for r in RULE_PRECEDENCE if r in fired),
                    point_type=kind,
                    special_cause_type=special_cause_type(fired, opts),
                )
            )
    return SpcResult(
        points=tuple(points),
        segments=tuple(segments),
        summary=summarise(points, segments, opts),
        options=opts,
        too_few_points=any(s.too_few_points for s in segments),
        warnings=tuple(warnings),
    )
