"""Key facts written from results by templates, never by hand.

Wording follows significance: a change that is not statistically significant is never
described as a rise or fall, and small numbers get no percentage.
"""

from __future__ import annotations

from cspkit.assessment.overview import Overview, OverviewRow
from cspkit.assessment.wording import the_period

ALL_CRIME = "all-crime"
ASB = "anti-social-behaviour"
TOP_MOVERS = 3


def change_sentence(row: OverviewRow, area: str, overview: Overview, *, hide_below: int = 0) -> str:
    """One sentence on an indicator's change, worded by its significance.

    With ``hide_below`` (public editions), no count below it is stated.
    """
    c = overview.comparison
    name = row.indicator if row.indicator_id != ALL_CRIME else "Crime"
    subject = f"{name} in {area}"
    shown = [v for v in (row.current, row.previous, row.current_compared) if v is not None]
    if any(0 < v < hide_below for v in shown):
        return f"{subject}: numbers too small to publish."
    if c is None or row.previous is None or row.current_compared is None:
        return f"{subject}: {row.current:,.0f} recorded in {overview.period.label}."
    between = f"between {the_period(c.previous.label)} and {the_period(c.current.label)}"
    counts = f"({row.previous:,.0f} to {row.current_compared:,.0f})"
    if row.small_counts:
        return (
            f"{subject} went from {row.previous:,.0f} to {row.current_compared:,.0f} {between}: "
            "numbers too small for a meaningful percentage change."
        )
    if not row.significant or row.pct_change is None:
        return f"{subject} showed no statistically significant change {between} {counts}."
    verb = "rose" if row.pct_change > 0 else "fell"
    return f"{subject} {verb} by {abs(row.pct_change):.1f}% {between} {counts}."


def rank_sentence(row: OverviewRow, area: str) -> str | None:
    """'Maidstone had the 7th lowest rate of ... among 13 districts' style sentence."""
    if row.rank_position is None or row.rank_of is None or row.rate_per_1000 is None:
        return None
    tie = " (tied)" if row.rank and row.rank.startswith("=") else ""
    position, of = row.rank_position, row.rank_of
    if position == 1:
        place = "the lowest rate"
    elif position == of:
        place = "the highest rate"
    elif position <= (of + 1) // 2:
        place = f"the {_ordinal(position)} lowest rate"
    else:
        place = f"the {_ordinal(of - position + 1)} highest rate"
    return (
        f"{area} had {place} of {row.indicator.lower()}{tie} among {of} districts "
        f"({row.rate_per_1000:,.1f} per 1,000 residents)."
    )


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def key_facts(overview: Overview, *, hide_below: int = 0) -> tuple[str, ...]:
    """The headline facts of the overview: all crime, ASB, then the largest significant moves.

    With ``hide_below`` (public editions), no count below it is stated.
    """
    area = overview.area.name
    rows = {r.indicator_id: r for r in overview.rows}
    facts: list[str] = []
    for ind in (ALL_CRIME, ASB):
        if ind in rows:
            facts.append(change_sentence(rows[ind], area, overview, hide_below=hide_below))
            ranked = rank_sentence(rows[ind], area)
            if ranked:
                facts.append(ranked)
    movers = sorted(
        (
            r
            for r in overview.rows
            if r.indicator_id not in (ALL_CRIME, ASB)
            and r.significant
            and not r.small_counts
            and r.pct_change is not None
        ),
        key=lambda r: abs(r.change or 0),
        reverse=True,
    )[:TOP_MOVERS]
    facts.extend(change_sentence(r, area, overview, hide_below=hide_below) for r in movers)
    return tuple(facts)
