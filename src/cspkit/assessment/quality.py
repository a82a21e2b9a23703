"""Data-quality checks, one or more per dataset, run before the figures are trusted.

Each check says what was tested, what was found and whether it passed. A failed check is a
warning at the top of the report and is listed in the methods appendix; the sections that rest
on the data say so instead of reporting a figure that looks wrong.

* Street-level crime: every month of the period is held (coverage), and few records lack a
  location.
* Outcomes: recent crimes are normally the likeliest to be "under investigation". When no
  crime of the period is, while earlier months held for the force had
  :data:`MIN_UNDER_INVESTIGATION` or more, the outcome data of those months look incomplete.
* Anti-social behaviour: no month of the period holds under :data:`ASB_DROP_SHARE` of the
  period's median month (a recording gap rather than a quiet month).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb

from cspkit.assessment.comparison import describe_gaps
from cspkit.report.blocks import Bullets, Paragraph, Section
from cspkit.stats.periods import Period, format_month, month_range
from cspkit.warehouse.coverage import MISSING, OK, ForceMonth, coverage
from cspkit.warehouse.registry import ASB_CATEGORY

#: Another month with at least this share under investigation makes a period with none suspect.
MIN_UNDER_INVESTIGATION = 0.05
#: Above this share of records without a location, place-based figures are less complete.
MAX_UNLOCATED = 0.05
#: A month of ASB below this share of the period's median month looks like a recording gap.
ASB_DROP_SHARE = 0.25

STREET, OUTCOMES, ASB = "Street-level crime", "Crime outcomes", "Anti-social behaviour"


@dataclass(frozen=True)
class QualityCheck:
    """One check of one dataset: what was tested, what was found, whether it passed."""

    dataset: str
    check: str
    passed: bool
    finding: str


@dataclass(frozen=True)
class DataQuality:
    """Every check run for an assessment."""

    checks: tuple[QualityCheck, ...]

    @property
    def warnings(self) -> tuple[str, ...]:
        """The findings of the failed checks, for the top of the report."""
        return tuple(c.finding for c in self.checks if not c.passed)

    def outcomes_incomplete(self) -> bool:
        """Whether the outcome data of the period look incomplete."""
        return any(c.dataset == OUTCOMES and not c.passed for c in self.checks)


_MONTHLY_SQL = """
SELECT month, count(*) FILTER (WHERE category <> ?) AS crimes,
       count(*) FILTER (WHERE category <> ? AND last_outcome = 'Under investigation') AS ui,
       count(*) FILTER (WHERE category = ?) AS asb
FROM crimes WHERE force_slug = ? AND (lad_code = ? OR ? IS NULL)
GROUP BY month ORDER BY month
"""


def _monthly(
    con: duckdb.DuckDBPyConnection, force: str, lad: str | None
) -> list[tuple[date, int, int, int]]:
    rows = con.execute(
        _MONTHLY_SQL, [ASB_CATEGORY, ASB_CATEGORY, ASB_CATEGORY, force, lad, lad]
    ).fetchall()
    return [(m, int(c), int(u), int(a)) for m, c, u, a in rows]


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def outcome_check(monthly: list[tuple[date, int, int, int]], period: Period) -> QualityCheck:
    """No crime of the period under investigation while other months had many: incomplete."""
    inside = [(m, c, u) for m, c, u, _ in monthly if period.contains(m) and c]
    outside = [(m, _share(u, c)) for m, c, u, _ in monthly if m < period.first and c]
    check = "Crimes of the period still under investigation, against earlier months held"
    ui = sum(u for _, _, u in inside)
    high = [s for _, s in outside if s >= MIN_UNDER_INVESTIGATION]
    if inside and ui == 0 and high:
        low, top = min(high), max(high)
        months = month_range(inside[0][0], inside[-1][0]).label
        return QualityCheck(
            OUTCOMES,
            check,
            False,
            f"The outcome data look incomplete for {months}: no crime of these months is "
            f"recorded as under investigation, while {len(high)} earlier months held had "
            f"{low:.0%} to {top:.0%}. Resolution rates and the share still pending for these "
            "months are not reliable.",
        )
    finding = (
        "No earlier months are held to compare with."
        if not outside
        else f"{_share(ui, sum(c for _, c, _ in inside)):.1%} of the period's crimes are under "
        "investigation, consistent with the earlier months held."
    )
    return QualityCheck(OUTCOMES, check, True, finding)


def asb_check(monthly: list[tuple[date, int, int, int]], period: Period) -> QualityCheck:
    """A month with far fewer ASB incidents than the period's median month."""
    inside = [(m, a) for m, _, _, a in monthly if period.contains(m)]
    check = f"No month below {ASB_DROP_SHARE:.0%} of the period's median month"
    if not inside:
        return QualityCheck(ASB, check, True, "No anti-social behaviour records in the period.")
    median = statistics.median(a for _, a in inside)
    low = [(m, a) for m, a in inside if a < ASB_DROP_SHARE * median]
    if low:
        listed = ", ".join(f"{format_month(m)} ({a:,})" for m, a in low)
        return QualityCheck(
            ASB,
            check,
            False,
            f"Anti-social behaviour looks under-recorded in {listed}, against a median of "
            f"{median:,.0f} a month in the period; treat changes involving these months with "
            "caution.",
        )
    return QualityCheck(ASB, check, True, f"Every month is within range (median {median:,.0f}).")


def data_quality(
    con: duckdb.DuckDBPyConnection, force: str, lad: str, period: Period
) -> DataQuality:
    """Run every check for a district's assessment of ``period``."""
    gaps = coverage(con).gaps(force, period)
    checks = [
        QualityCheck(
            STREET,
            "Every month of the period is held in full",
            not gaps,
            f"Gaps: {describe_gaps(gaps)}." if gaps else "Every month is held.",
        )
    ]
    row = con.execute(
        "SELECT sum(rows_read), sum(rows_unassigned) FROM sources "
        "WHERE replaced_by IS NULL AND force_slug = ? AND kind = 'street'",
        [force],
    ).fetchone()
    read, unassigned = (int(row[0] or 0), int(row[1] or 0)) if row else (0, 0)
    share = _share(unassigned, read)
    checks.append(
        QualityCheck(
            STREET,
            f"Records without a location or district at most {MAX_UNLOCATED:.0%}",
            share <= MAX_UNLOCATED,
            f"{share:.1%} of {read:,} records read for the force have no location or district.",
        )
    )
    monthly = _monthly(con, force, lad)
    checks.append(outcome_check(monthly, period))
    checks.append(asb_check(monthly, period))
    return DataQuality(tuple(checks))


def outcomes_quality(
    con: duckdb.DuckDBPyConnection, force: str, lad: str, period: Period
) -> QualityCheck:
    """The outcomes check alone, for the outcomes section."""
    return outcome_check(_monthly(con, force, lad), period)


# The data-quality appendix: every warning about the data behind an assessment in one place.

SECTION_ID = "data-quality"
TITLE = "Data-quality warnings"


def warnings(
    coverage: Sequence[ForceMonth],
    loaded: Sequence[tuple[str, int, int, int, int]],
    notes: Sequence[str],
) -> tuple[str, ...]:
    """Warnings, one sentence each; ``loaded`` holds (kind, rows read, loaded, quarantined,
    without a district) per kind of data."""
    out: list[str] = []
    gaps = [c for c in coverage if c.status != OK]
    missing = [c for c in gaps if c.status == MISSING]
    partial = [c for c in gaps if c.status != MISSING]
    if missing:
        out.append(
            f"Street-level data are missing for {len(missing)} month"
            f"{'s' if len(missing) > 1 else ''}: {describe_gaps(tuple(missing))}. Totals over "
            "periods that include them are too low, and comparisons across them are not like "
            "for like."
        )
    if partial:
        out.append(
            f"{len(partial)} month{'s' if len(partial) > 1 else ''} of street-level data "
            f"look partial (far fewer rows than the neighbouring months): "
            f"{describe_gaps(tuple(partial))}."
        )
    for kind, read, _kept, quarantined, unassigned in loaded:
        if quarantined:
            out.append(
                f"{quarantined:,} of {read:,} rows of {kind} data were quarantined at load "
                "time (unreadable or invalid values) and are not counted anywhere in this "
                "report; 'cspkit quarantine' lists them with the reason."
            )
        if unassigned:
            out.append(
                f"{unassigned:,} of {read:,} rows of {kind} data have no location that "
                "places them in a district; they are kept in the warehouse but are in no "
                "district's figures."
            )
    out.extend(notes)
    return tuple(out)


def quality_section(
    coverage: Sequence[ForceMonth],
    loaded: Sequence[tuple[str, int, int, int, int]],
    notes: Sequence[str],
) -> Section:
    """The appendix of data-quality warnings (a plain statement when there are none)."""
    found = warnings(coverage, loaded, notes)
    blocks = (
        (
            Paragraph("Read the figures of this report with these limits of the data in mind."),
            Bullets(found),
        )
        if found
        else (Paragraph("No gaps, quarantined rows or other warnings were found in the data."),)
    )
    return Section(SECTION_ID, TITLE, blocks, appendix=True)
