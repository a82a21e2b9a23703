"""Monthly series for the trends section: counts per category, unbroken runs, XmR results.

The warehouse is read once per district (one GROUP BY over its records); every indicator's
series is then a sum of category columns. Statistics are those of :mod:`cspkit.stats.spc`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb

from cspkit.stats.periods import ROLLING_MONTHS, add_months, format_month
from cspkit.stats.polarity import Polarity
from cspkit.stats.spc import RULE_PRECEDENCE, PointType, Rule, SpcOptions, SpcResult, xmr
from cspkit.warehouse.registry import Indicator


@dataclass(frozen=True)
class MonthlyCounts:
    """Records per police.uk category and month for a district, zero-filled over the months
    the warehouse holds for the district's force(s)."""

    months: tuple[date, ...]
    by_category: dict[str, tuple[int, ...]]

    def indicator_values(self, indicator: Indicator) -> tuple[int, ...]:
        """Monthly counts of an indicator (the sum of its categories)."""
        zero = (0,) * len(self.months)
        columns = [self.by_category.get(c, zero) for c in indicator.categories]
        return tuple(sum(col[i] for col in columns) for i in range(len(self.months)))


@dataclass(frozen=True)
class TrendSeries:
    """One indicator's monthly counts over the charted run and its XmR result."""

    indicator: Indicator
    months: tuple[date, ...]
    values: tuple[int, ...]
    result: SpcResult

    @property
    def tested(self) -> bool:
        """Whether run rules are reported (enough points for reliable limits)."""
        return not self.result.too_few_points

    @property
    def mean(self) -> float:
        """Mean monthly count over the run."""
        return sum(self.values) / len(self.values)


@dataclass(frozen=True)
class Episode:
    """Consecutive special-cause months of one point type, and the rules that named them.

    ``first`` and ``last`` index the series; ``beyond_limits`` indexes the months beyond the
    process limit on the episode's side; ``high`` says which side of the mean it lies.
    """

    point_type: PointType
    first: int
    last: int
    high: bool
    rules: tuple[Rule, ...]
    beyond_limits: tuple[int, ...]


def monthly_category_counts(con: duckdb.DuckDBPyConnection, lad_code: str) -> MonthlyCounts:
    """One pass over the district's records: counts per category and month (zero-filled)."""
    months = [
        m
        for (m,) in con.execute(
            "SELECT DISTINCT month FROM crimes WHERE force_slug IN "
            "(SELECT DISTINCT force_slug FROM crimes WHERE lad_code = ?) ORDER BY month",
            [lad_code],
        ).fetchall()
    ]
    position = {m: i for i, m in enumerate(months)}
    counts: dict[str, list[int]] = {}
    rows = con.execute(
        "SELECT category, month, count(*) FROM crimes WHERE lad_code = ? GROUP BY ALL",
        [lad_code],
    ).fetchall()
    for category, month, n in rows:
        counts.setdefault(str(category), [0] * len(months))[position[month]] = int(n)
    return MonthlyCounts(tuple(months), {c: tuple(v) for c, v in counts.items()})


def consecutive_run(months: Sequence[date], end: date) -> tuple[int, int] | None:
    """Indices (first, last) of the unbroken run of months ending at the latest month <= end.

    ``months`` must be sorted and distinct. None when no month is held up to ``end``.
    """
    last = max((i for i, m in enumerate(months) if m <= end), default=None)
    if last is None:
        return None
    first = last
    while first > 0 and add_months(months[first - 1], 1) == months[first]:
        first -= 1
    return first, last


def runs_of_months(months: Sequence[date]) -> list[tuple[date, date]]:
    """The held months as unbroken runs (first, last), oldest first."""
    runs: list[tuple[date, date]] = []
    for m in months:
        if runs and add_months(runs[-1][1], 1) == m:
            runs[-1] = (runs[-1][0], m)
        else:
            runs.append((m, m))
    return runs


def rolling_totals(values: Sequence[int], window: int = ROLLING_MONTHS) -> list[int]:
    """Sums of each ``window`` consecutive values, ending at each point from the window-th."""
    return [sum(values[i - window + 1 : i + 1]) for i in range(window - 1, len(values))]


def trend_series(counts: MonthlyCounts, ind: Indicator, first: int, last: int) -> TrendSeries:
    """The indicator's counts for months ``first..last`` and their XmR chart."""
    months = counts.months[first : last + 1]
    values = counts.indicator_values(ind)[first : last + 1]
    result = xmr(
        values, SpcOptions(polarity=ind.polarity), labels=[format_month(m) for m in months]
    )
    return TrendSeries(ind, months, values, result)


def is_high(kind: PointType, polarity: Polarity) -> bool:
    """Whether a special-cause point type lies above the mean, given the polarity."""
    if kind in (PointType.NEITHER_HIGH, PointType.NEITHER_LOW):
        return kind is PointType.NEITHER_HIGH
    return (kind is PointType.CONCERN) == polarity.higher_is_worse


def episodes(result: SpcResult) -> tuple[Episode, ...]:
    """Runs of consecutive points of the same special-cause type, oldest first."""
    found: list[Episode] = []
    points = result.points
    i = 0
    while i < len(points):
        kind = points[i].point_type
        j = i
        while j + 1 < len(points) and points[j + 1].point_type is kind:
            j += 1
        if kind is not PointType.COMMON_CAUSE:
            run = points[i : j + 1]
            high = is_high(kind, result.options.polarity)
            beyond = tuple(
                p.index for p in run if (p.value > p.upper if high else p.value < p.lower)
            )
            named = {p.rule for p in run if p.rule is not None}
            if beyond:
                named.add(Rule.OUTSIDE_LIMITS)
            rules = tuple(r for r in RULE_PRECEDENCE if r in named)
            found.append(Episode(kind, i, j, high, rules, beyond))
        i = j + 1
    return tuple(found)
