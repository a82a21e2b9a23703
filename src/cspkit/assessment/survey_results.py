"""What residents told us: every survey question's result per wave for a district.

Respondent-level waves are computed from the stored answers (weighted %, Wilson interval on
the Kish effective base); published waves use the published percentage and base. Each result
is compared with the latest earlier wave of the same question.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import duckdb

from cspkit.stats.survey import (
    AREA_MIN_BASE,
    RankedChoice,
    SurveyEstimate,
    WaveComparison,
    compare_waves,
    estimate,
    from_published,
    rank_choices,
)


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    question: str
    wave: str
    estimate: SurveyEstimate
    comparison: WaveComparison | None
    note: str
    published: bool

    def describe(self) -> str:
        e = self.estimate
        text = f"{e.percent:.0f}% (95% CI {e.lower:.0f}-{e.upper:.0f}%, base {e.base:,})"
        if self.comparison is not None:
            text += ", " + self.comparison.describe(e.percent)
        return text


@dataclass(frozen=True)
class AreaResult:
    question_id: str
    wave: str
    area: str
    estimate: SurveyEstimate | None  # None: base under AREA_MIN_BASE, suppressed
    base: int


@dataclass(frozen=True)
class SurveyResults:
    results: tuple[QuestionResult, ...]  # latest wave first within each question
    issues: tuple[RankedChoice, ...]  # the latest wave's multi-choice ranking
    issues_question: str
    places: tuple[RankedChoice, ...]
    places_question: str
    areas: tuple[AreaResult, ...]
    latest_wave: str | None
    notes: tuple[str, ...]

    def concern(self, option: str) -> float | None:
        """% of respondents naming ``option`` among the issues most needing tackling."""
        low = option.lower()
        return next((c.percent for c in self.issues if c.choice.lower() == low), None)


def _respondents(
    con: duckdb.DuckDBPyConnection, lad: str, wave: str, question_id: str
) -> dict[int, tuple[float, str | None, list[str]]]:
    rows = con.execute(
        "SELECT respondent, weight, area, answer FROM survey_answers "
        "WHERE lad_code = ? AND wave = ? AND question_id = ? ORDER BY respondent, answer",
        [lad, wave, question_id],
    ).fetchall()
    out: dict[int, tuple[float, str | None, list[str]]] = {}
    for r, w, area, answer in rows:
        out.setdefault(int(r), (float(w), area, []))[2].append(str(answer))
    return out


def _all_weights(con: duckdb.DuckDBPyConnection, lad: str, wave: str) -> dict[int, float]:
    rows = con.execute(
        "SELECT respondent, any_value(weight) FROM survey_answers WHERE lad_code = ? AND wave = ? "
        "GROUP BY respondent",
        [lad, wave],
    ).fetchall()
    return {int(r): float(w) for r, w in rows}


def survey_results(con: duckdb.DuckDBPyConnection, lad: str) -> SurveyResults | None:
    """Every question's result for the district, or None when it has no survey loaded."""
    questions = con.execute(
        "SELECT wave, question_id, text, kind, positive, note FROM survey_questions "
        "WHERE lad_code = ? ORDER BY wave, question_id",
        [lad],
    ).fetchall()
    published = con.execute(
        "SELECT wave, question_id, any_value(text), any_value(percent) FILTER (WHERE area_is), "
        "any_value(base) FILTER (WHERE area_is), any_value(note) FROM ("
        "  SELECT *, (upper(area) = upper(?) OR lower(area) = lower(d.lad_name)) AS area_is "
        "  FROM survey_published JOIN districts d USING (lad_code) WHERE lad_code = ?) "
        "GROUP BY ALL ORDER BY wave, question_id",
        [lad, lad],
    ).fetchall()
    if not questions and not published:
        return None
    estimates: dict[str, list[tuple[str, str, SurveyEstimate, str, bool]]] = defaultdict(list)
    areas: list[AreaResult] = []
    multi: dict[str, tuple[str, tuple[RankedChoice, ...]]] = {}
    places: dict[str, tuple[str, tuple[RankedChoice, ...]]] = {}
    for wave, qid, text, kind, positive, note in questions:
        answers = _respondents(con, lad, wave, qid)
        if kind == "single":
            counted = answers
            if counted:
                est = estimate(
                    [any(a in (positive or []) for a in v[2]) for v in counted.values()],
                    [v[0] for v in counted.values()],
                )
                estimates[qid].append((wave, str(text), est, str(note), False))
            by_area: dict[str, list[tuple[float, bool]]] = defaultdict(list)
            for w, area, given in counted.values():
                if area:
                    by_area[area].append((w, any(a in (positive or []) for a in given)))
            for area, items in sorted(by_area.items()):
                ok = len(items) >= AREA_MIN_BASE
                areas.append(
                    AreaResult(
                        qid,
                        wave,
                        area,
                        estimate([y for _, y in items], [w for w, _ in items]) if ok else None,
                        len(items),
                    )
                )
        else:
            weights = _all_weights(con, lad, wave)
            chosen = [frozenset(answers[r][2]) if r in answers else frozenset() for r in weights]
            ranked = rank_choices(chosen, list(weights.values()))
            (multi if kind == "multi" else places)[wave] = (str(text), ranked)
    for wave, qid, text, percent, base, note in published:
        if percent is not None and base is not None:
            estimates[qid].append(
                (wave, str(text), from_published(percent, int(base)), str(note or ""), True)
            )
    results: list[QuestionResult] = []
    for qid in sorted(estimates):
        waves = sorted(estimates[qid], key=lambda t: t[0])
        for i in range(len(waves) - 1, -1, -1):
            wave, text, est, note, pub = waves[i]
            cmp = compare_waves(est, waves[i - 1][2], waves[i - 1][0]) if i > 0 else None
            results.append(QuestionResult(qid, text, wave, est, cmp, note, pub))
    latest = max([w for w, *_ in questions] + [w for w, *_ in published], default=None)
    issues_wave = max(multi, default=None)
    places_wave = max(places, default=None)
    notes = sorted({str(n) for *_, n in questions if n} | {str(r[5]) for r in published if r[5]})
    return SurveyResults(
        results=tuple(results),
        issues=multi[issues_wave][1] if issues_wave else (),
        issues_question=multi[issues_wave][0] if issues_wave else "",
        places=places[places_wave][1] if places_wave else (),
        places_question=places[places_wave][0] if places_wave else "",
        areas=tuple(areas),
        latest_wave=latest,
        notes=tuple(notes),
    )
