"""What residents told us: the survey's percentages, intervals, changes and concerns."""

from __future__ import annotations

from cspkit.assessment.survey_results import SurveyResults
from cspkit.report.blocks import Block, Bullets, Callout, Column, Paragraph, Section, Table
from cspkit.stats.survey import AREA_MIN_BASE

SECTION_ID = "survey"
TITLE = "What residents told us"


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
        Bullets(
            tuple(
                f"{qid}: {text}"
                for qid, text in dict((r.question_id, r.question) for r in s.results).items()
            )
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
                    r.question_id,
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
    if s.areas:
        blocks.append(
            Table(
                id="survey-areas",
                caption="Answers by area (latest wave)",
                columns=(
                    Column("Area"),
                    Column("Question"),
                    Column("Percent", numeric=True, format="rate"),
                    Column("Base", numeric=True, count=True, format="count"),
                ),
                rows=tuple(
                    (
                        a.area,
                        a.question_id,
                        round(a.estimate.percent, 1) if a.estimate else None,
                        a.base,
                    )
                    for a in s.areas
                    if a.wave == s.latest_wave
                ),
                notes=(
                    f"Areas with a base under {AREA_MIN_BASE} respondents are not given a "
                    "percentage (blank): the figure would be too uncertain.",
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
