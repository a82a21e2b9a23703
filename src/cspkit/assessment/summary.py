"""The executive summary: key messages, what they mean for the partnership, and each
chapter's findings.

"What this means" is written from the overview's results by rules, never by hand: only a
statistically significant change is called a rise or fall, and a high rate among the
force's districts is named whether or not it changed.
"""

from __future__ import annotations

from collections.abc import Sequence

from cspkit.assessment import narrative
from cspkit.assessment.overview import Overview, OverviewRow
from cspkit.report.blocks import Block, Bullets, Callout, Paragraph, Section, Subheading

SECTION_ID = "summary"
TITLE = "Executive summary"
#: A district in this top share of the force's districts by rate "has one of the highest".
HIGH_RANK_SHARE = 0.25
#: At most this many indicators are named in each "what this means" sentence.
MAX_NAMED = 4


def _names(rows: Sequence[OverviewRow]) -> str:
    names = [r.indicator.lower() if i else r.indicator for i, r in enumerate(rows[:MAX_NAMED])]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _rose(r: OverviewRow) -> bool:
    return r.significant and not r.small_counts and (r.pct_change or 0) > 0


def _fell(r: OverviewRow) -> bool:
    return r.significant and not r.small_counts and (r.pct_change or 0) < 0


def _high_rank(r: OverviewRow) -> bool:
    if r.rank_position is None or r.rank_of is None or r.rank_of < 2:
        return False
    return r.rank_position > r.rank_of * (1 - HIGH_RANK_SHARE)


def implications(overview: Overview) -> tuple[str, ...]:
    """What the overview's results mean for the partnership's plan, one sentence a point."""
    rows = [r for r in overview.rows if r.unit != "percent"] or list(overview.rows)
    area = overview.area.name
    out: list[str] = []
    rising = sorted((r for r in rows if _rose(r)), key=lambda r: -(r.change or 0))
    falling = sorted((r for r in rows if _fell(r)), key=lambda r: r.change or 0)
    high = [r for r in rows if _high_rank(r)]
    if rising:
        out.append(
            f"{_names(rising)} rose significantly: the partnership should ask whether "
            f"{'each' if len(rising) > 1 else 'it'} needs a place among its priorities, and "
            "what lies behind the rise (the trends and emerging-issues chapters show when "
            "and where)."
        )
    if high:
        out.append(
            f"{area} has one of the highest rates among the force's districts for "
            f"{_names(high).lower()}: a reason for attention even where the numbers did not "
            "change."
        )
    if falling:
        out.append(
            f"{_names(falling)} fell significantly: before resources move elsewhere, check "
            "which actions contributed and whether the fall holds in the monthly charts."
        )
    steady = [r for r in rows if not r.significant and r.previous is not None]
    if steady:
        out.append(
            f"{len(steady)} of {len(rows)} indicators showed no statistically significant "
            "change: their year-to-year differences are within what chance gives, and are not "
            "by themselves grounds to start or stop work."
        )
    if not out:
        out.append(
            "No comparison period is available, so this assessment describes volumes, rates "
            "and places rather than change; priorities rest on volume, harm and rank."
        )
    return tuple(out)


def summary_section(
    overview: Overview,
    chapters: Sequence[Section],
    *,
    hide_below: int = 0,
    warnings: Sequence[str] = (),
) -> Section:
    """Data-quality warnings (if any), key messages, then what they mean for the partnership,
    then each chapter's findings."""
    blocks: list[Block] = [
        *((Callout("Data-quality warnings", tuple(warnings)),) if warnings else ()),
        Paragraph(
            "Key messages, each computed from the data in this report and traceable to one of "
            "its tables. Changes are called rises or falls only when they are statistically "
            "significant; every significant rise of a crime type with at least "
            f"{narrative.HEADLINE_MINIMUM} offences is listed, with the strongest falls; "
            "changes on small numbers are never headlines."
        ),
        Subheading("What this means for the partnership"),
        Bullets(implications(overview)),
        Subheading("Findings of each chapter"),
    ]
    for chapter in chapters:
        if chapter.key_findings:
            blocks.append(Paragraph(f"{chapter.title}:"))
            blocks.append(Bullets(chapter.key_findings))
    messages = narrative.key_messages(overview, chapters, hide_below=hide_below)
    return Section(SECTION_ID, TITLE, tuple(blocks), messages, findings_title="Key messages")
