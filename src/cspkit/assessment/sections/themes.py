"""Partners' data as themes: each theme's police.uk categories and partner indicators together.

Every row repeats the overview's statistics (change with its test, rate on the indicator's own
denominator, rank among peers) and adds the SPC reading of the monthly series where there is one.
"""

from __future__ import annotations

import duckdb

from cspkit.assessment.context import SectionContext
from cspkit.assessment.overview import Overview, OverviewRow
from cspkit.assessment.themes import ThemeMap
from cspkit.report.blocks import Block, Callout, Column, Paragraph, Section, Table
from cspkit.stats.periods import format_month
from cspkit.stats.polarity import Polarity
from cspkit.stats.spc import SpcOptions, xmr
from cspkit.warehouse.registry import police_indicators
from cspkit.warehouse.series import monthly_series

SECTION_ID = "themes"
TITLE = "Themes: police and partners' data together"
#: The fewest monthly points for which an SPC reading is given.
SPC_MIN_MONTHS = 12


def spc_reading(con: duckdb.DuckDBPyConnection, row: OverviewRow, ctx: SectionContext) -> str:
    """The SPC reading of the latest month of the period, or why there is none."""
    if row.unit != "count":
        return "not monthly"
    series = [
        (m, v)
        for m, v in monthly_series(con, row.indicator_id, ctx.area.code)
        if m <= ctx.period.last
    ]
    if len(series) < SPC_MIN_MONTHS:
        return f"fewer than {SPC_MIN_MONTHS} months"
    result = xmr(
        [v for _, v in series],
        SpcOptions(polarity=Polarity(row.polarity)),
        labels=[format_month(m) for m, _ in series],
    )
    return result.summary.variation.value


def themes_section(
    con: duckdb.DuckDBPyConnection, ctx: SectionContext, overview: Overview, themes: ThemeMap
) -> tuple[Section | None, dict[str, str]]:
    """The section, and indicator id -> SPC reading (for other chapters)."""
    police = {i.id for i in police_indicators()}
    by_id = {r.indicator_id: r for r in overview.rows}
    readings: dict[str, str] = {}
    blocks: list[Block] = [
        Paragraph(
            "Each theme brings together the police.uk categories and the partners' indicators "
            "that belong with it (the theme map is configuration; see the methodology). "
            "Changes are called rises or falls only when statistically significant; rates use "
            "each indicator's own denominator; ranks are among the peer districts that report "
            "the same indicator (1 = best); the SPC column reads the latest month."
        )
    ]
    findings: list[str] = []
    partner_rows = 0
    for theme in themes.themes:
        rows = [by_id[i] for i in theme.indicators if i in by_id]
        if not rows:
            continue
        table_rows = []
        for r in rows:
            reading = spc_reading(con, r, ctx)
            readings[r.indicator_id] = reading
            partner = r.indicator_id not in police
            partner_rows += partner
            table_rows.append(
                (
                    r.indicator,
                    "partner" if partner else "police.uk",
                    r.current,
                    r.previous,
                    r.change_text,
                    r.rate_per_1000,
                    r.rank or "not ranked",
                    reading,
                )
            )
            small = min(r.current, r.previous or 0) < ctx.suppression_threshold
            if partner and r.significant and r.change_text and not (ctx.public and small):
                findings.append(f"{r.indicator} ({theme.name}): {r.change_text}.")
        blocks.append(
            Table(
                id=f"theme-{theme.id}",
                caption=theme.name,
                columns=(
                    Column("Indicator"),
                    Column("Source"),
                    Column("Current", numeric=True, count=True, format="count"),
                    Column("Previous", numeric=True, count=True, format="count"),
                    Column("Change"),
                    Column("Rate per 1,000", numeric=True, format="rate"),
                    Column("Rank"),
                    Column("SPC (latest month)"),
                ),
                rows=tuple(table_rows),
            )
        )
    if len(blocks) == 1:
        return None, readings
    shown = [by_id[i] for t in themes.themes for i in t.indicators if i in by_id]
    if any("ILLUSTRATIVE" in r.note.upper() for r in shown):
        blocks.insert(
            1,
            Callout(
                "Illustrative figures",
                (
                    "Some partner indicators in this chapter are illustrative examples invented to "
                    "show the layout (their registry says so). They are not real findings and must "
                    "not be quoted.",
                ),
            ),
        )
    if partner_rows == 0:
        blocks.append(
            Paragraph(
                "No partner indicators are loaded for this district: load them with "
                "'cspkit ingest indicators' or 'cspkit ingest road-casualties'."
            )
        )
    return Section(SECTION_ID, TITLE, tuple(blocks), tuple(findings[:3])), readings
