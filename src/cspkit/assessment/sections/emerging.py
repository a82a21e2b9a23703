"""The emerging-issues section: the latest quarter of the period against what was expected,
for every category in the district and, where a ward lookup exists, in each ward.

The expectation and the test are :func:`cspkit.stats.expected.emerging_issues`: the same
quarter of previous years where the warehouse holds them, otherwise the SPC mean of the
months before. Only the continuous run of covered months ending with the period is used: a
gap in the data must never be read as months without crime, so months before a gap are left
out and the section says so. District and ward series are tested as one family, so the
multiple-testing note covers them all.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from cspkit.assessment.context import SectionContext
from cspkit.assessment.wording import count_text
from cspkit.report.blocks import Block, Cell, Column, Paragraph, Section, Table
from cspkit.stats.expected import (
    DEFAULT_ALPHA,
    INSUFFICIENT,
    MAX_BASELINE_YEARS,
    MINIMUM_EXPECTED,
    MINIMUM_OBSERVED,
    QUARTER_MONTHS,
    SEASONAL,
    SPC,
    TOO_SMALL,
    EmergingIssue,
    EmergingIssuesResult,
    PlaceConcentration,
    concentrated_place,
    emerging_issues,
)
from cspkit.stats.periods import add_months, month_range
from cspkit.warehouse.coverage import OK, coverage

SECTION_ID = "emerging"
TITLE = "Emerging issues"
KEYS = ("category", "area")
WARD_SUFFIX = " ward"
TOP_FINDINGS = 3

_SERIES_SQL = """
SELECT strftime(c.month, '%Y-%m') AS month, c.category, w.ward_name AS ward, count(*) AS count
FROM crimes c
LEFT JOIN (SELECT lsoa_code, ward_name FROM lsoa_ward WHERE lad_code = ? AND ward_vintage = ?) w
  USING (lsoa_code)
WHERE c.lad_code = ? AND c.month BETWEEN ? AND ?
GROUP BY ALL
"""
_PLACES_SQL = """
SELECT c.location || ' (' || round(c.longitude, 5) || ', ' || round(c.latitude, 5) || ')' AS point,
       c.location, c.month, count(*) AS n
FROM crimes c
LEFT JOIN (SELECT lsoa_code, ward_name FROM lsoa_ward WHERE lad_code = ? AND ward_vintage = ?) w
  USING (lsoa_code)
WHERE c.lad_code = ? AND c.category = ? AND c.month BETWEEN ? AND ? AND c.location IS NOT NULL
  AND (? IS NULL OR w.ward_name = ?)
GROUP BY ALL
"""
_WARD_VINTAGE_SQL = """
SELECT w.ward_vintage, count(*) AS n FROM crimes c
JOIN lsoa_ward w ON w.lsoa_code = c.lsoa_code AND w.lad_code = c.lad_code
WHERE c.lad_code = ? AND c.month BETWEEN ? AND ?
GROUP BY 1 ORDER BY n DESC, 1 DESC LIMIT 1
"""


@dataclass(frozen=True)
class EmergingAnalysis:
    """The tests, the months they used, and what was left out and why."""

    result: EmergingIssuesResult
    first_month: date
    last_month: date
    held_before_gap: tuple[date, ...]
    ward_vintage: int | None
    wards: int
    crimes_without_ward: int
    places: tuple[tuple[str, PlaceConcentration], ...] = ()

    def place_of(self, issue: EmergingIssue) -> PlaceConcentration | None:
        """The one place a flagged issue's excess is concentrated at, if any."""
        return dict(self.places).get(issue.name)


def covered_run(con: duckdb.DuckDBPyConnection, force_slug: str, last: date) -> list[date]:
    """The continuous run of fully covered months of the force ending with ``last``."""
    held = {c.month for c in coverage(con).for_force(force_slug) if c.status == OK}
    run: list[date] = []
    month = last
    while month in held:
        run.append(month)
        month = add_months(month, -1)
    return run[::-1]


def series_frame(
    con: duckdb.DuckDBPyConnection, ctx: SectionContext, first: date, last: date
) -> tuple[pd.DataFrame, int | None, int]:
    """Monthly counts by category for the district and each ward (columns month, category,
    area, count), the ward vintage used, and the records with no ward."""
    code = ctx.area.code
    found = con.execute(_WARD_VINTAGE_SQL, [code, first, last]).fetchone()
    vintage = int(found[0]) if found else None
    raw = con.execute(_SERIES_SQL, [code, vintage, code, first, last]).df()
    district = raw.groupby(["month", "category"])["count"].sum().reset_index()
    district["area"] = ctx.area.name
    frames: list[pd.DataFrame] = [district]
    without_ward = 0
    if vintage is not None:
        wards = raw[raw["ward"].notna()].copy()
        wards["area"] = wards["ward"].astype(str) + WARD_SUFFIX
        frames.append(wards[["month", "category", "area", "count"]])
        without_ward = int(raw.loc[raw["ward"].isna(), "count"].sum())
    frame = pd.concat(frames, ignore_index=True)
    return frame[["month", "category", "area", "count"]], vintage, without_ward


def analyse_emerging(
    con: duckdb.DuckDBPyConnection, ctx: SectionContext, alpha: float = DEFAULT_ALPHA
) -> EmergingAnalysis | None:
    """Emerging issues for the district and its wards; None when no month is covered."""
    force = ctx.area.force_slug or ""
    run = covered_run(con, force, ctx.period.last)
    if not run:
        return None
    frame, vintage, without_ward = series_frame(con, ctx, run[0], run[-1])
    result = emerging_issues(frame, KEYS, latest_month=run[-1].strftime("%Y-%m"), alpha=alpha)
    before = tuple(
        c.month
        for c in coverage(con).for_force(force)
        if c.status == OK and c.month < add_months(run[0], -1)
    )
    wards = int(frame.loc[frame["area"] != ctx.area.name, "area"].nunique())
    places = tuple(
        (issue.name, found)
        for issue in result.flagged
        if (found := _concentration(con, ctx, issue, vintage, run[0], run[-1])) is not None
    )
    return EmergingAnalysis(result, run[0], run[-1], before, vintage, wards, without_ward, places)


def _concentration(
    con: duckdb.DuckDBPyConnection,
    ctx: SectionContext,
    issue: EmergingIssue,
    vintage: int | None,
    first: date,
    last: date,
) -> PlaceConcentration | None:
    """Whether one map point holds most of a flagged issue's excess (a repeat location)."""
    keys = dict(issue.keys)
    area = keys.get("area", ctx.area.name)
    ward = area.removesuffix(WARD_SUFFIX) if area != ctx.area.name else None
    rows = con.execute(
        _PLACES_SQL,
        [ctx.area.code, vintage, ctx.area.code, keys["category"], first, last, ward, ward],
    ).fetchall()
    quarter_start = add_months(last, 1 - QUARTER_MONTHS)
    months_before = month_range(first, add_months(quarter_start, -1)).n_months
    names: dict[str, str] = {}
    quarter: Counter[str] = Counter()
    before: dict[str, list[int]] = {}
    for point, location, month, n in rows:
        names[point] = str(location)
        if month >= quarter_start:
            quarter[point] += int(n)
        else:
            before.setdefault(point, []).append(int(n))
    found = concentrated_place(
        dict(quarter), dict(before), months_before, issue.observed, issue.excess or 0.0
    )
    if found is None:
        return None
    return PlaceConcentration(
        place=names[found.place],
        observed=found.observed,
        series_observed=found.series_observed,
        before_min=found.before_min,
        before_max=found.before_max,
        excess=found.excess,
        share_of_excess=found.share_of_excess,
    )


def _p(value: float | None) -> str:
    if value is None:
        return "not tested"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def _baseline(issue: EmergingIssue, a: EmergingAnalysis) -> str:
    """Which months the expectation came from, named in full."""
    latest = month_range(add_months(a.last_month, 1 - QUARTER_MONTHS), a.last_month)
    if issue.method == SEASONAL:
        quarters = [
            latest.shifted(-b).label
            for b in range(1, MAX_BASELINE_YEARS + 1)
            if latest.shifted(-b).first >= a.first_month
        ]
        return "the average of the same months in earlier years (" + "; ".join(quarters) + ")"
    if issue.method == SPC:
        before = month_range(a.first_month, add_months(latest.first, -1))
        return f"the monthly average of {before.label}"
    return issue.baseline


def place_text(found: PlaceConcentration, period: str) -> str:
    """'concentrated at one place: On or near Shernolds (26 of 71 ...)'."""
    before = (
        f"{found.before_min}"
        if found.before_min == found.before_max
        else f"{found.before_min} to {found.before_max}"
    )
    return (
        f"concentrated at one place: {found.place} ({found.observed} of "
        f"{found.series_observed} in {period}, {before} a month before), a repeat-location "
        "problem rather than a wider trend"
    )


def _explain(
    issue: EmergingIssue, a: EmergingAnalysis, ctx: SectionContext, *, short: bool = False
) -> str:
    """A flagged or tested issue in plain words, with no count below the threshold;
    ``short`` leaves out the name and count (for a table that shows them)."""
    observed = count_text(issue.observed, ctx)
    lead = "" if short else f"{issue.name}, {observed} in {issue.period}: "
    if issue.expected is None:
        return f"{lead}{issue.baseline}."
    more = "more" if (issue.excess or 0) >= 0 else "fewer"
    small = ctx.public and 0 < issue.observed < ctx.suppression_threshold
    amount = (
        f"{more} than expected"  # the expected count and excess would reveal the small count
        if small
        else f"about {abs(issue.excess or 0):,.0f} {more} than the {issue.expected:,.0f} expected"
    )
    text = f"{lead}{amount} from {_baseline(issue, a)}"
    if issue.method == TOO_SMALL:
        return f"{text[0].upper()}{text[1:]}; too few to test."
    text += f" (adjusted {_p(issue.p_adjusted)})" if issue.flagged else f" ({_p(issue.p_value)})"
    if issue.above_upper_limit:
        text += "; at least one of these months is above the upper process limit"
    found = a.place_of(issue)
    if found is not None:
        text += f"; {place_text(found, issue.period)}"
    text += "."
    return text[0].upper() + text[1:]


def _place_cell(found: PlaceConcentration | None) -> str:
    return "no" if found is None else f"{found.place}: {found.observed} of {found.series_observed}"


def _flagged_table(a: EmergingAnalysis, ctx: SectionContext) -> Table:
    return Table(
        id=f"{SECTION_ID}-flagged",
        caption=f"Emerging issues: series significantly above expectation in "
        f"{a.result.flagged[0].period if a.result.flagged else 'the latest quarter'}, "
        "ranked by evidence (adjusted p, then size)",
        columns=(
            Column("Rank", numeric=True),
            Column("Issue"),
            Column("Latest quarter", numeric=True, count=True, format="count"),
            Column("Expected", numeric=True, format="rate"),
            Column("Excess", numeric=True, format="signed"),
            Column("p (one-sided)", numeric=True, format="p"),
            Column("Adjusted p (Benjamini-Hochberg)", numeric=True, format="p"),
            Column("Concentrated at one place"),
            Column("In words"),
        ),
        rows=tuple(
            (
                i.rank,
                i.name,
                i.observed,
                i.expected,
                i.excess,
                i.p_value,
                i.p_adjusted,
                _place_cell(a.place_of(i)),
                _explain(i, a, ctx, short=True),
            )
            for i in a.result.flagged
        ),
        notes=(a.result.multiple_testing_note,),
        row_header=False,
    )


def _district_table(a: EmergingAnalysis, ctx: SectionContext) -> Table:
    mine = [i for i in a.result.issues if dict(i.keys).get("area") == ctx.area.name]
    mine.sort(key=lambda i: (not i.flagged, i.rank or 0, -(i.excess or 0), i.name))
    rows: list[tuple[Cell, ...]] = [
        (
            dict(i.keys)["category"],
            i.observed,
            i.expected,
            i.excess,
            i.method,
            i.p_value,
            "yes" if i.flagged else "no",
        )
        for i in mine
    ]
    return Table(
        id=f"{SECTION_ID}-district",
        caption=f"Every category in {ctx.area.name}: latest quarter against expectation",
        columns=(
            Column("Category"),
            Column("Latest quarter", numeric=True, count=True, format="count"),
            Column("Expected", numeric=True, format="rate"),
            Column("Excess", numeric=True, format="signed"),
            Column("Expectation from"),
            Column("p (one-sided)", numeric=True, format="p"),
            Column("Flagged"),
        ),
        rows=tuple(rows),
        notes=(
            f"Flagged: more than expected, with a Benjamini-Hochberg adjusted p below "
            f"{a.result.alpha:g}. Only series with at least {MINIMUM_OBSERVED} in the latest "
            f"quarter and at least {MINIMUM_EXPECTED:g} expected are tested; a category with no "
            "expectation (too little history) is not tested either.",
        ),
    )


def _history_text(a: EmergingAnalysis, ctx: SectionContext) -> str:
    """What the expectations could be based on, honestly."""
    months = month_range(a.first_month, a.last_month)
    methods = Counter(i.method for i in a.result.issues)
    parts = [
        f"The latest quarter is the last {QUARTER_MONTHS} months of the period. The warehouse "
        f"holds continuous months for {ctx.area.force or 'the force'} from "
        f"{a.first_month:%B %Y} to {a.last_month:%B %Y} ({months.n_months} months)."
    ]
    if a.held_before_gap:
        earlier = month_range(a.held_before_gap[0], a.held_before_gap[-1])
        parts.append(
            f"Earlier months ({earlier.label}) are held but separated by a gap, so they are "
            "not used: a missing month is not a month without crime."
        )
    if methods.get(SEASONAL):
        parts.append(
            f"{methods[SEASONAL]} series have the same quarter in previous years, and their "
            "expectation is its average (a seasonal baseline); the test allows for the "
            "baseline itself being a count."
        )
    if methods.get(SPC):
        latest = month_range(add_months(a.last_month, 1 - QUARTER_MONTHS), a.last_month)
        parts.append(
            f"For {methods[SPC]} series no earlier year holds the same quarter (the data do "
            f"not include {latest.shifted(-1).label}), so the "
            "expectation is the monthly average of the months before it; the test allows for "
            "that average itself resting on counts, but not for seasonal patterns, so a "
            "quarter that is usually busy may be flagged for that reason alone."
        )
    if methods.get(TOO_SMALL):
        parts.append(
            f"{methods[TOO_SMALL]} series had fewer than {MINIMUM_OBSERVED} in the latest "
            f"quarter or fewer than {MINIMUM_EXPECTED:g} expected, too few to test."
        )
    if methods.get(INSUFFICIENT):
        parts.append(
            f"{methods[INSUFFICIENT]} series have too little history to form an expectation "
            "and are not tested."
        )
    return " ".join(parts)


def _ward_text(a: EmergingAnalysis, ctx: SectionContext) -> str:
    if a.ward_vintage is None:
        return (
            f"No ward lookup is held for {ctx.area.name}, so only the district's categories "
            "are tested."
        )
    unmatched = (
        "every record matched a ward."
        if a.crimes_without_ward == 0
        else f"{count_text(a.crimes_without_ward, ctx)} records with no matching LSOA count "
        "towards the district only."
    )
    return (
        f"Each category is also tested in each of {a.wards} wards ({a.ward_vintage} "
        f"boundaries, LSOAs placed by their centroid); {unmatched}"
    )


def _findings(a: EmergingAnalysis, ctx: SectionContext) -> list[str]:
    r = a.result
    if not r.flagged:
        return [
            f"No category in {ctx.area.name} or its wards was significantly above its expected "
            f"level in the latest quarter ({r.tested} series tested)."
            if r.tested
            else f"Emerging issues could not be tested for {ctx.area.name}: too little history."
        ]
    n = len(r.flagged)
    found = [
        f"{n} of the {r.tested} crime types and wards tested in {ctx.area.name} "
        f"{'was' if n == 1 else 'were'} above the expected level in {r.flagged[0].period}, "
        "after allowing for the number of tests: "
        + "; ".join(_short(i, a) for i in r.flagged[:TOP_FINDINGS])
        + (f"; and {n - TOP_FINDINGS} more in the table" if n > TOP_FINDINGS else "")
        + "."
    ]
    found += [f"Emerging issue {i.rank}: {_explain(i, a, ctx)}" for i in r.flagged[:TOP_FINDINGS]]
    return found


def _short(issue: EmergingIssue, a: EmergingAnalysis) -> str:
    """'violence and sexual offences in Loose & Linton ward (71 against about 37 expected,
    concentrated at one place: ...)'."""
    text = f"{issue.name} ({issue.observed:,} against about {issue.expected or 0:,.0f} expected"
    found = a.place_of(issue)
    if found is not None:
        text += f", {found.observed} of them at one place, {found.place}"
    return text + ")"


def emerging_section(
    con: duckdb.DuckDBPyConnection, ctx: SectionContext, alpha: float = DEFAULT_ALPHA
) -> Section:
    """The emerging-issues section at a chosen significance level."""
    a = analyse_emerging(con, ctx, alpha)
    if a is None:
        return Section(
            SECTION_ID,
            TITLE,
            (Paragraph(f"The last month of {ctx.period.label} is not covered by the data."),),
        )
    r = a.result
    blocks: list[Block] = [
        Paragraph(
            "Each crime and anti-social behaviour category, in the district and in each ward, "
            "is tested: is the latest quarter higher than expected? The test compares the "
            "quarter's count with the count its expectation rests on, each with its number of "
            "months (the conditional exact test of two counts, one-sided), so the uncertainty "
            f"of the expectation counts too. Series with fewer than {MINIMUM_OBSERVED} in the "
            f"quarter or fewer than {MINIMUM_EXPECTED:g} expected are not tested. A series is "
            "flagged only when it stays significant after allowing for the number of tests "
            f"(Benjamini-Hochberg false discovery rate {r.alpha:.0%}); flagged issues are "
            "ranked by that evidence, then by size. Where one place accounts for at least half "
            "of an excess, the issue is named as concentrated at that place."
        ),
        Paragraph(_history_text(a, ctx)),
        Paragraph(_ward_text(a, ctx)),
        Paragraph(r.multiple_testing_note, emphasis=True),
    ]
    if r.flagged:
        blocks.append(_flagged_table(a, ctx))
    else:
        blocks.append(Paragraph("No series was significantly above its expectation."))
    blocks.append(_district_table(a, ctx))
    return Section(SECTION_ID, TITLE, tuple(blocks), tuple(_findings(a, ctx)))


def build(con: duckdb.DuckDBPyConnection, ctx: SectionContext) -> Section | None:
    """The emerging-issues section at the default 5% level."""
    return emerging_section(con, ctx)
