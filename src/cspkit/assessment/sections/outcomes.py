"""The outcomes section: what happened to the crimes of the period, and the resolution rate
by month and by category, compared with the peer districts (section 3.2 of the seed).

The figures come from :mod:`cspkit.assessment.sections.outcomes_data`; the "resolved"
definition is a parameter of :func:`outcomes_section` (default
:data:`cspkit.stats.outcomes.DEFAULT_RESOLVED`).
"""

from __future__ import annotations

from collections.abc import Collection

import duckdb
import pandas as pd

from cspkit.assessment.context import SectionContext
from cspkit.assessment.quality import QualityCheck, outcomes_quality
from cspkit.assessment.sections.outcomes_data import OutcomesAnalysis, analyse_outcomes
from cspkit.assessment.wording import count_text, in_period
from cspkit.report.blocks import Block, Cell, Column, Figure, Paragraph, Section, Table
from cspkit.report.charts import PALETTE, new_figure, render
from cspkit.stats.outcomes import DEFAULT_RESOLVED, OutcomeGroup, ResolutionRow
from cspkit.stats.rank import MIN_PEERS

SECTION_ID = "outcomes"
TITLE = "Crime outcomes and resolution rates"
RECENT_MONTHS = 3
MIN_CRIMES_FOR_CATEGORY_FINDING = 50
CHART_SIZE = (8.0, 3.6)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _month_label(key: str) -> str:
    return pd.Period(key, freq="M").strftime("%b %Y")


_RATE_COLUMNS = (
    Column("Crimes", numeric=True, count=True, format="count"),
    Column("Resolved", numeric=True, count=True, format="count"),
    Column("Under investigation", numeric=True, count=True, format="count"),
    Column("Status update unavailable", numeric=True, count=True, format="count"),
    Column("Resolution rate", numeric=True, format="share"),
    Column("Pending share", numeric=True, format="share"),
    Column("Resolution rate of finalised crimes", numeric=True, format="share"),
)


def _rate_cells(r: ResolutionRow) -> tuple[Cell, ...]:
    return (
        r.crimes,
        r.resolved,
        r.under_investigation,
        r.status_unavailable,
        r.resolution_rate,
        r.pending_share,
        r.resolution_rate_of_finalised,
    )


def _month_table(a: OutcomesAnalysis, ctx: SectionContext) -> Table:
    rows = tuple((_month_label(r.key), *_rate_cells(r)) for r in a.area.by_month)
    rows += (("All months", *_rate_cells(a.area.overall)),)
    return Table(
        id=f"{SECTION_ID}-by-month",
        caption=f"Resolution outcome rate by month of recording, {ctx.area.name}",
        columns=(Column("Month"), *_RATE_COLUMNS),
        rows=rows,
        notes=(
            "Pending share: crimes still under investigation or with no status update, as a "
            "share of crimes with an outcome recorded.",
            "Resolution rate of finalised crimes leaves the pending crimes out of the denominator.",
        ),
    )


def _category_table(a: OutcomesAnalysis, ctx: SectionContext) -> Table:
    peer = {r.key: r for r in a.peer_group.by_category}
    rows = tuple(
        (
            r.key,
            *_rate_cells(r)[:2],
            r.resolution_rate,
            r.pending_share,
            peer[r.key].resolution_rate if r.key in peer else None,
        )
        for r in a.area.by_category
    )
    rows += (
        (
            "All crime",
            a.area.overall.crimes,
            a.area.overall.resolved,
            a.area.overall.resolution_rate,
            a.area.overall.pending_share,
            a.peer_group.overall.resolution_rate,
        ),
    )
    return Table(
        id=f"{SECTION_ID}-by-category",
        caption=f"Resolution outcome rate by crime category, {ctx.area.name} and all "
        f"{len(a.peers)} districts of the peer group, {ctx.period.label}",
        columns=(
            Column("Category"),
            *_RATE_COLUMNS[:2],
            Column("Resolution rate", numeric=True, format="share"),
            Column("Pending share", numeric=True, format="share"),
            Column(f"Resolution rate, all {len(a.peers)} districts", numeric=True, format="share"),
        ),
        rows=rows,
        notes=(
            f"All {len(a.peers)} districts: the crimes of every peer district pooled, "
            f"{ctx.area.name} included.",
        ),
    )


_SHORT = {
    OutcomeGroup.CHARGE_SUMMONS: "Charge or summons",
    OutcomeGroup.CHARGED_NOT_CONVICTED: "Charged, not convicted",
    OutcomeGroup.SENTENCE: "Sentence",
    OutcomeGroup.CAUTION: "Caution",
    OutcomeGroup.COMMUNITY_RESOLUTION: "Community resolution",
    OutcomeGroup.PENALTY_NOTICE_OR_WARNING: "Penalty notice or warning",
    OutcomeGroup.NO_SUSPECT: "No suspect identified",
    OutcomeGroup.UNABLE_TO_PROSECUTE: "Unable to prosecute",
    OutcomeGroup.NOT_IN_PUBLIC_INTEREST: "Not in the public interest",
    OutcomeGroup.ANOTHER_ORGANISATION: "Another organisation",
    OutcomeGroup.UNDER_INVESTIGATION: "Under investigation",
    OutcomeGroup.STATUS_UNAVAILABLE: "Status update unavailable",
    OutcomeGroup.NO_OUTCOME: "No outcome recorded",
    OutcomeGroup.UNKNOWN: "Unrecognised outcome",
}


def _distribution_tables(a: OutcomesAnalysis, ctx: SectionContext) -> tuple[Table, ...]:
    """Outcome groups by category: the resolved groups, then the others (two narrow tables)."""
    totals = dict(a.area.by_group)
    resolved = [g for g in totals if g in a.area.resolved_groups]
    other = [g for g in totals if g not in a.area.resolved_groups]
    tables = []
    for kind, present in (("resolved", resolved), ("other", other)):
        if not present:
            continue
        rows: list[tuple[Cell, ...]] = []
        for category, groups in a.by_category_group:
            counts = dict(groups)
            rows.append((category, *(counts.get(g, 0) for g in present)))
        rows.append(("All crime", *(totals[g] for g in present)))
        which = "counted as resolved" if kind == "resolved" else "not counted as resolved"
        tables.append(
            Table(
                id=f"{SECTION_ID}-groups-{kind}",
                caption=f"Outcomes {which}, by category: crimes recorded "
                f"{in_period(ctx.period.label)}, {ctx.area.name}",
                columns=(
                    Column("Category"),
                    *(Column(_SHORT[g], numeric=True, count=True, format="count") for g in present),
                ),
                rows=tuple(rows),
                notes=(
                    "Police.uk outcome descriptions are grouped so that, for example, 'Awaiting "
                    "court outcome' and 'Court result unavailable' both count as a charge or "
                    "summons.",
                )
                if kind == "resolved"
                else (),
            )
        )
    return tuple(tables)


def _peer_table(a: OutcomesAnalysis, ctx: SectionContext) -> Table:
    return Table(
        id=f"{SECTION_ID}-peers",
        caption=f"Resolution outcome rate of {len(a.peers)} districts, {ctx.period.label}",
        columns=(
            Column("District"),
            *_RATE_COLUMNS[:2],
            Column("Resolution rate", numeric=True, format="share"),
            Column("Pending share", numeric=True, format="share"),
            Column("Rank (1 = lowest rate)", numeric=True),
        ),
        rows=tuple(
            (
                p.name,
                p.row.crimes,
                p.row.resolved,
                p.row.resolution_rate,
                p.row.pending_share,
                p.rank.label if p.rank and len(a.peers) >= MIN_PEERS else "n/a",
            )
            for p in a.peers
        ),
    )


def _chart(a: OutcomesAnalysis, ctx: SectionContext) -> Figure:
    months = a.area.by_month
    labels = [_month_label(r.key) for r in months]
    rate = [(r.resolution_rate or 0.0) * 100 for r in months]
    pending = [(r.pending_share or 0.0) * 100 for r in months]
    fig = new_figure(CHART_SIZE)
    ax = fig.add_subplot(1, 1, 1)
    x = list(range(len(months)))
    ax.plot(x, rate, color=PALETTE[0], marker="o", label="Resolution rate")
    ax.plot(x, pending, color=PALETTE[1], marker="s", linestyle="--", label="Pending share")
    if months:
        ax.annotate("resolved", (x[-1], rate[-1]), xytext=(6, 0), textcoords="offset points")
        ax.annotate("pending", (x[-1], pending[-1]), xytext=(6, 0), textcoords="offset points")
    step = max(1, len(x) // 12)
    ax.set_xticks(x[::step], labels[::step], rotation=45, ha="right")
    ax.set_ylabel("% of crimes")
    ax.set_ylim(0, max([*rate, *pending, 10.0]) * 1.15)
    ax.legend(loc="upper left", frameon=False)
    svg, png = render(fig)
    return Figure(
        id=f"{SECTION_ID}-chart",
        caption=f"Resolution rate and pending share by month, {ctx.area.name}",
        alt=_alt(a, ctx),
        svg=svg,
        png=png,
        table=Table(
            id=f"{SECTION_ID}-chart-data",
            caption="Resolution rate and pending share by month (chart data)",
            columns=(
                Column("Month"),
                Column("Resolution rate", numeric=True, format="share"),
                Column("Pending share", numeric=True, format="share"),
            ),
            rows=tuple((_month_label(r.key), r.resolution_rate, r.pending_share) for r in months),
        ),
    )


def _alt(a: OutcomesAnalysis, ctx: SectionContext) -> str:
    rates = [r.resolution_rate for r in a.area.by_month if r.resolution_rate is not None]
    pending = [r.pending_share for r in a.area.by_month if r.pending_share is not None]
    if not rates or not pending:
        return f"Line chart by month of recording, {ctx.area.name}: no months to show."
    return (
        f"Line chart by month of recording, {ctx.area.name}: the resolution rate ranged from "
        f"{_pct(min(rates))} to {_pct(max(rates))} and the share still pending from "
        f"{_pct(min(pending))} to {_pct(max(pending))}. " + _recent_sentence(a, ctx)
    )


def _window(rows: tuple[ResolutionRow, ...]) -> tuple[float | None, float | None]:
    crimes = sum(r.crimes for r in rows)
    if not crimes:
        return None, None
    resolved = sum(r.resolved for r in rows)
    pending = sum(r.under_investigation + r.status_unavailable for r in rows)
    return resolved / crimes, pending / crimes


def _recent_sentence(a: OutcomesAnalysis, ctx: SectionContext) -> str:
    """Why recent months must not be misread, in words from the pending shares."""
    o = a.area.overall
    text = (
        f"{_pct(o.pending_share)} of the crimes recorded {in_period(ctx.period.label)} were still "
        "under investigation or had no status update when the data were published, so every "
        "month's resolution rate may still change as investigations finish; the rate among "
        f"crimes with a final outcome ({_pct(o.resolution_rate_of_finalised)}) is shown beside."
    )
    months = a.area.by_month
    if len(months) < 2 * RECENT_MONTHS:
        return text
    early_rate, early_pending = _window(months[:RECENT_MONTHS])
    late_rate, late_pending = _window(months[-RECENT_MONTHS:])
    if late_pending is None or early_pending is None or late_pending <= early_pending:
        return text
    return text + (
        f" In the last {RECENT_MONTHS} months {_pct(late_pending)} were pending, against "
        f"{_pct(early_pending)} in the first {RECENT_MONTHS}: their resolution rate "
        f"({_pct(late_rate)}, against {_pct(early_rate)}) is the least final and should not be "
        "read as a fall."
    )


def _findings(
    a: OutcomesAnalysis, ctx: SectionContext, check: QualityCheck | None = None
) -> list[str]:
    o = a.area.overall
    recorded = (
        f"{_pct(o.resolution_rate)} of the {count_text(o.crimes, ctx)} crimes recorded in "
        f"{ctx.area.name} {in_period(ctx.period.label)} had a resolution outcome"
    )
    if check is not None and not check.passed:
        findings = [
            f"{recorded}, but the outcome data look incomplete: no crime of the period is "
            "recorded as under investigation, unlike other months held, so the share still "
            "pending is not given."
        ]
    else:
        findings = [
            f"{recorded}; {_pct(o.pending_share)} were still under investigation or had no "
            "status update."
        ]
    mine = next((p for p in a.peers if p.code == ctx.area.code), None)
    if mine and mine.rank and mine.rank.position is not None and ctx.ranked:
        findings.append(
            f"{ctx.area.name}'s resolution rate ranked {mine.rank.describe()} districts "
            f"(1 = lowest rate); across all {len(a.peers)} it was "
            f"{_pct(a.peer_group.overall.resolution_rate)}."
        )
    large = [
        r
        for r in a.area.by_category
        if r.crimes >= MIN_CRIMES_FOR_CATEGORY_FINDING and r.resolution_rate is not None
    ]
    if len(large) >= 2:
        large.sort(key=lambda r: (r.resolution_rate or 0.0, r.key))
        low, high = large[0], large[-1]
        findings.append(
            f"Among categories with at least {MIN_CRIMES_FOR_CATEGORY_FINDING} crimes, "
            f"{high.key} had the highest resolution rate ({_pct(high.resolution_rate)}) and "
            f"{low.key} the lowest ({_pct(low.resolution_rate)})."
        )
    return findings


def _sources_text(a: OutcomesAnalysis, ctx: SectionContext) -> str:
    force = ctx.area.force or ctx.area.force_slug or "the force"
    if not a.outcomes_files_loaded:
        return (
            f"Outcomes are each crime's last outcome category from the street files of {force} "
            "as published; no outcomes files are loaded for this force, so later outcomes of "
            "crimes still pending when a file was published are not seen."
        )
    return (
        f"Outcomes are each crime's last outcome category from the street files of {force}; "
        f"the outcomes files are loaded too, and {count_text(a.updated_from_outcomes_files, ctx)}"
        " crimes whose street record was still pending (or blank) took their latest final "
        "outcome from them."
    )


def outcomes_section(
    con: duckdb.DuckDBPyConnection,
    ctx: SectionContext,
    resolved: Collection[OutcomeGroup] = DEFAULT_RESOLVED,
) -> Section:
    """The outcomes section with a chosen definition of "resolved"."""
    a = analyse_outcomes(con, ctx, resolved)
    if a.area.overall.crimes == 0:
        return Section(
            SECTION_ID,
            TITLE,
            (
                Paragraph(
                    f"No crime with an outcome was recorded in {ctx.area.name} in the period."
                ),
            ),
        )
    groups = ", ".join(_SHORT[g].lower() for g in OutcomeGroup if g in a.area.resolved_groups)
    blocks: list[Block] = [
        Paragraph(
            f"A crime counts as resolved when its outcome was: {groups}. The resolution rate is "
            "resolved crimes as a share of crimes recorded in the month or period (anti-social "
            "behaviour incidents have no outcome and are left out). " + _sources_text(a, ctx)
        ),
        Paragraph(_recent_sentence(a, ctx), emphasis=True),
        _chart(a, ctx),
        _month_table(a, ctx),
        _category_table(a, ctx),
        *_distribution_tables(a, ctx),
        _peer_table(a, ctx),
    ]
    if a.area.unrecognised_outcomes:
        names = ", ".join(f"'{k}'" for k, _ in a.area.unrecognised_outcomes)
        blocks.append(
            Paragraph(f"Outcome strings not recognised (counted, never resolved): {names}.")
        )
    force = ctx.area.force_slug or ""
    check = outcomes_quality(con, force, ctx.area.code, ctx.period)
    if not check.passed:
        blocks.insert(0, Paragraph(check.finding, emphasis=True))
    return Section(SECTION_ID, TITLE, tuple(blocks), tuple(_findings(a, ctx, check)))


def build(con: duckdb.DuckDBPyConnection, ctx: SectionContext) -> Section | None:
    """The outcomes section with the default definition of "resolved"."""
    return outcomes_section(con, ctx)
