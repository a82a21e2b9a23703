"""The data-quality appendix: every warning about the data behind an assessment in one place.

Gaps and possibly partial months of street data, rows quarantined or without a district at
load time, and the notes the overview raised (denominators, comparisons), all read from
the computed assessment.
"""

from __future__ import annotations

from collections.abc import Sequence

from cspkit.assessment.comparison import describe_gaps
from cspkit.report.blocks import Bullets, Paragraph, Section
from cspkit.warehouse.coverage import MISSING, OK, ForceMonth

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
