"""The figures behind the priority-setting matrix, gathered for every candidate issue.

Candidates are the police.uk categories and partner indicators in the overview, and the survey
concerns with no indicator of their own. Each figure comes from a statistic computed elsewhere:
volume from the peer ranking of the rate, trend from the significance-tested change, harm from
the Crime Harm Index shares, concentration from the Gini coefficient over LSOAs, vulnerability
from partners' repeat-victim figures, public concern from the survey's ranking of issues.
"""

from __future__ import annotations

import duckdb

from cspkit.assessment.context import SectionContext
from cspkit.assessment.overview import Overview, OverviewRow
from cspkit.assessment.sections.emerging import analyse_emerging
from cspkit.assessment.sections.harm import default_weights
from cspkit.assessment.survey_results import SurveyResults
from cspkit.assessment.themes import ThemeMap
from cspkit.stats.concentration import concentration
from cspkit.stats.harm import harm_totals
from cspkit.stats.priorities import Candidate
from cspkit.warehouse.registry import ALL_CRIME_ID, police_indicators

PERCENT = 100.0
#: Partner indicators whose value is a repeat-victim share: the vulnerability figure of the
#: theme they belong to.
REPEAT_INDICATORS = ("domestic-abuse-repeat-victims",)


def _volume(row: OverviewRow) -> float | None:
    """How much worse than peers: % of the other ranked districts with a better value."""
    if row.rank_position is None or row.rank_of is None or row.rank_of < 2:
        return None
    return PERCENT * (row.rank_position - 1) / (row.rank_of - 1)


def _trend(row: OverviewRow) -> float:
    """The % rise when it is significant (and not on small numbers); else 0."""
    if row.significant and not row.small_counts and (row.pct_change or 0) > 0:
        return float(row.pct_change or 0)
    if row.unit != "count" and row.significant and (row.change or 0) > 0:
        return float(row.change or 0)
    return 0.0


def _gini(con: duckdb.DuckDBPyConnection, ctx: SectionContext) -> dict[str, float]:
    rows = con.execute(
        "SELECT c.category, l.lsoa_code, count(c.category) FROM lsoa_lookup l "
        "LEFT JOIN crimes c ON c.lsoa_code = l.lsoa_code AND c.month BETWEEN ? AND ? "
        "AND c.lad_code = ? WHERE l.lad_code = ? AND l.vintage = ("
        "  SELECT max(vintage) FROM lsoa_lookup WHERE lad_code = ?) GROUP BY ALL",
        [ctx.period.first, ctx.period.last, ctx.area.code, ctx.area.code, ctx.area.code],
    ).fetchall()
    places = {str(lsoa) for _, lsoa, _ in rows}
    by_cat: dict[str, dict[str, int]] = {}
    for cat, lsoa, n in rows:
        if cat is not None:
            by_cat.setdefault(str(cat), {})[str(lsoa)] = int(n)
    out = {}
    for cat, counts in by_cat.items():
        result = concentration(counts, n_places=max(len(places), len(counts)))
        if result.gini is not None and not result.fewer_events_than_places:
            out[cat] = PERCENT * result.gini
    return out


def _harm_shares(overview: Overview) -> dict[str, float]:
    counts = {
        r.indicator: round(r.current)
        for r in overview.rows
        if r.indicator_id != ALL_CRIME_ID
        and r.unit == "count"
        and r.indicator != "Anti-social behaviour"
    }
    weights = default_weights().weights
    result = harm_totals({c: n for c, n in counts.items() if c in weights}, weights)
    return {r.category: PERCENT * r.share_of_harm for r in result.rows if r.share_of_harm}


def task_and_finish_flags(con: duckdb.DuckDBPyConnection, ctx: SectionContext) -> dict[str, str]:
    """Category -> why it is a sharp recent rise (latest quarter above expectation)."""
    analysis = analyse_emerging(con, ctx)
    if analysis is None:
        return {}
    out = {}
    for issue in analysis.result.flagged:
        keys = dict(issue.keys)
        if keys.get("area") != ctx.area.name:
            continue
        if ctx.public and issue.observed < ctx.suppression_threshold:
            out[keys["category"]] = (
                f"latest quarter ({issue.period}) significantly above expectation "
                f"(p = {issue.p_value or 0:.3g})"
            )
        else:
            out[keys["category"]] = (
                f"latest quarter ({issue.period}) {issue.observed:,} against "
                f"{issue.expected or 0:.1f} expected (p = {issue.p_value or 0:.3g})"
            )
    return out


def build_candidates(
    con: duckdb.DuckDBPyConnection,
    ctx: SectionContext,
    overview: Overview,
    themes: ThemeMap,
    survey: SurveyResults | None,
) -> list[Candidate]:
    """Every candidate issue with its figures and where each figure comes from."""
    gini = _gini(con, ctx)
    harm = _harm_shares(overview)
    repeat = {
        t: r.current
        for r in overview.rows
        if r.indicator_id in REPEAT_INDICATORS
        for t in themes.themes_of(r.indicator_id)
    }
    label = f"; {survey.notes[0]}" if survey is not None and survey.notes else ""
    concerns: dict[str, float] = {}
    if survey is not None:
        for choice in survey.issues:
            for t in themes.themes_of_concern(choice.choice):
                concerns[t] = max(concerns.get(t, 0.0), choice.percent)
    police_ids = {i.id for i in police_indicators()}
    candidates = []
    covered_themes: set[str] = set()
    for r in overview.rows:
        if r.indicator_id == ALL_CRIME_ID or r.polarity != "higher-is-worse":
            continue
        if r.indicator_id in REPEAT_INDICATORS:
            continue
        in_themes = themes.themes_of(r.indicator_id)
        covered_themes.update(in_themes)
        own_concern = sorted(
            (c.percent, c.choice)
            for c in (survey.issues if survey else ())
            if set(themes.themes_of_concern(c.choice)) & set(in_themes)
        )
        candidates.append(
            Candidate(
                id=r.indicator_id,
                name=r.indicator,
                source="police.uk" if r.indicator_id in police_ids else "partner",
                themes=in_themes,
                figures={
                    "volume": _volume(r),
                    "trend": _trend(r),
                    "harm": harm.get(r.indicator),
                    "concentration": gini.get(r.indicator),
                    "vulnerability": max(
                        (repeat[t] for t in in_themes if t in repeat), default=None
                    ),
                    "public_concern": own_concern[-1][0] if own_concern else None,
                },
                notes={"public_concern": f"'{own_concern[-1][1]}', its theme's top concern{label}"}
                if own_concern
                else {},
            )
        )
    if survey is not None:
        for choice in survey.issues:
            concern_themes = themes.themes_of_concern(choice.choice)
            if not concern_themes or not set(concern_themes) & covered_themes:
                candidates.append(
                    Candidate(
                        id="survey-" + choice.choice.lower().replace(" ", "-"),
                        name=f"{choice.choice} (residents' concern)",
                        source="survey",
                        themes=concern_themes,
                        figures={"public_concern": choice.percent},
                        notes={"public_concern": f"'{choice.choice}'{label}"},
                    )
                )
    return candidates
