"""Trends over time: statistical process control of the district's monthly counts.

For all crime, anti-social behaviour and every category with enough volume, the monthly
counts over the longest unbroken run of months the warehouse holds up to the end of the
assessment period are charted with :func:`cspkit.stats.spc.xmr` (NHS "Making Data Count"
rules, higher is worse). Run rules are applied to monthly counts only; rolling 12-month
totals are drawn as context and never tested, because overlapping windows are autocorrelated.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import duckdb

from cspkit.assessment.context import SectionContext
from cspkit.assessment.sections import trends_charts
from cspkit.assessment.sections.trends_series import (
    TrendSeries,
    consecutive_run,
    episodes,
    monthly_category_counts,
    rolling_totals,
    trend_series,
)
from cspkit.assessment.sections.trends_text import (
    METHOD_TEXT,
    alt_text,
    category_finding,
    coverage_text,
    finding,
    join,
    recording_note,
    span,
)
from cspkit.report.blocks import Block, Cell, Column, Figure, Paragraph, Section, Table
from cspkit.stats.periods import ROLLING_MONTHS, month_label
from cspkit.stats.spc import RULE_PRECEDENCE, PointType
from cspkit.warehouse.registry import ALL_CRIME_ID, ASB_ID, police_indicators

SECTION_ID = "trends"
TITLE = "Trends over time"
MIN_MONTHLY_MEAN = 10.0
"""A category is charted when it averages at least this many records a month: below about
10, a Poisson-like count's lower process limit falls to zero and the chart can flag little."""
MAX_SERIES_MONTHS = 60
"""At most this many of the latest consecutive months are charted (five years)."""
ROLLING_CONTEXT_MIN_MONTHS = 2 * ROLLING_MONTHS
"""Rolling 12-month totals are drawn only when at least two years of months are held."""
SPC_MIN_SERIES = 2
"""xmr needs two points for a moving range; with fewer there is no chart."""
MAIN_SERIES = {ALL_CRIME_ID: "all-crime", ASB_ID: "asb"}
"""The indicators drawn as full charts, with the slug of their figure and table ids."""
NOT_TESTED = "not tested (too few months)"


def _tick(m: date) -> str:
    return f"{month_label(m)[:3]}\n{m.year}"


def xmr_figure(s: TrendSeries, area: str, ctx: SectionContext) -> Figure:
    """The XmR chart of one series with its alt text and data table."""
    slug = MAIN_SERIES.get(s.indicator.id, s.indicator.id)
    svg, png = trends_charts.xmr_chart(
        [_tick(m) for m in s.months], s.result, tested=s.tested, y_label="Records per month"
    )
    rows: list[tuple[Cell, ...]] = [
        (
            month_label(s.months[i]),
            s.values[i],
            p.mean,
            p.lower,
            p.upper,
            p.near_lower,
            p.near_upper,
            p.point_type.value if s.tested else NOT_TESTED,
            "; ".join(r.value for r in p.rules) if s.tested else "",
        )
        for i, p in enumerate(s.result.points)
    ]
    table = Table(
        id=f"{SECTION_ID}-{slug}-xmr",
        caption=f"{s.indicator.name} in {area}: monthly records and XmR limits",
        columns=(
            Column("Month"),
            Column("Records", numeric=True, count=True, format="count"),
            Column("Mean", numeric=True, format="rate"),
            Column("Lower limit", numeric=True, format="rate"),
            Column("Upper limit", numeric=True, format="rate"),
            Column("Lower near limit", numeric=True, format="rate"),
            Column("Upper near limit", numeric=True, format="rate"),
            Column("Point type"),
            Column("Rules"),
        ),
        rows=tuple(rows),
    )
    return Figure(
        id=f"{SECTION_ID}-{slug}",
        caption=f"{s.indicator.name} in {area}: XmR chart of monthly records",
        alt=alt_text(s, area, ctx),
        svg=svg,
        png=png,
        table=table,
    )


def rolling_figure(s: TrendSeries, area: str) -> Figure:
    """Rolling 12-month totals of a series, as context only (never tested)."""
    slug = MAIN_SERIES.get(s.indicator.id, s.indicator.id)
    totals = rolling_totals(s.values)
    months = s.months[ROLLING_MONTHS - 1 :]
    svg, png = trends_charts.rolling_chart(
        [_tick(m) for m in months], totals, y_label="Records in 12 months"
    )
    alt = (
        f"Rolling 12-month totals of {s.indicator.name.lower()} in {area}, "
        f"{span(months, 0, len(months) - 1)}: between {min(totals):,} and {max(totals):,}; "
        f"{totals[-1]:,} in the 12 months to {month_label(months[-1])}. Context only: "
        "not tested with SPC rules."
    )
    table = Table(
        id=f"{SECTION_ID}-{slug}-rolling",
        caption=f"{s.indicator.name} in {area}: rolling 12-month totals",
        columns=(
            Column("12 months to"),
            Column("Records", numeric=True, count=True, format="count"),
        ),
        rows=tuple((month_label(m), t) for m, t in zip(months, totals, strict=True)),
    )
    return Figure(
        id=f"{SECTION_ID}-{slug}-rolling",
        caption=(
            f"{s.indicator.name} in {area}: rolling 12-month totals (context only; overlapping "
            "totals are not tested with SPC rules)"
        ),
        alt=alt,
        svg=svg,
        png=png,
        table=table,
    )


def summary_table(series: Sequence[TrendSeries], area: str, notes: Sequence[str]) -> Table:
    """Every charted indicator's SPC summary: limits, latest month, variation and rules."""
    rows: list[tuple[Cell, ...]] = []
    for s in series:
        seg = s.result.segments[-1]
        types = [p.point_type for p in s.result.points] if s.tested else []
        fired = {r for p in s.result.points for r in p.rules} if s.tested else set()
        rows.append(
            (
                s.indicator.name,
                len(s.months),
                seg.mean,
                seg.lower,
                seg.upper,
                s.values[-1],
                s.result.summary.variation.value if s.tested else NOT_TESTED,
                types.count(PointType.CONCERN),
                types.count(PointType.IMPROVEMENT),
                "; ".join(r.value for r in RULE_PRECEDENCE if r in fired) or "none",
            )
        )
    return Table(
        id=f"{SECTION_ID}-summary",
        caption=f"Statistical process control of monthly records in {area}, by category",
        columns=(
            Column("Indicator"),
            Column("Months", numeric=True),
            Column("Mean", numeric=True, format="rate"),
            Column("Lower limit", numeric=True, format="rate"),
            Column("Upper limit", numeric=True, format="rate"),
            Column("Latest month", numeric=True, count=True, format="count"),
            Column("Variation (latest month)"),
            Column("Months of special cause: concern", numeric=True),
            Column("Months of special cause: improvement", numeric=True),
            Column("Rules that fired"),
        ),
        rows=tuple(rows),
        notes=tuple(notes),
    )


def _main_blocks(s: TrendSeries, area: str, ctx: SectionContext) -> list[Block]:
    blocks: list[Block] = [xmr_figure(s, area, ctx)]
    if not s.tested:
        blocks.append(
            Paragraph(
                f"{s.indicator.name}: only {len(s.months)} months are held, fewer than the "
                f"{s.result.options.minimum_points} SPC needs; the chart is shown without "
                "run-rule tests and its limits are provisional."
            )
        )
        return blocks
    note = next((t for e in reversed(episodes(s.result)) if (t := recording_note(s, e))), None)
    if note:
        blocks.append(Paragraph(note))
    return blocks


def _no_series(area: str, end: date, held: str) -> Section:
    text = (
        f"The warehouse holds {held} of records for {area} up to {month_label(end)}, so there "
        "is no monthly series to chart."
    )
    return Section(SECTION_ID, TITLE, (Paragraph(text),))


def build(con: duckdb.DuckDBPyConnection, ctx: SectionContext) -> Section | None:
    """The trends section for the context's district and period."""
    area = ctx.area.name
    counts = monthly_category_counts(con, ctx.area.code)
    run = consecutive_run(counts.months, ctx.period.last)
    if run is None:
        return _no_series(area, ctx.period.last, "no month")
    if run[1] - run[0] + 1 < SPC_MIN_SERIES:
        return _no_series(area, ctx.period.last, "only one unbroken month")
    first, last = max(run[0], run[1] - MAX_SERIES_MONTHS + 1), run[1]
    main: list[TrendSeries] = []
    categories: list[TrendSeries] = []
    too_small: list[str] = []
    for ind in police_indicators():
        s = trend_series(counts, ind, first, last)
        if ind.id in MAIN_SERIES:
            main.append(s)
        elif s.mean >= MIN_MONTHLY_MEAN:
            categories.append(s)
        elif any(s.values):
            too_small.append(ind.name)
    coverage = coverage_text(counts.months, first, last, area, ctx.period.last)
    if last - first + 1 == MAX_SERIES_MONTHS and run[0] < first:
        coverage += f" Only the latest {MAX_SERIES_MONTHS} months are charted."
    blocks: list[Block] = [Paragraph(coverage), Paragraph(METHOD_TEXT)]
    findings = [finding(s, area, ctx) for s in main]
    for s in main:
        blocks.extend(_main_blocks(s, area, ctx))
    if len(main[0].months) >= ROLLING_CONTEXT_MIN_MONTHS:
        blocks.append(rolling_figure(main[0], area))
    notes = [
        f"Categories are charted when they average at least {MIN_MONTHLY_MEAN:.0f} records a "
        "month. Assurance against a target is not assessed: police.uk categories carry no "
        "targets.",
    ]
    if too_small:
        notes.append(
            f"Averaging fewer than {MIN_MONTHLY_MEAN:.0f} a month, not charted: {join(too_small)}."
        )
    if any(s.result.segments[-1].lower < 0 for s in (*main, *categories)):
        notes.append("A lower limit below zero means no month can be unusually low.")
    blocks.append(summary_table([*main, *categories], area, notes))
    cat = category_finding([s for s in categories if s.tested], area)
    if cat:
        findings.append(cat)
        blocks.append(Paragraph(cat))
    return Section(SECTION_ID, TITLE, tuple(blocks), tuple(findings))
