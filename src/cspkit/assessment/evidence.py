"""From evidence to priorities: the chapters a board acts on, and their JSON.

After the analysis sections, an assessment adds: the themes (police and partners' data
together), what residents told us (survey), progress on the current plan, the recommended
priorities (scored matrix) and the context appendix. Options say where the plan, the
partnership's decisions, the matrix settings and the theme map come from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from cspkit.assessment.context import SectionContext
from cspkit.assessment.overview import Overview
from cspkit.assessment.priority_inputs import build_candidates, task_and_finish_flags
from cspkit.assessment.sections import context, priorities, progress, survey, themes
from cspkit.assessment.survey_results import SurveyResults, survey_results
from cspkit.assessment.themes import load_theme_map
from cspkit.report.blocks import Section
from cspkit.stats.priorities import MatrixSettings, read_settings, score_issues


@dataclass(frozen=True)
class EvidenceOptions:
    """Files behind the evidence chapters (all optional)."""

    plan: Path | None = None
    decisions: Path | None = None
    weights: Path | None = None
    themes: Path | None = None


@dataclass(frozen=True)
class Evidence:
    """The chapters (in report order, the context appendix last) and their JSON."""

    sections: tuple[Section, ...]
    appendix: tuple[Section, ...]
    data: dict[str, Any] = field(default_factory=dict)


def _survey_json(s: SurveyResults | None) -> list[dict[str, Any]]:
    if s is None:
        return []
    return [
        {
            "question": r.question_id,
            "text": r.question,
            "wave": r.wave,
            "percent": r.estimate.percent,
            "lower": r.estimate.lower,
            "upper": r.estimate.upper,
            "base": r.estimate.base,
            "effective_base": r.estimate.effective_base,
            "previous_wave": r.comparison.previous_wave if r.comparison else None,
            "previous_percent": r.comparison.previous_percent if r.comparison else None,
            "p_value": r.comparison.p_value if r.comparison else None,
            "significant": r.comparison.significant if r.comparison else False,
            "note": r.note,
        }
        for r in s.results
    ]


def _priorities_json(o: priorities.PriorityOutcome) -> dict[str, Any]:
    return {
        "priorities": [
            {
                "issue": s.issue,
                "issue_id": s.issue_id,
                "source": s.source,
                "themes": list(s.themes),
                "score": s.score,
                "rank": s.rank,
                "components": [
                    {
                        "dimension": c.dimension,
                        "value": c.value,
                        "points": c.points,
                        "weighted": c.weighted,
                        "rule": c.rule,
                    }
                    for c in s.components
                ],
            }
            for s in o.scored
        ],
        "recommendations": [
            {
                "rank": i,
                "issue": s.issue,
                "issue_id": s.issue_id,
                "score": s.score,
                "reasons": priorities.reason_text(s),
                "top_reasons": [
                    {
                        "dimension": c.dimension,
                        "value": c.value,
                        "points": c.points,
                        "weighted": c.weighted,
                    }
                    for c in s.reasons()
                ],
                "decision": next(
                    (
                        d.decision
                        for d in o.decisions
                        if d.issue.lower() in (s.issue.lower(), s.issue_id.lower())
                    ),
                    None,
                ),
            }
            for i, s in enumerate(o.recommended, start=1)
        ],
        "cross_cutting": [{"theme": n, "why": w} for n, w in o.cross_cutting],
        "task_and_finish": [{"issue": n, "why": w} for n, w in o.task_and_finish],
        "decisions": [
            {"issue": d.issue, "decision": d.decision, "reason": d.reason} for d in o.decisions
        ],
    }


def build_evidence(
    con: duckdb.DuckDBPyConnection,
    ctx: SectionContext,
    overview: Overview,
    options: EvidenceOptions | None = None,
) -> Evidence:
    """Compute the evidence chapters of one district's assessment."""
    options = options or EvidenceOptions()
    theme_map = load_theme_map(options.themes)
    settings = read_settings(options.weights) if options.weights else MatrixSettings()
    decisions = priorities.read_decisions(options.decisions) if options.decisions else ()
    found: list[Section] = []
    themes_section, _ = themes.themes_section(con, ctx, overview, theme_map)
    if themes_section is not None:
        found.append(themes_section)
    results = survey_results(con, ctx.area.code)
    if results is not None:
        found.append(survey.survey_section(results))
    if options.plan is not None:
        found.append(progress.progress_section(con, ctx, options.plan))
    candidates = build_candidates(con, ctx, overview, theme_map, results)
    scored = score_issues(candidates, settings)
    outcome = priorities.decide(
        scored, settings, theme_map, task_and_finish_flags(con, ctx), decisions
    )
    found.append(priorities.priorities_section(outcome, settings))
    data = {"survey": _survey_json(results), **_priorities_json(outcome)}
    return Evidence(tuple(found), (context.context_section(con, ctx, overview),), data)
