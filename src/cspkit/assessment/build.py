"""Building an assessment: every section computed from the warehouse, then one document.

Sections are computed here from warehouse data and statistics; renderers only read the
frozen result (a ReportDocument of blocks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import cast

import duckdb

from cspkit import __version__
from cspkit.assessment import appendix
from cspkit.assessment.context import SectionContext
from cspkit.assessment.evidence import Evidence, EvidenceOptions, build_evidence
from cspkit.assessment.overview import Overview, build_overview
from cspkit.assessment.quality import DataQuality, data_quality, quality_section
from cspkit.assessment.sections.overview import denominators_text, overview_section
from cspkit.assessment.sections.places_data import load as load_places
from cspkit.assessment.sections.places_data import ward_method_text
from cspkit.assessment.summary import summary_section
from cspkit.report.blocks import Block, Figure, Paragraph, Section, Table
from cspkit.report.document import DEFAULT_MARKING, Cover, ReportDocument
from cspkit.report.layout import table_layout
from cspkit.report.suppress import SUPPRESSION_THRESHOLD
from cspkit.stats.periods import Period
from cspkit.warehouse.coverage import ForceMonth, coverage

SectionBuilder = Callable[[duckdb.DuckDBPyConnection, SectionContext], Section | None]


def _section_builders() -> tuple[SectionBuilder, ...]:
    """The analysis sections in report order (after the overview)."""
    from cspkit.assessment.sections import emerging, harm, hotspots, outcomes, places, trends

    return (
        trends.build,
        places.build,
        hotspots.build,
        harm.build,
        outcomes.build,
        emerging.build,
    )


@dataclass(frozen=True)
class SourceSummary:
    """The loaded files behind an assessment, for the data-sources note."""

    kind: str
    force_slug: str
    files: int
    first_month: date | None
    last_month: date | None
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_unassigned: int


@dataclass(frozen=True)
class Assessment:
    """Everything a Strategic Assessment report shows, computed."""

    overview: Overview
    coverage: tuple[ForceMonth, ...]
    sources: tuple[SourceSummary, ...]
    sections: tuple[Section, ...]
    quality: DataQuality
    public: bool
    generated_at: datetime
    version: str
    evidence: Evidence | None = None
    #: How records were given wards, with how many records each way ('' without wards).
    ward_method: str = ""


def _sources(con: duckdb.DuckDBPyConnection, force_slug: str) -> tuple[SourceSummary, ...]:
    rows = con.execute(
        """
        SELECT kind, force_slug, count(*), min(month), max(month), sum(rows_read),
               sum(rows_loaded), sum(rows_quarantined), sum(rows_unassigned)
        FROM sources WHERE replaced_by IS NULL AND force_slug = ?
        GROUP BY kind, force_slug ORDER BY kind
        """,
        [force_slug],
    ).fetchall()
    return tuple(
        SourceSummary(str(k), str(f), int(n), a, b, int(r), int(lo), int(q), int(u))
        for k, f, n, a, b, r, lo, q, u in rows
    )


def assess(
    con: duckdb.DuckDBPyConnection,
    area: str,
    period: Period,
    *,
    compare: Period | None = None,
    peers: list[str] | None = None,
    public: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    evidence: EvidenceOptions | None = None,
    allow_partial: bool = False,
    patterns: bool = False,
) -> Assessment:
    """Compute an assessment of a district for a period from the warehouse.

    ``progress(step, done, total)`` is called before the overview and each section;
    ``patterns`` hatches the maps' classes as well as shading them (greyscale printing).
    """
    builders = _section_builders()
    total = len(builders) + 1
    if progress is not None:
        progress("overview", 0, total)
    overview = build_overview(
        con, area, period, compare=compare, peers=peers, allow_partial=allow_partial
    )
    force = overview.area.force_slug or ""
    ctx = SectionContext(
        overview.area, period, overview.comparison, overview.peers, public, patterns=patterns
    )
    found: list[Section] = []
    for done, build in enumerate(builders, start=1):
        if progress is not None:
            progress(build.__module__.rsplit(".", 1)[-1], done, total)
        section = build(con, ctx)
        if section is not None:
            found.append(section)
    sections = tuple(found)
    if progress is not None:
        progress("evidence", total, total)
    return Assessment(
        overview=overview,
        coverage=coverage(con).for_force(force),
        sources=_sources(con, force),
        sections=sections,
        quality=data_quality(con, force, overview.area.code, period),
        public=public,
        generated_at=datetime.now().replace(microsecond=0),
        version=__version__,
        evidence=build_evidence(con, ctx, overview, evidence),
        ward_method=ward_method_text(load_places(con, overview.area.code, period, force)),
    )


#: Tables longer than this are shown in a chapter as their first EXCERPT_ROWS rows, and in
#: full in the full-tables appendix (their CSV always holds every row).
EXCERPT_OVER = 25
EXCERPT_ROWS = 10
FULL_TABLES_ID = "full-tables"


def _excerpted(section: Section) -> tuple[Section, list[Table]]:
    """The section with its long tables cut to an excerpt, and those tables."""
    long: list[Table] = []
    blocks: list[Block] = []
    for block in section.blocks:
        if isinstance(block, Table) and len(block.rows) > EXCERPT_OVER:
            block = replace(block, excerpt=EXCERPT_ROWS)
            long.append(block)
        elif isinstance(block, Figure) and block.table and len(block.table.rows) > EXCERPT_OVER:
            block = replace(block, table=replace(block.table, excerpt=EXCERPT_ROWS))
            long.append(cast(Table, block.table))
        blocks.append(block)
    return replace(section, blocks=tuple(blocks)), long


def _as_appendix(section: Section) -> Section:
    """A section printed as an appendix (its title without an "Appendix: " of its own)."""
    title = section.title.removeprefix("Appendix: ")
    return replace(section, appendix=True, title=title[:1].upper() + title[1:])


def _full_tables(tables: list[Table]) -> Section:
    intro = Paragraph(
        f"Tables of more than {EXCERPT_OVER} rows appear in the chapters as their first "
        f"{EXCERPT_ROWS} rows; here they are in full. Each is also a CSV file beside this "
        "report."
    )
    # portrait tables first, then the landscape ones together: fewer part-empty pages
    ordered = sorted(tables, key=lambda t: table_layout(t).landscape)
    return Section(FULL_TABLES_ID, "Full tables", (intro, *ordered), appendix=True)


def build_document(
    a: Assessment, *, marking: str | None = None, partnership: str | None = None
) -> ReportDocument:
    """The report: cover, executive summary, the chapters (overview, then each analysis),
    then appendices (methodology and data sources, data-quality warnings, glossary, and the
    full tables of any table too long for a chapter).

    ``marking`` is the protective marking on the cover and every page (default "OFFICIAL",
    none for the public edition); ``partnership`` names the partnership on the cover.
    """
    o = a.overview
    sources = [
        (
            s.kind,
            s.force_slug,
            s.files,
            s.first_month.strftime("%Y-%m") if s.first_month else None,
            s.last_month.strftime("%Y-%m") if s.last_month else None,
            s.rows_read,
            s.rows_loaded,
            s.rows_quarantined,
            s.rows_unassigned,
        )
        for s in a.sources
    ]
    chapters: list[Section] = []
    long: list[Table] = []
    evidence = a.evidence.sections if a.evidence else ()
    for section in (overview_section(o), *a.sections, *evidence):
        cut, found = _excerpted(section)
        chapters.append(cut)
        long.extend(found)
    hide_below = SUPPRESSION_THRESHOLD if a.public else 0
    loaded = [
        (s.kind, s.rows_read, s.rows_loaded, s.rows_quarantined, s.rows_unassigned)
        for s in a.sources
    ]
    appendices = [
        *(_as_appendix(s) for s in (a.evidence.appendix if a.evidence else ())),
        replace(
            appendix.methodology_section(
                sources, a.coverage, denominators_text(o), a.quality.checks, a.ward_method
            ),
            appendix=True,
        ),
        quality_section(a.coverage, loaded, (*a.quality.warnings, *o.notes)),
        replace(appendix.glossary_section(), appendix=True),
    ]
    if long:
        appendices.append(_full_tables(long))
    sections = (
        summary_section(o, chapters, hide_below=hide_below, warnings=a.quality.warnings),
        *chapters,
        *appendices,
    )
    compared = f" · compared with {o.comparison.previous.label}" if o.comparison else ""
    public = " Public edition: counts under 5 are suppressed." if a.public else ""
    cover = Cover(
        partnership=partnership or f"{o.area.name} Community Safety Partnership",
        area=f"{o.area.name} ({o.area.code}), {o.area.force or 'force unknown'}",
        period=f"{o.period.label}{compared}",
        produced=f"{a.generated_at:%d %B %Y}",
        marking=(("" if a.public else DEFAULT_MARKING) if marking is None else marking),
        edition="Public edition (counts under 5 suppressed)" if a.public else "",
    )
    return ReportDocument(
        title=f"Strategic Assessment: {o.area.name}",
        subtitle=(
            f"{o.area.name} ({o.area.code}), {o.area.force or 'force unknown'} · "
            f"period {o.period.label}{compared}"
        ),
        sections=sections,
        footer=(
            f"Produced by cspkit {a.version} on {a.generated_at:%d %B %Y}. Every figure in this "
            "report is in assessment.json and the CSV files beside it." + public
        ),
        cover=cover,
        public=a.public,
    )
