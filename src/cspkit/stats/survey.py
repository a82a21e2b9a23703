"""Survey statistics: weighted percentages, effective sample sizes, intervals and comparisons.

* The percentage answering positively is weighted when the survey has weights.
* Weighting costs precision: the Kish effective sample size n_eff = (sum w)^2 / sum w^2 is the
  number of unweighted respondents that would give the same precision.
* The 95% interval is Wilson's score interval computed on n_eff (it stays inside 0-100% and
  behaves well for small bases and percentages near 0 or 100).
* Two waves are compared with the two-proportion z-test (pooled), on effective bases; a change
  is described ("up from 77% in 2019") only when it is significant at the 5% level.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy.stats import norm

Z_95 = float(norm.ppf(0.975))
SIGNIFICANCE_LEVEL = 0.05
#: Smallest base for which an area's figure is shown (smaller bases are suppressed).
AREA_MIN_BASE = 50


def kish_effective_n(weights: Sequence[float]) -> float:
    """(sum w)^2 / sum w^2; equals the count when all weights are equal."""
    if any(not math.isfinite(w) or w < 0 for w in weights):
        raise ValueError("weights must be finite and not negative")
    squares = math.fsum(w * w for w in weights)
    if squares == 0:
        return 0.0
    return math.fsum(weights) ** 2 / squares


def wilson_interval(p: float, n: float, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a proportion p (0-1) on a (possibly effective) base n."""
    if not 0 <= p <= 1:
        raise ValueError(f"p must be between 0 and 1, got {p}")
    if n <= 0:
        raise ValueError(f"n must be positive, got {n}")
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def two_proportion_test(p1: float, n1: float, p2: float, n2: float) -> float | None:
    """Two-sided p-value of the pooled two-proportion z-test (None when it is undefined)."""
    if n1 <= 0 or n2 <= 0:
        return None
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance <= 0:
        return None if p1 == p2 else 0.0
    z = (p1 - p2) / math.sqrt(variance)
    return float(2 * norm.sf(abs(z)))


@dataclass(frozen=True)
class SurveyEstimate:
    """A percentage (0-100) with its 95% interval, unweighted base and effective base."""

    percent: float
    lower: float
    upper: float
    base: int
    effective_base: float


def estimate(positive: Sequence[bool], weights: Sequence[float] | None = None) -> SurveyEstimate:
    """Weighted percentage of ``positive`` answers among the respondents given (the base)."""
    if not positive:
        raise ValueError("no respondents in the base")
    w = list(weights) if weights is not None else [1.0] * len(positive)
    if len(w) != len(positive):
        raise ValueError("one weight is needed per respondent")
    total = math.fsum(w)
    if total <= 0:
        raise ValueError("the weights add up to zero")
    p = math.fsum(wi for wi, yes in zip(w, positive, strict=True) if yes) / total
    n_eff = kish_effective_n(w)
    low, high = wilson_interval(p, n_eff)
    return SurveyEstimate(100 * p, 100 * low, 100 * high, len(positive), n_eff)


def from_published(percent: float, base: int) -> SurveyEstimate:
    """An estimate from a published percentage and base (no weights known: n_eff = base)."""
    low, high = wilson_interval(percent / 100, base)
    return SurveyEstimate(percent, 100 * low, 100 * high, base, float(base))


@dataclass(frozen=True)
class WaveComparison:
    """The change from an earlier wave, with its test."""

    previous_wave: str
    previous_percent: float
    p_value: float | None
    significant: bool

    def describe(self, current_percent: float) -> str:
        """'up from 77% in 2019' when significant, else 'no significant change from ...'."""
        before = f"{self.previous_percent:.0f}% in {self.previous_wave}"
        if not self.significant:
            return f"no significant change from {before}"
        return f"{'up' if current_percent > self.previous_percent else 'down'} from {before}"


def compare_waves(
    current: SurveyEstimate, previous: SurveyEstimate, previous_wave: str
) -> WaveComparison:
    """Test the difference between two waves' percentages on their effective bases."""
    p = two_proportion_test(
        current.percent / 100,
        current.effective_base,
        previous.percent / 100,
        previous.effective_base,
    )
    return WaveComparison(
        previous_wave, previous.percent, p, p is not None and p < SIGNIFICANCE_LEVEL
    )


@dataclass(frozen=True)
class RankedChoice:
    """One option of a multi-choice question: weighted % of respondents choosing it."""

    rank: int
    choice: str
    percent: float
    respondents: int


def rank_choices(
    chosen: Sequence[frozenset[str]], weights: Sequence[float] | None = None
) -> tuple[RankedChoice, ...]:
    """Rank the options of a multi-choice question by the weighted share choosing each.

    Ties are broken by the option's name, so the ranking is deterministic.
    """
    w = list(weights) if weights is not None else [1.0] * len(chosen)
    total = math.fsum(w)
    options = sorted({c for answer in chosen for c in answer})
    scored = []
    for option in options:
        share = math.fsum(wi for wi, a in zip(w, chosen, strict=True) if option in a)
        count = sum(1 for a in chosen if option in a)
        scored.append((-(share / total if total else 0.0), option, count))
    scored.sort()
    return tuple(
        RankedChoice(i, option, -neg * 100, count)
        for i, (neg, option, count) in enumerate(scored, start=1)
    )
