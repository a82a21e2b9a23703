"""The crime and disorder overview (section 3.1 of a Strategic Assessment) as blocks."""

from __future__ import annotations

from cspkit.assessment.overview import Overview, OverviewRow
from cspkit.report.blocks import Callout, Cell, Column, Paragraph, Section, Table
from cspkit.stats.change import SIGNIFICANCE_LEVEL, SMALL_COUNT_THRESHOLD
from cspkit.stats.rates import DenominatorBasis, Rate

SECTION_ID = "overview"


def _significance(r: OverviewRow) -> str:
    if r.p_value is None:
        return "not tested"
    p = "p < 0.001" if r.p_value < 0.001 else f"p = {r.p_value:.3f}"
    return f"significant ({p})" if r.significant else f"not significant ({p})"


def _direction(r: OverviewRow) -> str:
    text = f"{r.direction_arrow} {r.direction}"
    return f"{text} (was {r.previous_rank})" if r.previous_rank else text


def denominators_text(o: Overview) -> str:
    """'residents (mid-2020 population 173,132)' for each basis used."""
    described: dict[str, str] = {}
    for r in o.rows:
        if r.denominator is None:
            continue
        rate = Rate(
            r.rate_per_1000,
            0,
            r.denominator,
            DenominatorBasis(r.denominator_basis),
            r.denominator_year,
        )
        text = rate.describe()
        described[r.denominator_basis] = text[text.index(" per ") + len(" per 1,000 ") :]
    return "; ".join(described.values()) or "no denominator available"


def overview_table(o: Overview) -> Table:
    """The overview table with one column per period shown."""
    columns: list[Column] = [Column("Indicator")]
    columns += [Column(p.label, numeric=True, count=True) for p in o.history_periods]
    c = o.comparison
    if c is not None:
        columns.append(Column(c.previous.label, numeric=True, count=True))
        if c.like_for_like:
            columns.append(Column(c.current.label, numeric=True, count=True))
    columns.append(Column(o.period.label, numeric=True, count=True))
    if c is not None:
        columns += [
            Column("Volume change", numeric=True, format="signed"),
            Column("% change", numeric=True, format="pct"),
            Column(f"Significance (exact test, {1 - SIGNIFICANCE_LEVEL:.0%})"),
        ]
    columns += [
        Column("Rate per 1,000", numeric=True, format="rate"),
        Column("Rank (1 = best)", numeric=True),
        Column("Direction of travel"),
    ]
    rows: list[tuple[Cell, ...]] = []
    for r in o.rows:
        cells: list[Cell] = [r.indicator]
        cells += [v for _, v in r.history]
        if c is not None:
            cells.append(r.previous)
            if c.like_for_like:
                cells.append(r.current_compared)
        cells.append(r.current)
        if c is not None:
            cells += [
                r.change,
                "n/a (small numbers)" if r.small_counts else r.pct_change,
                _significance(r),
            ]
        cells += [
            r.rate_per_1000,
            f"{r.rank} of {r.rank_of}" if r.rank else "n/a",
            _direction(r),
        ]
        rows.append(tuple(cells))
    compared = f", change {c.previous.label} to {c.current.label}" if c is not None else ""
    force = o.area.force or "the force"
    notes = (
        "All crime is every police.uk category except anti-social behaviour (ASB incidents "
        "are not crimes).",
        f"Rates are per 1,000 {denominators_text(o)}.",
        "Change is tested with the exact conditional test for two Poisson counts; "
        f"'significant' means p < {SIGNIFICANCE_LEVEL}. No percentage is given where either "
        f"count is below {SMALL_COUNT_THRESHOLD}.",
        "Ranks compare rates per 1,000 among: "
        + ", ".join(p.name for p in o.peers)
        + "; 1 is the best (the lowest rate of crime; for a measure where higher is better, the "
        "highest value); '=' marks a tie. Direction of travel compares the rank in "
        + (f"{c.current.label} with the rank in {c.previous.label}." if c else "the period."),
        *(f"{r.indicator}: {r.note}" for r in o.rows if r.note),
    )
    return Table(
        id="overview",
        caption=(
            f"Police-recorded crime and anti-social behaviour in {o.area.name}: "
            f"{o.period.label}{compared}, rate and rank among {len(o.peers)} districts of {force}"
        ),
        columns=tuple(columns),
        rows=tuple(rows),
        notes=notes,
    )


def overview_section(o: Overview) -> Section:
    """The overview section: comparison note, the table, and its key findings."""
    blocks: list[Callout | Paragraph | Table] = []
    if o.notes:
        blocks.append(Callout("About the comparison", o.notes))
    blocks.append(overview_table(o))
    return Section(SECTION_ID, "Crime and disorder overview", tuple(blocks))
