"""The words of the trends section, generated from SPC results by templates.

Nothing here judges a series: every sentence restates what :func:`cspkit.stats.spc.xmr`
found (point types, the rules that fired, limits). Changes are never described as rises or
falls; special-cause signals are named by their rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from cspkit.assessment.context import SectionContext
from cspkit.assessment.sections.trends_series import Episode, TrendSeries, episodes, runs_of_months
from cspkit.assessment.wording import count_text
from cspkit.report.formatting import fmt_rate
from cspkit.stats.periods import MONTHS_PER_YEAR, month_label
from cspkit.stats.spc import (
    DEFAULT_SHIFT_LENGTH,
    DEFAULT_TREND_LENGTH,
    XMR_LIMIT_FACTOR,
    PointType,
    Rule,
)
from cspkit.warehouse.registry import ASB_ID

PART_OF_YEAR = ((4, "early"), (8, "mid"), (12, "late"))
"""Months 1-4 are 'early' in a year, 5-8 'mid', 9-12 'late' (to date a level change)."""

KIND_WORDS = {
    PointType.CONCERN: "special cause of concern",
    PointType.IMPROVEMENT: "special cause of improvement",
    PointType.NEITHER_HIGH: "special cause (high)",
    PointType.NEITHER_LOW: "special cause (low)",
    PointType.COMMON_CAUSE: "common cause",
}

VARIATION_WORDS = {
    PointType.CONCERN: "special-cause variation of concern",
    PointType.IMPROVEMENT: "special-cause variation of improvement",
    PointType.NEITHER_HIGH: "special-cause variation (high)",
    PointType.NEITHER_LOW: "special-cause variation (low)",
}

METHOD_TEXT = (
    "Each chart is an XmR chart following NHS England's Making Data Count rules: the mean, "
    f"process limits at the mean ± {XMR_LIMIT_FACTOR} × the mean moving range and near limits "
    "(dashed) at two thirds of that distance. A month is special cause when it lies outside the "
    f"limits, is part of a run of {DEFAULT_SHIFT_LENGTH} or more months on one side of the mean "
    f"or of {DEFAULT_TREND_LENGTH} or more months each higher "
    "(or lower) than the last, or is one of two of three months beyond a near limit on the same "
    "side. Higher counts are worse, so high special cause is marked concern and low special "
    "cause improvement. Rules are applied to monthly counts only."
)


def span(months: Sequence[date], first: int, last: int) -> str:
    """'March 2019 to January 2020 (11 months)', or one month's name."""
    if first == last:
        return month_label(months[first])
    return (
        f"{month_label(months[first])} to {month_label(months[last])} ({last - first + 1} months)"
    )


def join(names: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def lower_name(s: TrendSeries) -> str:
    """'All crime' -> 'all crime' (for use inside a sentence)."""
    name = s.indicator.name
    return name[0].lower() + name[1:]


def describe_episode(s: TrendSeries, ep: Episode) -> str:
    """'a run of 7 or more months above the mean, March 2019 to January 2020 (11 months), 5 of
    them above the upper process limit'."""
    opts = s.result.options
    side, limit = ("above", "upper") if ep.high else ("below", "lower")
    rules: list[str] = []
    if Rule.TREND in ep.rules:
        more = "higher" if ep.high else "lower"
        rules.append(f"{opts.trend_length} or more months in a row each {more} than the last")
    if Rule.SHIFT in ep.rules:
        rules.append(f"a run of {opts.shift_length} or more months {side} the mean")
    if Rule.TWO_OF_THREE in ep.rules:
        rules.append(f"two of three months beyond the {limit} near limit")
    n = len(ep.beyond_limits)
    if not rules:
        months = join([month_label(s.months[i]) for i in ep.beyond_limits])
        return (
            f"{'a month' if n == 1 else f'{n} months'} {side} the {limit} process limit ({months})"
        )
    text = f"{join(rules)}, {span(s.months, ep.first, ep.last)}"
    if n:
        text += (
            f", {n} of {'them' if ep.last > ep.first else 'it'} {side} the {limit} process limit"
        )
    return text


def _part_of_year(d: date) -> str:
    return next(word for upto, word in PART_OF_YEAR if d.month <= upto)


def recording_note(s: TrendSeries, ep: Episode) -> str | None:
    """The caution a sustained shift calls for: it can be a change in recording practice."""
    if Rule.SHIFT not in ep.rules:
        return None
    start = s.months[ep.first]
    asb = (
        "Police counts of anti-social behaviour incidents are particularly sensitive to how "
        "incidents are recorded and classified, and forces have changed this over time. "
        if s.indicator.id == ASB_ID
        else ""
    )
    return (
        f"A sustained shift in {lower_name(s)} can be a change in recording rather than in what "
        f"happened. {asb}Check for a recording change around {month_label(start)} "
        f"({_part_of_year(start)} {start.year}) before reading it as a real change; if one is "
        "confirmed, the limits should be recalculated from that month (rebased)."
    )


def _story(s: TrendSeries, ctx: SectionContext) -> tuple[str, str, bool]:
    """What the series shows (latest month first), what came earlier, whether a shift fired."""
    last = s.result.points[-1]
    eps = episodes(s.result)
    if not eps:
        return (
            f"only common-cause variation around a mean of {fmt_rate(last.mean)}: no month is "
            f"outside the process limits ({fmt_rate(last.lower)} to {fmt_rate(last.upper)}) and "
            "no run rule applies",
            "",
            False,
        )
    latest = eps[-1]
    if latest.last == len(s.months) - 1:
        now = (
            f"{VARIATION_WORDS[latest.point_type]}: "
            f"{describe_episode(s, latest)}; the latest month ({month_label(s.months[-1])}) "
            f"recorded {count_text(last.value, ctx)} against a mean of {fmt_rate(last.mean)}"
        )
        earlier = [e for e in eps[:-1] if e.point_type is not latest.point_type][-1:]
        told = [latest, *earlier]
    else:
        now = f"common-cause variation in the latest month ({month_label(s.months[-1])})"
        earlier = told = [latest]
    before = "".join(
        f" Earlier, {KIND_WORDS[e.point_type]}: {describe_episode(s, e)}." for e in earlier
    )
    return now, before, any(Rule.SHIFT in e.rules for e in told)


def _untested(s: TrendSeries) -> str:
    return (
        f"only {len(s.months)} months, fewer than the {s.result.options.minimum_points} SPC "
        "needs, so the chart is shown without run-rule tests"
    )


def finding(s: TrendSeries, area: str, ctx: SectionContext) -> str:
    """The key finding of one chart: 'Monthly all crime in Lincoln shows special-cause ...'."""
    if not s.tested:
        return f"Monthly {lower_name(s)} in {area} is charted over {_untested(s)}."
    now, before, shifted = _story(s, ctx)
    text = f"Monthly {lower_name(s)} in {area} shows {now}.{before}"
    if shifted:
        text += " A sustained shift can also reflect a change in recording practice."
    return text


def alt_text(s: TrendSeries, area: str, ctx: SectionContext) -> str:
    """The chart's alt text: 'All crime in Lincoln: 36 months, ...; special cause of ...'."""
    head = f"{s.indicator.name} in {area}: {span(s.months, 0, len(s.months) - 1)}"
    if not s.tested:
        return f"{head}; {_untested(s)}."
    now, before, _ = _story(s, ctx)
    return f"{head}; {now}.{before}"


def coverage_text(months: Sequence[date], first: int, last: int, area: str, end: date) -> str:
    """Which months are charted, and which held months are left out and why."""
    text = (
        f"Monthly police.uk records for {area} over {span(months, first, last)}: the longest "
        "unbroken run of months the warehouse holds up to the end of the assessment period "
        f"({month_label(end)})."
    )
    if months[last] < end:
        text += f" No later month is held, so the series ends in {month_label(months[last])}."
    earlier = runs_of_months(months[:first])
    if earlier:
        held = join(
            [
                month_label(a) if a == b else f"{month_label(a)} to {month_label(b)}"
                for a, b in earlier
            ]
        )
        a, b = months[first - 1], months[first]
        gap = (b.year - a.year) * MONTHS_PER_YEAR + b.month - a.month - 1
        text += (
            f" The warehouse also holds {held}, but not consecutively with "
            f"{month_label(b)} ({gap} month{'s' if gap != 1 else ''} missing in between), so "
            "those months are not charted: SPC needs an unbroken monthly series."
        )
    return text


def category_finding(tested: Sequence[TrendSeries], area: str) -> str | None:
    """Which categories show special cause in the latest month (None without categories)."""
    if not tested:
        return None
    by_kind = {
        k: [s.indicator.name for s in tested if s.result.summary.variation is k]
        for k in (PointType.CONCERN, PointType.IMPROVEMENT)
    }
    if not any(by_kind.values()):
        return (
            f"All {len(tested)} crime categories charted for {area} show common-cause variation "
            "in the latest month."
        )
    parts = [f"{KIND_WORDS[k]} in {join(names)}" for k, names in by_kind.items() if names]
    return (
        f"Of the {len(tested)} crime categories charted for {area}, the latest month shows "
        f"{' and '.join(parts)}; the others show common-cause variation."
    )
