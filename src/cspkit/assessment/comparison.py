"""Choosing the periods an assessment compares, honestly, from what the data cover.

When the requested comparison period is only partly covered (e.g. 2024 when only
January-April 2024 is loaded), the assessment compares the like-for-like months the data
allow (January-April 2025 against January-April 2024) instead of a false full-year change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cspkit.errors import DataCoverageError
from cspkit.stats.periods import Period, add_months, format_month, month_range
from cspkit.warehouse.coverage import MISSING, Coverage, ForceMonth


@dataclass(frozen=True)
class Comparison:
    """The two periods whose counts are compared, and why these."""

    current: Period
    previous: Period
    like_for_like: bool
    note: str


def _months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + (b.month - a.month)


def describe_gaps(gaps: tuple[ForceMonth, ...]) -> str:
    """'missing 2024-05, 2024-06; partial 2024-07' style text."""
    missing = [format_month(g.month) for g in gaps if g.status == MISSING]
    partial = [format_month(g.month) for g in gaps if g.status != MISSING]
    parts = []
    if missing:
        parts.append("missing " + _compact(missing))
    if partial:
        parts.append("possibly partial " + ", ".join(partial))
    return "; ".join(parts)


def _compact(months: list[str]) -> str:
    if len(months) > 3:
        return f"{months[0]} to {months[-1]}, {len(months)} months"
    return ", ".join(months)


def _runs(months: list[date]) -> list[str]:
    """Consecutive months as 'YYYY-MM to YYYY-MM' runs."""
    runs: list[list[date]] = []
    for m in sorted(months):
        if runs and add_months(runs[-1][-1], 1) == m:
            runs[-1].append(m)
        else:
            runs.append([m])
    return [
        format_month(r[0]) if len(r) == 1 else f"{format_month(r[0])} to {format_month(r[-1])}"
        for r in runs
    ]


ALLOW_PARTIAL_OPTION = "--allow-partial"


def partial_text(month: ForceMonth) -> str:
    """'2025-03 (4,210 records against a median of 12,800 in the months around it)'."""
    median = (
        f" against a median of {month.neighbour_median:,.0f} in the months around it"
        if month.neighbour_median
        else ""
    )
    return f"{format_month(month.month)} ({month.rows:,} records{median})"


def require_covered(
    coverage: Coverage, force_slug: str, period: Period, *, allow_partial: bool = False
) -> tuple[ForceMonth, ...]:
    """Refuse (DataCoverageError) to assess a period the data do not fully cover.

    A month that coverage calls possibly partial is refused too, naming the option that
    accepts it; with ``allow_partial`` such months are accepted and returned (a missing month
    is always refused).
    """
    gaps = coverage.gaps(force_slug, period)
    if not gaps:
        return ()
    partial = tuple(g for g in gaps if g.status != MISSING)
    if allow_partial and len(partial) == len(gaps):
        return partial
    held = [c.month for c in coverage.for_force(force_slug) if c.status != MISSING]
    span = (
        f"the warehouse holds {force_slug} street data for " + ", ".join(_runs(held))
        if held
        else f"the warehouse holds no {force_slug} street data"
    )
    if len(partial) == len(gaps):
        raise DataCoverageError(
            f"{period.label} holds possibly partial months for {force_slug}: "
            + ", ".join(partial_text(g) for g in partial)
            + f". To assess it anyway, with a warning, give {ALLOW_PARTIAL_OPTION}; or choose "
            "another period"
        )
    raise DataCoverageError(
        f"{period.label} is not fully covered for {force_slug}: {describe_gaps(gaps)}; {span}. "
        "Choose a period inside the data, e.g. --period YYYY-MM..YYYY-MM"
    )


def choose_comparison(
    coverage: Coverage, force_slug: str, period: Period, compare: Period
) -> Comparison | None:
    """The full comparison if covered, else the like-for-like months, else None."""
    if coverage.covers(force_slug, compare):
        return Comparison(period, compare, False, "")
    offset = _months_between(compare.first, period.first)
    gaps = {g.month for g in coverage.gaps(force_slug, compare)}
    usable = [m for m in compare.months if m not in gaps and period.contains(add_months(m, offset))]
    runs: list[list[date]] = []
    for m in usable:
        if runs and add_months(runs[-1][-1], 1) == m:
            runs[-1].append(m)
        else:
            runs.append([m])
    if not runs:
        return None
    best = max(runs, key=len)
    previous = month_range(best[0], best[-1])
    current = month_range(add_months(best[0], offset), add_months(best[-1], offset))
    note = (
        f"{compare.label} is not fully covered "
        f"({describe_gaps(coverage.gaps(force_slug, compare))}),"
        f" so changes compare {current.label} with {previous.label}, the like-for-like months "
        "the data allow; counts, rates and ranks are for the whole of "
        f"{period.label}."
    )
    return Comparison(current, previous, True, note)
