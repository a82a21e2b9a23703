"""The crime and disorder overview (section 3.1 of a Strategic Assessment) as blocks."""

from __future__ import annotations

from cspkit.assessment.overview import Overview, OverviewRow, no_ranks_note
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
    """The arrow, and the two ranks it compares: '▲ improved (8 to 7)'."""
    text = f"{r.direction_arrow} {r.direction}"
    if r.previous_rank and r.rank_compared:
        return f"{text} ({r.previous_rank} to {r.rank_compared})"
    return text


def _ratio(r: OverviewRow) -> str | None:
    """'0.91 (0.87 to 0.95)': the rate ratio with its 95% confidence interval."""
    if r.rate_ratio is None:
        return None
    upper = "∞" if r.ratio_upper is None else f"{r.ratio_upper:.2f}"
    lower = "0" if r.ratio_lower is None else f"{r.ratio_lower:.2f}"
    return f"{r.rate_ratio:.2f} ({lower} to {upper})"


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


RANK_HEADING = "Rank (1 = lowest rate)"


def _rate_note(o: Overview) -> str:
    """Why the % change is of a rate, when it is."""
    if o.length_differs:
        return (
            " The periods differ in length, so the % change is that of the rate per month "
            "(and per 1,000 of each period's population), not of the count."
        )
    if o.rate_adjusted:
        return (
            " The two periods' populations differ, so the % change is that of the rate per "
            "1,000 of each period's population, not of the count."
        )
    return ""


def _ranks_note(o: Overview) -> str:
    if not o.ranked:
        return no_ranks_note(len(o.peers))
    c = o.comparison
    compared = (
        f"the rank in {c.current.label} (the months compared) with the rank in "
        f"{c.previous.label}; both are shown in brackets."
        if c
        else "the period."
    )
    return (
        "Ranks compare rates per 1,000 for "
        + (o.period.label)
        + " among: "
        + ", ".join(p.name for p in o.peers)
        + "; 1 is the lowest rate (for a measure where higher is better, 1 is the highest "
        "value); '=' marks a tie. Direction of travel compares " + compared
    )


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
    if o.length_differs:
        pct_heading = "% change of the monthly rate"
    elif o.rate_adjusted:
        pct_heading = "% change of the rate per 1,000"
    else:
        pct_heading = "% change"
    if c is not None:
        columns += [
            Column("Volume change", numeric=True, format="signed"),
            Column(
                pct_heading,
                numeric=True,
                format="pct",
            ),
            Column(f"Rate ratio ({1 - SIGNIFICANCE_LEVEL:.0%} confidence interval)", numeric=True),
            Column(f"Significance (exact test, {1 - SIGNIFICANCE_LEVEL:.0%})"),
        ]
    columns.append(Column("Rate per 1,000", numeric=True, format="rate"))
    if o.ranked:
        columns += [Column(RANK_HEADING, numeric=True), Column("Direction of travel")]
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
                _ratio(r),
                _significance(r),
            ]
        cells.append(r.rate_per_1000)
        if o.ranked:
            cells += [f"{r.rank} of {r.rank_of}" if r.rank else "n/a", _direction(r)]
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
        *(
            (
                "The rate ratio is the current rate divided by the earlier one (below 1 is a "
                "fall), with its 95% confidence interval." + _rate_note(o),
            )
            if c is not None
            else ()
        ),
        _ranks_note(o),
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
