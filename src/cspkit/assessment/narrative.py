"""The executive summary's key messages, chosen by rules that follow the evidence.

Wording follows significance: a change that is not statistically significant is never
described as a rise or fall, and small numbers get no percentage. The messages are chosen, not
the largest falls: every significant rise of a category with at least
:data:`HEADLINE_MINIMUM` offences in either period is reported; significant falls of such
categories are reported too (the strongest evidence first), so rises and falls both appear
when both exist; small counts are never headlines. At most :data:`MAX_MESSAGES` messages,
each one sentence, each traceable to a table of the report.
"""

from __future__ import annotations

from collections.abc import Sequence

from cspkit.assessment.overview import Overview, OverviewRow
from cspkit.assessment.wording import the_period
from cspkit.report.blocks import Section
from cspkit.report.formatting import fmt_count, fmt_percent

ALL_CRIME = "all-crime"
ASB = "anti-social-behaviour"
#: A category needs at least this many offences in one of the two periods to be a headline.
HEADLINE_MINIMUM = 50
#: The executive summary never holds more messages than this.
MAX_MESSAGES = 10
#: At most this many significant falls are headlines (every significant rise is one).
MAX_FALLS = 3
#: Sections whose first key finding may join the summary, in order of priority.
SUMMARY_SECTIONS = ("emerging", "trends", "hotspots", "harm", "outcomes")


def change_sentence(row: OverviewRow, area: str, overview: Overview, *, hide_below: int = 0) -> str:
    """One sentence on an indicator's change, worded by its significance.

    When the periods differ in length the sentence is about the monthly rate and says so. With
    ``hide_below`` (public editions), no count below it is stated.
    """
    c = overview.comparison
    name = row.indicator if row.indicator_id != ALL_CRIME else "Crime"
    subject = f"{name} in {area}"
    shown = [v for v in (row.current, row.previous, row.current_compared) if v is not None]
    if any(0 < v < hide_below for v in shown):
        return f"{subject}: numbers too small to publish."
    if c is None or row.previous is None or row.current_compared is None:
        return (
            f"{subject}: {fmt_count(row.current)} recorded in {the_period(overview.period.label)}."
        )
    between = f"between {the_period(c.previous.label)} and {the_period(c.current.label)}"
    counts = f"({fmt_count(row.previous)} to {fmt_count(row.current_compared)})"
    what = name.lower() if name != "Crime" else "crime"
    if overview.length_differs and row.rate_adjusted:
        subject = f"The monthly rate of {what} in {area}"
        counts = (
            f"({fmt_count(row.previous)} in {_months(c.previous.n_months)} to "
            f"{fmt_count(row.current_compared)} in {_months(c.current.n_months)})"
        )
    elif row.rate_adjusted:
        subject = f"The rate of {what} per 1,000 {_base(row).split(' (')[0]} in {area}"
    if row.small_counts:
        return (
            f"{subject} went from {fmt_count(row.previous)} to "
            f"{fmt_count(row.current_compared)} {between}: numbers too small for a meaningful "
            "percentage change."
        )
    if not row.significant or row.pct_change is None:
        return f"{subject} showed no statistically significant change {between} {counts}."
    verb = "rose" if row.pct_change > 0 else "fell"
    return f"{subject} {verb} by {fmt_percent(abs(row.pct_change))} {between} {counts}."


def _months(n: int) -> str:
    return "1 month" if n == 1 else f"{n} months"


def rank_sentence(row: OverviewRow, area: str) -> str | None:
    """'Maidstone's rate of all crime ranked 7 of 13 districts (1 = lowest rate)...'."""
    if row.rank_position is None or row.rank_of is None or row.rate_per_1000 is None:
        return None
    tie = " (tied)" if row.rank and row.rank.startswith("=") else ""
    return (
        f"{area}'s rate of {row.indicator.lower()} ranked {row.rank_position}{tie} of "
        f"{row.rank_of} districts (1 = lowest rate), at {row.rate_per_1000:,.1f} per 1,000 "
        f"{_base(row)}."
    )


def _base(row: OverviewRow) -> str:
    base = {"households": "households", "adults-18-plus": "adults"}.get(
        row.denominator_basis, "residents"
    )
    return f"{base} ({row.denominator_year})" if row.denominator_year else base


def _headline(row: OverviewRow) -> bool:
    """Significant, tested on counts large enough, and a police.uk category."""
    largest = max(row.previous or 0.0, row.current_compared or 0.0)
    return (
        row.indicator_id not in (ALL_CRIME, ASB)
        and row.significant
        and not row.small_counts
        and row.pct_change is not None
        and largest >= HEADLINE_MINIMUM
    )


def movers(overview: Overview) -> tuple[list[OverviewRow], list[OverviewRow]]:
    """Significant rises (all) and falls (the strongest :data:`MAX_FALLS`), by evidence.

    Both lists are ordered by p-value, then by the size of the change.
    """
    chosen = [r for r in overview.rows if _headline(r)]
    chosen.sort(key=lambda r: (r.p_value or 0.0, -abs(r.change or 0.0)))
    rises = [r for r in chosen if (r.pct_change or 0) > 0]
    falls = [r for r in chosen if (r.pct_change or 0) < 0][:MAX_FALLS]
    return rises, falls


def key_facts(overview: Overview, *, hide_below: int = 0) -> tuple[str, ...]:
    """The overview's messages: all crime, ASB, each significant rise, the strongest falls,
    and the all-crime rank. With ``hide_below`` (public editions), no count below it is stated.
    """
    area = overview.area.name
    rows = {r.indicator_id: r for r in overview.rows}
    facts = [
        change_sentence(rows[i], area, overview, hide_below=hide_below)
        for i in (ALL_CRIME, ASB)
        if i in rows
    ]
    rises, falls = movers(overview)
    facts += [change_sentence(r, area, overview, hide_below=hide_below) for r in rises + falls]
    if ALL_CRIME in rows and (ranked := rank_sentence(rows[ALL_CRIME], area)):
        facts.append(ranked)
    return tuple(facts)


def key_messages(
    overview: Overview, sections: Sequence[Section], *, hide_below: int = 0
) -> tuple[str, ...]:
    """At most :data:`MAX_MESSAGES` messages: the overview's, then one from each section.

    Every significant rise is kept even if that leaves less room for the sections.
    """
    facts = key_facts(overview, hide_below=hide_below)
    messages = list(facts)
    by_id = {s.id: s for s in sections}
    for section_id in SUMMARY_SECTIONS:
        section = by_id.get(section_id)
        if section is None or not section.key_findings:
            continue
        if len(messages) >= MAX_MESSAGES:
            break
        messages.append(section.key_findings[0])
    return tuple(messages[: max(MAX_MESSAGES, len(facts))])
