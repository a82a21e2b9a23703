"""What residents told us: the survey's percentages, intervals, changes and concerns."""

from __future__ import annotations

from cspkit.assessment.survey_results import AreaResult, SurveyResults
from cspkit.report.blocks import Block, Bullets, Callout, Column, Paragraph, Section, Table
from cspkit.stats.survey import AREA_MIN_BASE

SECTION_ID = "survey"
TITLE = "What residents told us"


def _percents(found: dict[str, AreaResult], questions: list[str]) -> list[float | None]:
    out: list[float | None] = []
    for q in questions:
        e = found[q].estimate if q in found else None
        out.append(None if e is None else round(e.percent, 1))
    return out


def survey_section(s: SurveyResults) -> Section:
    """The chapter for a district's survey results."""
    blocks: list[Block] = []
    if s.notes:
        blocks.append(Callout("About these survey figures", s.notes))
    blocks.append(
        Paragraph(
            "Percentages are weighted where the survey has weights. The 95% interval is Wilson's, "
            "computed on the effective base (the Kish effective sample size, which allows for the "
            "weighting). A change from an earlier wave is described only when the two-proportion "
            "test finds it significant at the 5% level."
        )
    )
    blocks.append(
        Table(
            id="survey-questions",
            caption="Residents' answers by question and wave",
            columns=(
                Column("Question"),
                Column("Wave"),
                Column("Percent", numeric=True, format="rate"),
                Column("Lower 95%", numeric=True, format="rate"),
                Column("Upper 95%", numeric=True, format="rate"),
                Column("Base", numeric=True, count=True, format="count"),
                Column("Effective base", numeric=True),
                Column("Compared with earlier wave"),
                Column("p", numeric=True, format="p"),
            ),
            rows=tuple(
                (
                    r.question,
                    r.wave,
                    round(r.estimate.percent, 1),
                    round(r.estimate.lower, 1),
                    round(r.estimate.upper, 1),
                    r.estimate.base,
                    round(r.estimate.effective_base, 1),
                    r.comparison.describe(r.estimate.percent)
                    if r.comparison
                    else "no earlier wave",
                    r.comparison.p_value if r.comparison else None,
                )
                for r in s.results
            ),
            notes=(
                "Published waves give a percentage and base only: their effective base is "
                "taken as the base.",
            ),
        )
    )
    if s.issues:
        blocks.append(
            Table(
                id="survey-issues",
                caption=s.issues_question or "Issues that most need tackling",
                columns=(
                    Column("Rank", numeric=True),
                    Column("Issue"),
                    Column("% of respondents", numeric=True, format="rate"),
                    Column("Respondents", numeric=True, count=True, format="count"),
                ),
                rows=tuple(
                    (c.rank, c.choice, round(c.percent, 1), c.respondents) for c in s.issues
                ),
                row_header=False,
            )
        )
    if s.places:
        blocks.append(
            Table(
                id="survey-places",
                caption=s.places_question or "Places named as feeling unsafe",
                columns=(
                    Column("Place"),
                    Column("% of respondents", numeric=True, format="rate"),
                    Column("Respondents", numeric=True, count=True, format="count"),
                ),
                rows=tuple((c.choice, round(c.percent, 1), c.respondents) for c in s.places),
            )
        )
    latest = [a for a in s.areas if a.wave == s.latest_wave]
    if latest:
        questions = sorted({a.question_id for a in latest})
        by_area: dict[str, dict[str, AreaResult]] = {}
        for a in latest:
            by_area.setdefault(a.area, {})[a.question_id] = a
        texts = {r.question_id: r.question for r in s.results}
        blocks.append(Paragraph("The columns of the next table are these questions:"))
        blocks.append(Bullets(tuple(f"{q}: {texts.get(q, q)}" for q in questions)))
        blocks.append(
            Table(
                id="survey-areas",
                caption=f"Answers by area, {s.latest_wave} (% positive)",
                columns=(
                    Column("Area"),
                    Column("Respondents", numeric=True, count=True, format="count"),
                    *(Column(q, numeric=True, format="rate") for q in questions),
                ),
                rows=tuple(
                    (area, max(x.base for x in found.values()), *_percents(found, questions))
                    for area, found in sorted(by_area.items())
                ),
                notes=(
                    f"Areas with a base under {AREA_MIN_BASE} respondents are not given a "
                    "percentage (shown as a dash): the figure would be too uncertain.",
                ),
            )
        )
    findings = [
        f"Residents ({r.wave}): {r.question.rstrip('?')}: {r.describe()}."
        for r in s.results
        if r.wave == s.latest_wave
    ][:2]
    if s.issues:
        top = s.issues[0]
        findings.append(
            f"Residents' top concern ({s.latest_wave}): {top.choice}, named by "
            f"{top.percent:.0f}% of respondents."
        )
    if s.notes:
        findings = [f"{f} [{s.notes[0]}]" for f in findings]
    return Section(SECTION_ID, TITLE, tuple(blocks), tuple(findings))
