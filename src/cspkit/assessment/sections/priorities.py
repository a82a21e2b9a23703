"""Recommended priorities: the scored matrix, the recommendation, and the partnership's decision.

The matrix (:mod:`cspkit.stats.priorities`) scores every candidate issue; the top N are the
recommended priorities, each with the three cells adding most to its score as its reasons.
Cross-cutting themes are themes marked cross-cutting, or issues belonging to two or more themes,
that score at or above the median of all issues. Task-and-finish candidates are sharp recent
rises (the latest quarter significantly above expectation) outside the recommended priorities.
A decisions file records what the partnership adopts, drops or adds, with its reason.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

import yaml

from cspkit.assessment.themes import ThemeMap
from cspkit.errors import InputError
from cspkit.report.blocks import Block, Bullets, Cell, Column, Paragraph, Section, Table
from cspkit.stats.priorities import DIMENSIONS, MatrixSettings, ScoredIssue

SECTION_ID = "priorities"
TITLE = "Recommended priorities"
DECISIONS = ("adopt", "drop", "add")


@dataclass(frozen=True)
class Decision:
    issue: str
    decision: str
    reason: str


@dataclass(frozen=True)
class PriorityOutcome:
    """Everything the chapter and assessment.json say about priorities."""

    scored: tuple[ScoredIssue, ...]
    recommended: tuple[ScoredIssue, ...]
    cross_cutting: tuple[tuple[str, str], ...]  # (theme or issue, why)
    task_and_finish: tuple[tuple[str, str], ...]  # (issue, why)
    decisions: tuple[Decision, ...]


def read_decisions(path: Path) -> tuple[Decision, ...]:
    """decisions: [{issue: shoplifting, decision: adopt|drop|add, reason: ...}]"""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot be read as YAML ({exc})", file=path.name) from exc
    items = doc.get("decisions") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise InputError("expected a list 'decisions'", file=path.name)
    out = []
    for i, item in enumerate(items):
        where = f"decisions[{i}]"
        if not isinstance(item, dict) or not item.get("issue") or not item.get("reason"):
            raise InputError(
                "expected 'issue', 'decision' and 'reason'", file=path.name, column=where
            )
        if item.get("decision") not in DECISIONS:
            raise InputError(
                f"expected decision {', '.join(DECISIONS)}; found {item.get('decision')!r}",
                file=path.name,
                column=where,
            )
        out.append(Decision(str(item["issue"]), str(item["decision"]), str(item["reason"])))
    return tuple(out)


def decide(
    scored: tuple[ScoredIssue, ...],
    settings: MatrixSettings,
    themes: ThemeMap,
    rises: dict[str, str],
    decisions: tuple[Decision, ...] = (),
) -> PriorityOutcome:
    """Recommendations, cross-cutting themes and task-and-finish candidates from the scores."""
    recommended = tuple(s for s in scored if s.score > 0)[: settings.top_n]
    median = statistics.median([s.score for s in scored]) if scored else 0.0
    high = [s for s in scored if s.score >= median and s.score > 0]
    cross: list[tuple[str, str]] = []
    for theme in themes.themes:
        members = [s for s in high if theme.id in s.themes]
        if theme.cross_cutting and members:
            cross.append(
                (
                    theme.name,
                    "scores at or above the median: "
                    + ", ".join(f"{s.issue} ({s.score:g})" for s in members),
                )
            )
    for s in high:
        if len(s.themes) >= 2:
            cross.append(
                (
                    s.issue,
                    "belongs to "
                    + ", ".join(themes.name(t) for t in s.themes)
                    + f"; score {s.score:g}",
                )
            )
    chosen = {s.issue for s in recommended}
    task = tuple(
        (s.issue, rises[s.issue]) for s in scored if s.issue in rises and s.issue not in chosen
    )
    return PriorityOutcome(scored, recommended, tuple(cross), task, decisions)


def reason_text(s: ScoredIssue) -> list[str]:
    """The top three reasons of a scored issue, each with its figure and rule."""
    return [
        f"{c.dimension.replace('_', ' ').capitalize()}: {c.rule}; weighted {c.weighted:g}"
        for c in s.reasons()
    ]


def priorities_section(o: PriorityOutcome, settings: MatrixSettings) -> Section:
    blocks: list[Block] = [
        Paragraph(
            "Every candidate issue is scored on the same dimensions: volume against peers, "
            "significant trend, harm, concentration, vulnerability, public concern and the "
            "partnership's recorded judgement. Each dimension gives 0-4 points by thresholds and "
            "the score is the weighted sum; a worse figure never lowers a score. Weights: "
            + ", ".join(f"{d.replace('_', ' ')} {settings.weights.get(d, 0):g}" for d in DIMENSIONS)
            + f". The top {settings.top_n} are recommended."
        )
    ]
    for s in o.recommended:
        blocks.append(Paragraph(f"{s.rank}. {s.issue} (score {s.score:g})", emphasis=True))
        blocks.append(Bullets(tuple(reason_text(s))))
    decided = {d.issue.lower(): d for d in o.decisions}
    if o.decisions:
        rows: list[tuple[Cell, ...]] = []
        for s in o.scored:
            d = decided.get(s.issue_id.lower()) or decided.get(s.issue.lower())
            if d or s in o.recommended:
                rec = "recommended" if s in o.recommended else "not recommended"
                rows.append(
                    (
                        s.issue,
                        s.rank,
                        s.score,
                        rec,
                        d.decision if d else "adopt (as recommended)",
                        d.reason if d else "",
                    )
                )
        known = {s.issue_id.lower() for s in o.scored} | {s.issue.lower() for s in o.scored}
        rows += [
            (d.issue, None, None, "not scored", d.decision, d.reason)
            for d in o.decisions
            if d.issue.lower() not in known
        ]
        blocks.append(
            Table(
                id="priority-decisions",
                caption="The scored recommendation beside the decision",
                columns=(
                    Column("Issue"),
                    Column("Rank", numeric=True),
                    Column("Score", numeric=True),
                    Column("Recommendation"),
                    Column("Partnership's decision"),
                    Column("Reason"),
                ),
                rows=tuple(rows),
            )
        )
    if o.cross_cutting:
        blocks.append(Paragraph("Cross-cutting themes", emphasis=True))
        blocks.append(Bullets(tuple(f"{name}: {why}" for name, why in o.cross_cutting)))
    if o.task_and_finish:
        blocks.append(Paragraph("Task-and-finish candidates (sharp recent rises)", emphasis=True))
        blocks.append(Bullets(tuple(f"{name}: {why}" for name, why in o.task_and_finish)))
    blocks.append(
        Table(
            id="priority-matrix",
            caption="Priority-setting matrix: points per dimension",
            columns=(
                Column("Issue"),
                Column("Source"),
                Column("Rank", numeric=True),
                Column("Score", numeric=True),
                *(Column(d.replace("_", " ").capitalize(), numeric=True) for d in DIMENSIONS),
            ),
            rows=tuple(
                (s.issue, s.source, s.rank, s.score, *(c.points for c in s.components))
                for s in o.scored
            ),
            notes=("Each cell's figure and rule are in assessment.json (priorities).",),
        )
    )
    blocks.append(
        Table(
            id="priority-components",
            caption="The recommended priorities' cells with their figures and rules",
            columns=(
                Column("Issue"),
                Column("Dimension"),
                Column("Figure", numeric=True),
                Column("Points", numeric=True),
                Column("Weighted", numeric=True),
                Column("Rule"),
            ),
            rows=tuple(
                (
                    s.issue,
                    c.dimension,
                    None if c.value is None else round(c.value, 2),
                    c.points,
                    c.weighted,
                    c.rule,
                )
                for s in o.recommended
                for c in s.components
                if c.value is not None
            ),
            notes=("Every issue's cells are in assessment.json (priorities).",),
        )
    )
    findings = tuple(
        f"Recommended priority {i}: {s.issue} (score {s.score:g}; "
        + "; ".join(
            f"{c.dimension.replace('_', ' ')} {c.value:.0f}"
            for c in s.reasons()
            if c.value is not None
        )
        + ")"
        for i, s in enumerate(o.recommended, start=1)
    )
    return Section(SECTION_ID, TITLE, tuple(blocks), findings)
