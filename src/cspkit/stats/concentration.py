"""Crime concentration at place: share of places holding a share of events, Lorenz, Gini.

References:

* Weisburd, D. (2015). The law of crime concentration and the criminology of place.
  *Criminology* 53(2), 133-157: about 50% of crime on 2-6% of street segments and
  about 25% on 0.4-1.6%. Reported here as the percentage of places holding 25% and
  50% of the events.
* Bernasco, W. and Steenbeek, W. (2017). More places than crimes: implications for
  evaluating the law of crime concentration at place. *Journal of Quantitative
  Criminology* 33, 451-467. doi:10.1007/s10940-016-9324-7.

With counts sorted ascending x_(1) <= ... <= x_(n), n places and N events, the
(sample, "biased") Gini is::

    G = sum_i (2i - n - 1) x_(i) / (n N)  = 1 - 2 A

where A is the area under the Lorenz curve through (i/n, cumulative share of
events). When events are fewer than places, even the most even spread possible
leaves n - N places empty, so G cannot reach 0. Bernasco and Steenbeek compare the
observed curve with that line of *maximal* equality instead, giving the
generalised Gini::

    G' = max(1, n / N) (G - 1) + 1

which equals G whenever N >= n (as in their R package lorenzgini, function gini
with unbiased = FALSE).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cspkit.errors import InputError

CONCENTRATION_SHARES = (0.25, 0.50)
"""Shares of events for which the share of places holding them is reported (Weisburd 2015)."""


@dataclass(frozen=True)
class ConcentrationResult:
    """How concentrated events are across places (``None`` where there are no events)."""

    places: int
    events: int
    places_with_events: int
    places_for_25pct: int | None
    places_for_50pct: int | None
    pct_places_for_25pct: float | None
    pct_places_for_50pct: float | None
    lorenz: tuple[tuple[float, float], ...]
    gini: float | None
    generalised_gini: float | None
    fewer_events_than_places: bool


def places_holding(counts: Sequence[int], share: float) -> int:
    """Fewest places (busiest first) that together hold at least ``share`` of all events."""
    total = sum(counts)
    if total == 0:
        raise InputError("concentration: no events, so no share of them can be held")
    if not 0 < share <= 1:
        raise InputError(f"concentration share: expected more than 0 and at most 1, found {share}")
    running = 0
    for k, c in enumerate(sorted(counts, reverse=True), start=1):
        running += c
        if running >= share * total - 1e-9 * total:
            return k
    return len(counts)  # pragma: no cover - the loop always reaches the total


def lorenz_curve(counts: Sequence[int]) -> tuple[tuple[float, float], ...]:
    """Points (cumulative share of places, cumulative share of events), quietest place first.

    Starts at (0, 0) and ends at (1, 1); empty when there are no events.
    """
    total = sum(counts)
    if total == 0:
        return ()
    n = len(counts)
    points = [(0.0, 0.0)]
    running = 0
    for i, c in enumerate(sorted(counts), start=1):
        running += c
        points.append((i / n, running / total))
    return tuple(points)


def gini(counts: Sequence[int]) -> float:
    """Sample Gini coefficient ``sum (2i - n - 1) x_(i) / (n N)`` (0 = even, near 1 = one place)."""
    total = sum(counts)
    if total == 0:
        raise InputError("Gini: no events, so concentration is undefined")
    n = len(counts)
    return math.fsum((2 * i - n - 1) * x for i, x in enumerate(sorted(counts), start=1)) / (
        n * total
    )


def generalised_gini(counts: Sequence[int]) -> float:
    """Bernasco and Steenbeek's (2017) Gini against maximal equality: ``max(1, n/N)(G-1)+1``."""
    n, total = len(counts), sum(counts)
    return max(1.0, n / total) * (gini(counts) - 1.0) + 1.0 if total else gini(counts)


def _as_counts(counts: Mapping[str, int] | Sequence[int], n_places: int | None) -> list[int]:
    values = list(counts.values()) if isinstance(counts, Mapping) else list(counts)
    for i, v in enumerate(values):
        if isinstance(v, bool) or not float(v).is_integer() or v < 0:
            raise InputError(f"concentration: count at position {i} is {v!r}; expected 0 or more")
    if n_places is not None:
        if n_places < len(values):
            raise InputError(
                f"concentration: n_places is {n_places} but {len(values)} places have counts"
            )
        values += [0] * (n_places - len(values))
    if not values:
        raise InputError("concentration: no places given")
    return [int(v) for v in values]


def concentration(
    counts: Mapping[str, int] | Sequence[int], n_places: int | None = None
) -> ConcentrationResult:
    """Concentration of events over places.

    ``counts`` must include places with no events, or give ``n_places`` (the number
    of places in the study area) and the missing places are counted as zeros.
    """
    values = _as_counts(counts, n_places)
    n, total = len(values), sum(values)
    held = [places_holding(values, s) if total else None for s in CONCENTRATION_SHARES]
    pct = [None if k is None else 100.0 * k / n for k in held]
    return ConcentrationResult(
        places=n,
        events=total,
        places_with_events=sum(1 for v in values if v > 0),
        places_for_25pct=held[0],
        places_for_50pct=held[1],
        pct_places_for_25pct=pct[0],
        pct_places_for_50pct=pct[1],
        lorenz=lorenz_curve(values),
        gini=gini(values) if total else None,
        generalised_gini=generalised_gini(values) if total else None,
        fewer_events_than_places=total < n,
    )
