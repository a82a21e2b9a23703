"""Emerging issues: the latest quarter of each series against what was expected.

For each series of monthly counts (a crime category, optionally by ward), the
latest three months are compared with an expectation:

* **Seasonal baseline** when at least one earlier year holds the same three
  months: the expectation is the mean of those quarters. The test is the exact
  conditional Poisson test (as R's ``poisson.test(c(x, B), c(1, k))``), one-sided:
  given ``x + B``, ``x ~ Binomial(x + B, 1 / (1 + k))`` where ``x`` is the latest
  quarter, ``B`` the baseline total and ``k`` the number of baseline quarters
  (the exposure). It allows for the baseline itself being a Poisson count.
* **Recent baseline** otherwise: the expectation is the monthly mean of the earlier
  months (the XmR centre line, see :mod:`cspkit.stats.spc`) times three. The test is the
  same conditional exact test of the two counts with their exposures (the quarter's 3
  months against the ``m`` months before: ``x ~ Binomial(x + B, 3 / (3 + m))``), so the
  baseline's own uncertainty is counted. The result also says whether any of the
  latest months is above the upper process limit.

Only series with at least :data:`MINIMUM_OBSERVED` in the latest quarter and an
expectation of at least :data:`MINIMUM_EXPECTED` are tested: changes on smaller numbers
are not evidence. The tested series form one family for the Benjamini-Hochberg false
discovery rate (Benjamini and Hochberg, 1995); a series is flagged when its adjusted
p-value is below ``alpha`` and it is above expectation. Flagged issues are ranked by
evidence: adjusted p-value, then the size of the excess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.stats import binomtest, false_discovery_control

from cspkit.errors import InputError
from cspkit.stats.spc import xmr

DEFAULT_ALPHA = 0.05
QUARTER_MONTHS = 3
MAX_BASELINE_YEARS = 3
MINIMUM_SPC_MONTHS = 2
MINIMUM_OBSERVED = 10
"""A series with fewer than this in the latest quarter is never flagged (nor tested)."""
MINIMUM_EXPECTED = 5.0
"""A series expected to hold fewer than this in the quarter is never flagged (nor tested)."""
P_FLOOR = 0.001
_MONTH_RE = re.compile(r"\d{4}-\d{2}")
SEASONAL, SPC, INSUFFICIENT = "same quarter in previous years", "SPC mean", "insufficient history"
TOO_SMALL = "too few to test"


@dataclass(frozen=True)
class EmergingIssue:
    """One series: latest quarter against its expectation, and whether it is flagged."""

    keys: tuple[tuple[str, str], ...]
    name: str
    period: str
    observed: int
    expected: float | None
    excess: float | None
    method: str
    baseline: str
    p_value: float | None
    p_adjusted: float | None
    above_upper_limit: bool | None
    flagged: bool
    rank: int | None
    explanation: str


@dataclass(frozen=True)
class EmergingIssuesResult:
    """Every series (flagged first, by rank), the flagged ones, and the testing note."""

    issues: tuple[EmergingIssue, ...]
    flagged: tuple[EmergingIssue, ...]
    tested: int
    alpha: float
    latest_month: str
    multiple_testing_note: str


def _months(values: pd.Series) -> pd.PeriodIndex:
    for v in values:
        if isinstance(v, str) and not _MONTH_RE.fullmatch(v.strip()):
            raise InputError(f"emerging issues: month {v!r} is not like 2024-10", column="month")
    try:
        return pd.PeriodIndex([pd.Period(v, freq="M") for v in values], freq="M")
    except (ValueError, TypeError) as exc:
        raise InputError(
            f"emerging issues: a month is not like 2024-10 ({exc})", column="month"
        ) from exc


def _quarter_label(last: pd.Period) -> str:
    first = last - (QUARTER_MONTHS - 1)
    if first.year == last.year:
        return f"{first.strftime('%B')}-{last.strftime('%B')} {last.year}"
    return f"{first.strftime('%B %Y')}-{last.strftime('%B %Y')}"


def _years(years: Sequence[int]) -> str:
    text = [str(y) for y in years]
    return text[0] if len(text) == 1 else f"{', '.join(text[:-1])} and {text[-1]}"


def _p_text(p: float) -> str:
    return f"p < {P_FLOOR}" if p < P_FLOOR else f"p = {p:.3f}"


def _name(keys: tuple[tuple[str, str], ...]) -> str:
    parts = [keys[0][1]] + [f"{v} ward" if k == "ward" else v for k, v in keys[1:]]
    return " in ".join(parts)


def assess_series(
    monthly: pd.Series, latest: pd.Period, keys: tuple[tuple[str, str], ...]
) -> EmergingIssue:
    """Latest quarter of one monthly series (indexed by monthly Period, gaps = 0)."""
    quarter = pd.period_range(latest - (QUARTER_MONTHS - 1), latest, freq="M")
    observed = int(monthly.reindex(quarter, fill_value=0).sum())
    name, period = _name(keys), _quarter_label(latest)
    first = monthly.index.min()
    years = [
        latest.year - b for b in range(1, MAX_BASELINE_YEARS + 1) if quarter[0] - 12 * b >= first
    ]
    expected: float | None = None
    p: float | None = None
    above: bool | None = None
    if years:
        shifted = [quarter - 12 * (latest.year - y) for y in years]
        baseline_total = sum(int(monthly.reindex(q, fill_value=0).sum()) for q in shifted)
        k = len(years)
        expected = baseline_total / k
        p = 1.0
        if observed + baseline_total > 0:
            test = binomtest(observed, observed + baseline_total, 1 / (1 + k), "greater")
            p = float(test.pvalue)
        method, baseline = SEASONAL, f"the same quarter in {_years(sorted(years))}"
    else:
        history = monthly[monthly.index < quarter[0]]
        history = history.reindex(pd.period_range(first, quarter[0] - 1, freq="M"), fill_value=0)
        if len(history) >= MINIMUM_SPC_MONTHS and history.sum() > 0:
            seg = xmr([float(v) for v in history]).segments[-1]
            expected = QUARTER_MONTHS * seg.mean
            total = int(history.sum())
            share = QUARTER_MONTHS / (QUARTER_MONTHS + len(history))
            p = float(binomtest(observed, observed + total, share, "greater").pvalue)
            latest_months = monthly.reindex(quarter, fill_value=0)
            above = bool((latest_months > seg.upper).any())
            method = SPC
            baseline = f"the average of the {len(history)} months before (SPC mean)"
        else:
            method = INSUFFICIENT
            baseline = "too little history (or none before) to form an expectation"
    excess = None if expected is None else observed - expected
    if expected is not None and (observed < MINIMUM_OBSERVED or expected < MINIMUM_EXPECTED):
        method = TOO_SMALL
        p = None
    if expected is None or p is None:
        text = f"{name}: {observed} in {period}; {baseline}."
    else:
        text = (
            f"{name}: {observed} in {period} against about {expected:,.0f} expected "
            f"from {baseline} ({_p_text(p if p is not None else 1.0)})."
        )
        if above:
            text += " At least one of these months is above the upper process limit."
    return EmergingIssue(
        keys=keys,
        name=name,
        period=period,
        observed=observed,
        expected=expected,
        excess=excess,
        method=method,
        baseline=baseline,
        p_value=p,
        p_adjusted=None,
        above_upper_limit=above,
        flagged=False,
        rank=None,
        explanation=text,
    )


def _validate(frame: pd.DataFrame, keys: Sequence[str], alpha: float) -> None:
    needed = ["month", "count", *keys]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise InputError(f"emerging issues: missing column(s) {', '.join(missing)}")
    if not keys:
        raise InputError("emerging issues: give at least one key column, e.g. category")
    if not 0 < alpha < 1:
        raise InputError(f"emerging issues: alpha must be between 0 and 1, found {alpha}")
    counts = pd.to_numeric(frame["count"], errors="coerce")
    bad = frame.index[~(counts >= 0) | (counts % 1 != 0)]
    if len(bad):
        raise InputError(
            f"emerging issues: count {frame.loc[bad[0], 'count']!r} in row {bad[0]!r}; "
            "expected a whole number >= 0",
            column="count",
        )


def emerging_issues(
    frame: pd.DataFrame,
    keys: Sequence[str] = ("category",),
    *,
    latest_month: str | None = None,
    alpha: float = DEFAULT_ALPHA,
) -> EmergingIssuesResult:
    """Test the latest quarter of every series in ``frame`` (columns month, count, *keys*).

    Months missing from a series count as zero; the history of every series starts
    at the frame's first month. ``latest_month`` defaults to the frame's last month.
    """
    _validate(frame, keys, alpha)
    data = frame.assign(_month=_months(frame["month"]))
    latest = pd.Period(latest_month, freq="M") if latest_month else data["_month"].max()
    data = data[data["_month"] <= latest]
    first = data["_month"].min()
    issues = []
    for key_values, part in data.groupby(list(keys), sort=True):
        values = key_values if isinstance(key_values, tuple) else (key_values,)
        monthly = part.groupby("_month")["count"].sum().astype("int64")
        monthly = monthly.reindex(pd.period_range(first, latest, freq="M"), fill_value=0)
        pairs = tuple((str(k), str(v)) for k, v in zip(keys, values, strict=True))
        issues.append(assess_series(monthly, latest, pairs))
    tested = [i for i, s in enumerate(issues) if s.p_value is not None]
    adjusted = np.full(len(issues), np.nan)
    if tested:
        adjusted[tested] = false_discovery_control([issues[i].p_value for i in tested], method="bh")
    final = []
    for i, s in enumerate(issues):
        p_adj = None if np.isnan(adjusted[i]) else float(adjusted[i])
        flag = p_adj is not None and p_adj < alpha and (s.excess or 0) > 0
        final.append(replace(s, p_adjusted=p_adj, flagged=flag))
    flagged = sorted(
        (s for s in final if s.flagged),
        key=lambda s: (s.p_adjusted or 0.0, s.p_value or 0.0, -(s.excess or 0)),
    )
    ranked = [replace(s, rank=r) for r, s in enumerate(flagged, start=1)]
    rest = [s for s in final if not s.flagged]
    series = "series was" if len(tested) == 1 else "series were"
    note = (
        f"{len(tested)} {series} tested (those with at least {MINIMUM_OBSERVED} in the latest "
        f"quarter and at least {MINIMUM_EXPECTED:g} expected); {len(ranked)} "
        f"{'is' if len(ranked) == 1 else 'are'} above expectation after allowing for the "
        f"number of tests (Benjamini-Hochberg false discovery rate {alpha:.0%})."
    )
    return EmergingIssuesResult(
        issues=tuple(ranked + rest),
        flagged=tuple(ranked),
        tested=len(tested),
        alpha=alpha,
        latest_month=str(latest),
        multiple_testing_note=note,
    )


CONCENTRATION_SHARE = 0.5
"""One place holding at least this share of a series' excess makes the excess 'concentrated'."""
MINIMUM_PLACE_COUNT = 5
"""A place needs at least this many records in the latest quarter to be named."""


@dataclass(frozen=True)
class PlaceConcentration:
    """One place (a police.uk map point) that accounts for much of a series' excess."""

    place: str
    observed: int
    series_observed: int
    before_min: int
    before_max: int
    excess: float
    share_of_excess: float


def concentrated_place(
    quarter: dict[str, int],
    before: dict[str, Sequence[int]],
    months_before: int,
    series_observed: int,
    series_excess: float,
    *,
    share: float = CONCENTRATION_SHARE,
) -> PlaceConcentration | None:
    """The place whose own excess is at least ``share`` of the series' excess, if any.

    ``quarter`` holds each place's count in the latest quarter, ``before`` its monthly counts
    over the ``months_before`` months of the baseline (missing months are zeros). A place's
    excess is its quarter count less three times its monthly mean before.
    """
    if series_excess <= 0 or not quarter or months_before <= 0:
        return None
    best: PlaceConcentration | None = None
    for place, observed in quarter.items():
        monthly = list(before.get(place, ()))
        monthly += [0] * (months_before - len(monthly))
        excess = observed - QUARTER_MONTHS * sum(monthly) / months_before
        if observed < MINIMUM_PLACE_COUNT or excess < share * series_excess:
            continue
        found = PlaceConcentration(
            place=place,
            observed=observed,
            series_observed=series_observed,
            before_min=min(monthly),
            before_max=max(monthly),
            excess=excess,
            share_of_excess=excess / series_excess,
        )
        if best is None or found.excess > best.excess:
            best = found
    return best
