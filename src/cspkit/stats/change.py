"""Change between two counts, and whether it is more than chance.

Crime counts are treated as Poisson. Two counts are compared with the exact conditional test:
given the total ``n = current + previous``, ``current ~ Binomial(n, e1 / (e1 + e2))`` under the
null hypothesis of equal rates, where ``e1`` and ``e2`` are the exposures (period lengths or
populations). The two-sided p-value is the binomial test's, and the 95% confidence interval of
the rate ratio comes from the Clopper-Pearson interval of the binomial proportion ``p``,
transformed as ``p / (1 - p) * e2 / e1``. This is the test R's
``poisson.test(c(x1, x2), c(t1, t2))`` performs.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from typing import SupportsIndex

__all__ = [
    "SIGNIFICANCE_LEVEL",
    "SMALL_COUNT_THRESHOLD",
    "CountChange",
    "compare_counts",
    "percent_change",
]

#: Two-sided significance level for a change; the confidence interval is at 1 - this level.
SIGNIFICANCE_LEVEL = 0.05
#: Below this count (in either period) a percentage change is not reported as a headline.
SMALL_COUNT_THRESHOLD = 10
#: Decimal places used when wording a percentage change.
PCT_DECIMALS = 1


def percent_change(current: float, previous: float) -> float | None:
    """``(current - previous) / previous * 100``, or ``None`` when ``previous`` is 0.

    The base is always the earlier figure: 13 -> 4 is -69.2%, not (4 - 13) / 4 = -225%.
    """
    if previous == 0:
        return None
    return (current - previous) / previous * 100.0


@dataclass(frozen=True)
class CountChange:
    """The change from ``previous`` to ``current`` with its exact Poisson test.

    ``pct_change`` is a percentage (-69.2 means a fall of 69.2%); when the exposures differ it
    is the change in the rate per unit of exposure, not in the raw count. ``rate_ratio`` is
    ``(current / current exposure) / (previous / previous exposure)`` with its confidence
    interval ``ratio_lower``-``ratio_upper`` (at ``1 - alpha``, 95% by default). Fields are
    ``None`` where undefined: ``pct_change``, ``rate_ratio`` and ``ratio_upper`` when
    ``previous`` is 0; everything inferential when both counts are 0.
    """

    current: int
    previous: int
    change: int
    pct_change: float | None
    rate_ratio: float | None
    ratio_lower: float | None
    ratio_upper: float | None
    p_value: float | None
    significant: bool
    small_counts: bool
    exposure_ratio: float

    @property
    def exposure_adjusted(self) -> bool:
        """Whether the two counts had different exposures (so % change is of the rate)."""
        return not math.isclose(self.exposure_ratio, 1.0)

    def describe(self, noun: str = "") -> str:
        """Plain wording that follows significance, for reports.

        Examples: ``"up 12.3% (1,234 to 1,386), a statistically significant rise"``,
        ``"down 4.0% (1,250 to 1,200), no significant change"``,
        ``"3 to 5: numbers too small for a meaningful percentage change"``. ``noun`` (e.g.
        ``"burglaries"``) is added after the counts.
        """
        suffix = f" {noun}" if noun else ""
        counts = f"{self.previous:,} to {self.current:,}{suffix}"
        if self.current == 0 and self.previous == 0:
            return f"{counts}: none in either period"
        rising = self.rate_ratio is None or self.rate_ratio > 1
        movement = "rise" if rising else "fall"
        if self.small_counts or self.pct_change is None:
            text = f"{counts}: numbers too small for a meaningful percentage change"
            if self.significant:
                text += f", though the {movement} is statistically significant"
            return text
        what = "rate " if self.exposure_adjusted else ""
        size = round(abs(self.pct_change), PCT_DECIMALS)
        if size == 0:
            headline = f"{what}unchanged"
        else:
            headline = f"{what}{'up' if self.pct_change > 0 else 'down'} {size:.{PCT_DECIMALS}f}%"
        verdict = (
            f"a statistically significant {movement}"
            if self.significant
            else "no significant change"
        )
        return f"{headline} ({counts}), {verdict}"


def _count(value: SupportsIndex, name: str) -> int:
    number = operator.index(value)
    if number < 0:
        raise ValueError(f"{name} must not be negative, got {number}")
    return number


def _exposure(value: float, name: str) -> float:
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a positive number, got {value}")
    return number


def compare_counts(
    current: int,
    previous: int,
    *,
    current_exposure: float = 1.0,
    previous_exposure: float = 1.0,
    alpha: float = SIGNIFICANCE_LEVEL,
) -> CountChange:
    """Compare two Poisson counts with the exact conditional (binomial) test.

    Exposures let unequal periods or bases be compared, e.g. 12 months against 24
    (``current_exposure=12, previous_exposure=24``); only their ratio matters. When they differ,
    ``pct_change`` is the exposure-adjusted change (of the rate, not the count).

    Reproduces R's ``poisson.test(c(current, previous), c(current_exposure,
    previous_exposure))``: the p-value is ``scipy.stats.binomtest(current, current + previous,
    e1 / (e1 + e2))``'s two-sided p-value, and the rate-ratio interval is its Clopper-Pearson
    interval transformed by ``p / (1 - p) * e2 / e1``.

    Raises ``ValueError`` for negative counts, non-positive exposures, or ``alpha`` outside
    (0, 1).
    """
    x1 = _count(current, "current")
    x2 = _count(previous, "previous")
    e1 = _exposure(current_exposure, "current_exposure")
    e2 = _exposure(previous_exposure, "previous_exposure")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    exposure_ratio = e1 / e2

    rate_ratio = None if x2 == 0 else (x1 / e1) / (x2 / e2)
    pct_change = None if rate_ratio is None else (rate_ratio - 1.0) * 100.0
    if math.isclose(exposure_ratio, 1.0):
        pct_change = percent_change(x1, x2)

    total = x1 + x2
    p_value = ratio_lower = ratio_upper = None
    if total > 0:
        from scipy.stats import binomtest  # imported here: scipy takes long to import

        result = binomtest(x1, total, e1 / (e1 + e2), alternative="two-sided")
        p_value = min(1.0, max(0.0, float(result.pvalue)))
        interval = result.proportion_ci(confidence_level=1 - alpha, method="exact")
        ratio_lower = _odds_to_ratio(float(interval.low), e1, e2)
        ratio_upper = _odds_to_ratio(float(interval.high), e1, e2)

    return CountChange(
        current=x1,
        previous=x2,
        change=x1 - x2,
        pct_change=pct_change,
        rate_ratio=rate_ratio,
        ratio_lower=ratio_lower,
        ratio_upper=ratio_upper,
        p_value=p_value,
        significant=p_value is not None and p_value < alpha,
        small_counts=x1 < SMALL_COUNT_THRESHOLD or x2 < SMALL_COUNT_THRESHOLD,
        exposure_ratio=exposure_ratio,
    )


def _odds_to_ratio(p: float, e1: float, e2: float) -> float | None:
    """Turn a binomial proportion into a rate ratio; ``None`` when it is infinite (p = 1)."""
    if p >= 1.0:
        return None
    return p / (1.0 - p) * e2 / e1
