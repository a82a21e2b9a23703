"""Harm-weighted crime totals (Cambridge Crime Harm Index style).

Each category's count is multiplied by a weight in days: for the Cambridge Crime
Harm Index, the sentencing-guideline starting point for a first offender
(Sherman, Neyroud and Neyroud, 2016, "The Cambridge Crime Harm Index: measuring
total harm from crime based on sentencing guidelines", *Policing* 10(3), 171-183).
The ONS Crime Severity Score uses average sentence lengths instead (ONS, 2016,
"Research outputs: developing a Crime Severity Score for England and Wales using
data on crimes recorded by the police"); any table of category -> weight works.

A category with no weight is listed as such and left out of the harm total: it is
never silently weighted 0 or 1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from cspkit.errors import InputError

PER_RESIDENTS = 1_000
"""Harm rates are per this many residents."""
WEIGHT_COLUMNS = ("category", "weight_days", "source")


@dataclass(frozen=True)
class HarmRow:
    """One category: its count, weight (days), harm (count x weight) and shares (0-1)."""

    category: str
    count: int
    weight_days: float | None
    harm_days: float | None
    share_of_volume: float | None
    share_of_harm: float | None


@dataclass(frozen=True)
class HarmResult:
    """Harm by category, largest harm first, with totals over the weighted categories."""

    rows: tuple[HarmRow, ...]
    total_count: int
    weighted_count: int
    total_harm_days: float
    unweighted_categories: tuple[str, ...]
    population: float | None
    harm_days_per_1000: float | None


def weights_from_frame(table: pd.DataFrame) -> dict[str, float]:
    """A weight table (columns category, weight_days[, source]) as a category -> days mapping."""
    missing = [c for c in WEIGHT_COLUMNS[:2] if c not in table.columns]
    if missing:
        raise InputError(
            f"harm weights: missing column(s) {', '.join(missing)}; "
            f"found {', '.join(map(str, table.columns))}"
        )
    weights: dict[str, float] = {}
    for row_number, (category, weight) in enumerate(
        zip(table["category"], table["weight_days"], strict=True), start=2
    ):
        name = str(category)
        if name in weights:
            raise InputError(
                f"harm weights: category {name!r} appears twice", row=row_number, column="category"
            )
        weights[name] = float(weight)
    _check_weights(weights)
    return weights


def _check_weights(weights: Mapping[str, float]) -> None:
    for category, weight in weights.items():
        if not math.isfinite(weight) or weight < 0:
            raise InputError(
                f"harm weight for {category!r} is {weight!r}; expected a number of days >= 0"
            )


def harm_totals(
    counts: Mapping[str, int] | pd.Series,
    weights: Mapping[str, float],
    population: float | None = None,
) -> HarmResult:
    """Weight ``counts`` (category -> events) by ``weights`` (category -> days).

    ``population`` (residents) gives harm days per 1,000 residents.
    """
    _check_weights(weights)
    items = [(str(k), v) for k, v in counts.items()]
    for category, count in items:
        if isinstance(count, bool) or not float(count).is_integer() or count < 0:
            raise InputError(f"harm: count for {category!r} is {count!r}; expected 0 or more")
    if population is not None and not (math.isfinite(population) and population > 0):
        raise InputError(f"harm: population is {population!r}; expected more than 0")
    total_count = int(sum(int(c) for _, c in items))
    harms = {c: int(n) * weights[c] for c, n in items if c in weights}
    total_harm = math.fsum(harms.values())
    rows = [
        HarmRow(
            category=category,
            count=int(count),
            weight_days=weights.get(category),
            harm_days=harms.get(category),
            share_of_volume=int(count) / total_count if total_count else None,
            share_of_harm=(
                harms[category] / total_harm if category in harms and total_harm > 0 else None
            ),
        )
        for category, count in items
    ]
    rows.sort(key=lambda r: (r.harm_days is None, -(r.harm_days or 0.0), r.category))
    return HarmResult(
        rows=tuple(rows),
        total_count=total_count,
        weighted_count=int(sum(int(n) for c, n in items if c in weights)),
        total_harm_days=total_harm,
        unweighted_categories=tuple(sorted(c for c, _ in items if c not in weights)),
        population=population,
        harm_days_per_1000=None if population is None else total_harm / population * PER_RESIDENTS,
    )
