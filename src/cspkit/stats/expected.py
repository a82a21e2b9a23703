"""Emerging issues: the latest quarter of each series against what was expected.

For each series of monthly counts (a crime category, optionally by ward), the
latest three months are compared with an expectation:

* **Seasonal baseline** when at least one earlier year holds the same three
  months: the expectation is the mean of those quarters. The test is the exact
  conditional Poisson test (as R's ``poisson.test(c(x, B), c(1, k))``), one-sided:
  given ``x + B``, ``x ~ Binomial(x + B, 1 / (1 + k))`` where ``x`` is the latest
  quarter, ``B`` the baseline total and ``k`` the number of baseline quarters
  (the exposure). It allows for the baseline itself being a Poisson count.
* **SPC baseline** otherwise: the expectation is three times the XmR mean of the
  earlier months (see :mod:`cspkit.stats.spc`), tested with the exact one-sided
  Poisson test ``P(X >= x | mean = expected)``; the result also says whether any
  of the latest months is above the upper process limit.

A series is flagged only when the excess is significant (one-sided p below
``alpha``). Many series are tested at once, so the Benjamini-Hochberg adjusted
p-value (Benjamini and Hochberg, 1995) is reported beside each, with a note on
how many flags chance alone would give. Flagged issues are ranked by excess,
then by p-value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.stats import binomtest, false_discovery_control, poisson

from cspkit.errors import InputError
from cspkit.stats.spc import xmr

DEFAULT_ALPHA = 0.05
QUARTER_MONTHS = 3
MAX_BASELINE_YEARS = 3
MINIMUM_SPC_MONTHS = 2
P_FLOOR = 0.001
_MONTH_RE = re.compile(r"\d{4}-\d{2}")
SEASONAL, SPC, INSUFFICIENT = "same quarter in previous years", "SPC mean", "insufficient history"


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
            p = float(poisson.sf(observed - 1, expected))
            latest_months = monthly.reindex(quarter, fill_value=0)
            above = bool((latest_months > seg.upper).any())
            method = SPC
            baseline = f"the average of the {len(history)} months before (SPC mean)"
        else:
            method = INSUFFICIENT
            baseline = "too little history (or none before) to form an expectation"
    excess = None if expected is None else observed - expected
    if expected is None:
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
        flag = s.p_value is not None and s.p_value < alpha and (s.excess or 0) > 0
        final.append(replace(s, p_adjusted=p_adj, flagged=flag))
    flagged = sorted((s for s in final if s.flagged), key=lambda s: (-(s.excess or 0), s.p_value))
    ranked = [replace(s, rank=r) for r, s in enumerate(flagged, start=1)]
    rest = [s for s in final if not s.flagged]
    fdr_kept = sum(1 for s in ranked if s.p_adjusted is not None and s.p_adjusted < alpha)
    note = (
        f"{len(tested)} series were tested at the {alpha:.0%} level (one-sided); about "
        f"{round(len(tested) * alpha, 2):g} would be flagged by chance alone. "
        f"{len(ranked)} flagged, of which {fdr_kept} remain significant after the "
        "Benjamini-Hochberg correction."
    )
    return EmergingIssuesResult(
        issues=tuple(ranked + rest),
        flagged=tuple(ranked),
        tested=len(tested),
        alpha=alpha,
        latest_month=str(latest),
        multiple_testing_note=note,
    )
