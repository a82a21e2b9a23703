"""The closing sections: data sources and methodology (from the warehouse's provenance), and
a glossary. Nothing here is typed in by hand except the fixed descriptions of methods."""

from __future__ import annotations

from collections.abc import Sequence

from cspkit.assessment.comparison import describe_gaps
from cspkit.assessment.quality import QualityCheck
from cspkit.report.blocks import Bullets, Column, Paragraph, Section, Table
from cspkit.stats.change import SIGNIFICANCE_LEVEL, SMALL_COUNT_THRESHOLD
from cspkit.stats.hotspots import DEFAULT_ALPHA, FDR_METHOD
from cspkit.stats.periods import format_month
from cspkit.stats.spc import (
    DEFAULT_SHIFT_LENGTH,
    DEFAULT_TREND_LENGTH,
    MR_SCREEN_FACTOR,
    XMR_LIMIT_FACTOR,
)
from cspkit.warehouse.coverage import OK, ForceMonth

METHODS: tuple[tuple[str, str], ...] = (
    (
        "Change between periods",
        "Exact conditional test for two Poisson counts: the current count given the total is "
        "binomial with p = 1/2 for equal periods (Przyborowski and Wilenski, 1940; as in R's "
        "poisson.test). When the periods differ in length or population each count is given "
        "its exposure (months × population) and the change reported is that of the rate. A "
        f"{1 - SIGNIFICANCE_LEVEL:.0%} interval of the rate ratio is given; "
        f"p < {SIGNIFICANCE_LEVEL} is 'significant'. Percentages are not given when either "
        f"count is below {SMALL_COUNT_THRESHOLD}.",
    ),
    (
        "Rates",
        "Per 1,000 of the indicator's denominator (residents, households or adults); the "
        "denominator, its year and source are stated with every rate.",
    ),
    (
        "Ranks and direction of travel",
        "Standard competition ranking of rates among peer districts (1 = lowest rate; '=' marks "
        "a tie). The direction of travel compares ranks of the same months: when only some "
        "months of the comparison period are held, the rank of those months this year against "
        "the rank of the same months before; both ranks are shown beside the arrow. With fewer "
        "than 3 districts in the peer group no ranks are given.",
    ),
    (
        "Statistical process control",
        "XmR charts with the NHS 'Making Data Count' rules, as the NHSRplotthedots package "
        f"applies them: process limits at the mean ± {XMR_LIMIT_FACTOR} × the average moving "
        "range (the month-to-month change), after leaving out moving ranges of at least "
        f"{MR_SCREEN_FACTOR} times their average so one extreme jump does not widen the "
        "limits. Special cause is a month outside the limits, a trend of "
        f"{DEFAULT_TREND_LENGTH} months rising or falling, two of three months beyond two "
        f"thirds of the way to a limit on the same side, or a run of {DEFAULT_SHIFT_LENGTH} "
        "months on one side of the mean. A month is labelled by the first of these that applies "
        "in that order: a month outside the limits takes its side of the mean, so a month "
        "above the upper limit is never called an improvement where lower is better. Run on "
        "monthly counts only; rolling 12-month totals are shown for context, never tested.",
    ),
    (
        "Hotspots",
        "Getis-Ord Gi* on LSOAs with Queen contiguity (each LSOA and those touching it), "
        "two-sided analytic p-values from the normal approximation of the Gi* z-score, so the "
        "result does not depend on random permutations, and a "
        f"{FDR_METHOD} false discovery rate correction at {DEFAULT_ALPHA:.0%} (Getis and Ord, "
        "1992; Ord and Getis, 1995). A cold spot is an LSOA whose neighbourhood has fewer "
        "records than the average would give.",
    ),
    (
        "Concentration",
        "Share of places holding 25% and 50% of events, Lorenz curve and Gini coefficient; the "
        "generalised Gini when events are fewer than places (Bernasco and Steenbeek, 2017; "
        "Weisburd, 2015).",
    ),
    (
        "Harm",
        "Cambridge Crime Harm Index weights (sentencing starting points in days) applied to "
        "police.uk categories, a national per-category aggregation used as a default.",
    ),
)

CAVEATS: tuple[str, ...] = (
    "Police.uk locations are anonymised: each record is snapped to a map point covering at "
    "least eight postal addresses, so street-level counts are approximate.",
    "About 1% of records have no location and cannot be placed in a district; they are kept "
    "and counted as unassigned.",
    "Some records fall in a neighbouring force's area; records are assigned to districts by "
    "their LSOA, not by the force that published them.",
    "Police.uk shows the latest outcome known when the data were published, so recent months "
    "have more crimes still under investigation.",
    "Anti-social behaviour recording practice varies between forces and over time; a sudden "
    "level change can be a recording change rather than a real change.",
)

GLOSSARY: tuple[tuple[str, str], ...] = (
    ("ASB", "Anti-social behaviour: incidents recorded by the police, not crimes."),
    (
        "Benjamini-Hochberg",
        "A way of allowing for many tests at once: it keeps the share of "
        "false alarms among the flagged results at about 5% (see FDR).",
    ),
    (
        "Cold spot",
        "An LSOA whose neighbourhood (it and the LSOAs touching it) has fewer records "
        "than the district average would give, more than chance explains; the LSOA itself may "
        "still be busy.",
    ),
    (
        "Common-cause variation",
        "The ordinary ups and downs of a monthly count; nothing in the "
        "chart suggests a real change.",
    ),
    (
        "Confidence interval (95%)",
        "The range within which the true value lies with 95% confidence, given the counts.",
    ),
    ("CSP", "Community Safety Partnership: the statutory partnership for a district."),
    (
        "Exact test",
        "The test of two counts used for every change: it asks whether the "
        "difference is larger than chance would give, allowing for periods of different length.",
    ),
    (
        "FDR",
        "False discovery rate: of the results flagged as significant, the share expected "
        "to be false alarms; held at 5%.",
    ),
    (
        "Gi*",
        "The Getis-Ord statistic: is an area together with its neighbours higher (or "
        "lower) than the district average would give? Its z-score says by how much.",
    ),
    (
        "Harm index",
        "Crime weighted by the seriousness of the offence, in days of the sentence "
        "a first offender would typically receive (Cambridge Crime Harm Index).",
    ),
    (
        "Hot spot",
        "An LSOA whose neighbourhood has more records than the district average "
        "would give, more than chance explains.",
    ),
    (
        "Like-for-like",
        "The same months in both years, used when a whole comparison year is not held.",
    ),
    (
        "LSOA",
        "Lower-layer Super Output Area: a small area of about 1,500 residents used for "
        "official statistics.",
    ),
    (
        "p-value",
        "The chance of a difference at least this large if nothing had really "
        "changed; below 0.05 is called significant.",
    ),
    (
        "Process limits",
        "The lines on an XmR chart within which a stable count varies by "
        "chance; a month beyond them is special cause.",
    ),
    ("Rank", "A district's place among its peers; 1 is always the lowest rate."),
    (
        "Rate per 1,000",
        "Events per 1,000 residents (or households, or adults) in the area, "
        "with the population's base and year named beside it.",
    ),
    (
        "Rate ratio",
        "The rate of one period divided by the rate of the other: 0.9 is a 10% "
        "fall, 1.2 a 20% rise.",
    ),
    (
        "Repeat location",
        "One place (a police.uk map point) where many of the records of an increase happened.",
    ),
    ("Significant", "A change unlikely to be chance alone (p < 0.05 in an exact test)."),
    (
        "SPC",
        "Statistical process control: telling ordinary (common-cause) variation from "
        "special-cause variation in a monthly series.",
    ),
    (
        "Special cause",
        "A pattern in a chart unlikely to arise from ordinary variation: a "
        "month beyond the process limits, a run or trend of 7 months, or 2 of 3 months near a "
        "limit.",
    ),
    (
        "XmR chart",
        "A chart of monthly counts (X) with limits set from the average change "
        "from one month to the next (the moving range, mR).",
    ),
    ("z-score", "How many standard deviations a value is from what was expected."),
)


def methodology_section(
    sources: Sequence[tuple[str, str, int, str | None, str | None, int, int, int, int]],
    coverage: Sequence[ForceMonth],
    denominators: str,
    checks: Sequence[QualityCheck] = (),
    wards: str = "",
) -> Section:
    """Data sources (what was loaded, periods, rows), coverage gaps, methods, caveats.

    ``wards`` says how records were given wards in this assessment (a "Wards" method)."""
    table = Table(
        id="data_sources",
        caption="Data loaded into the warehouse for this force",
        columns=(
            Column("Data"),
            Column("Force"),
            Column("Files", numeric=True),
            Column("First month"),
            Column("Last month"),
            Column("Rows read", numeric=True),
            Column("Loaded", numeric=True),
            Column("Quarantined", numeric=True),
            Column("No district", numeric=True),
        ),
        rows=tuple(tuple(s) for s in sources),
        notes=(
            "police.uk data: contains public sector information licensed under the Open "
            "Government Licence v3.0.",
        ),
    )
    gaps = tuple(c for c in coverage if c.status != OK)
    held = [c for c in coverage if c.status == OK]
    coverage_text = (
        f"Street-level data are held for {len(held)} months between "
        f"{format_month(coverage[0].month)} and {format_month(coverage[-1].month)}"
        + (f"; {describe_gaps(gaps)}." if gaps else ", with no gaps.")
        if coverage
        else "No street-level data are held."
    )
    return Section(
        "methodology",
        "Data sources and methodology",
        (
            table,
            Paragraph(coverage_text),
            Paragraph(f"Denominators: {denominators}."),
            Table(
                id="methods",
                caption="Methods",
                columns=(Column("Method"), Column("How it is done")),
                rows=METHODS + ((("Wards", wards),) if wards else ()),
            ),
            Table(
                id="data_quality",
                caption="Data-quality checks",
                columns=(
                    Column("Dataset"),
                    Column("Check"),
                    Column("Result"),
                    Column("Finding"),
                ),
                rows=tuple(
                    (c.dataset, c.check, "passed" if c.passed else "warning", c.finding)
                    for c in checks
                ),
            ),
            Paragraph("Caveats of police.uk data:"),
            Bullets(CAVEATS),
        ),
    )


def glossary_section() -> Section:
    return Section(
        "glossary",
        "Glossary",
        (
            Table(
                id="glossary",
                caption="Terms used",
                columns=(Column("Term"), Column("Meaning")),
                rows=GLOSSARY,
            ),
        ),
    )
