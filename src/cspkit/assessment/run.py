"""One call from a warehouse file to a folder of outputs: what `cspkit assess` runs."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb

from cspkit.assessment.areas import open_area, with_notes
from cspkit.assessment.build import Assessment, assess, build_document
from cspkit.assessment.evidence import EvidenceOptions
from cspkit.assessment.export import write_data
from cspkit.assessment.public import suppress_document
from cspkit.report.charts import without_png
from cspkit.report.html import write_html
from cspkit.stats.periods import Period, parse_period

FORMATS = ("html", "pdf", "docx")
#: How the overview's note begins when no months of the comparison period are held.
NO_COMPARISON = "No comparison is possible"


def run_assessment(
    db: Path,
    area: str,
    period: str,
    *,
    compare: str | None = None,
    peers: list[str] | None = None,
    out: Path,
    formats: Sequence[str] = ("html",),
    public: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    evidence: EvidenceOptions | None = None,
    warn: Callable[[str], None] | None = None,
    allow_partial: bool = False,
    marking: str | None = None,
    patterns: bool = False,
) -> list[Path]:
    """Assess ``area`` for ``period`` from the warehouse ``db``; write the outputs to ``out``.

    HTML, JSON and CSV are always written; ``formats`` may add "pdf" and "docx". ``public``
    applies small-number suppression to every table for publication. ``warn`` is told, one
    line each, what the reader must know before the figures: that no comparison was possible,
    and each failed data-quality check. ``allow_partial`` assesses a period holding a month
    that coverage calls possibly partial, with a warning at the top of the report. ``marking``
    is the protective marking printed on the cover and every page (default "OFFICIAL", none
    for the public edition). ``patterns`` hatches the maps' classes as well as shading them,
    so that they read when printed in greyscale.
    """
    opened = open_area(db, area, peers)
    try:
        return write_outputs(
            opened.con,
            opened.area,
            parse_period(period),
            compare=parse_period(compare) if compare else None,
            peers=opened.peers,
            notes=opened.notes,
            out=out,
            formats=formats,
            public=public,
            progress=progress,
            evidence=evidence,
            warn=warn,
            allow_partial=allow_partial,
            marking=marking,
            patterns=patterns,
        )
    finally:
        opened.con.close()


def warnings_of(result: Assessment) -> tuple[str, ...]:
    """What a user must be told at once: no comparison possible, failed data-quality checks."""
    o = result.overview
    found = [n for n in o.notes if n.startswith(NO_COMPARISON)] if o.comparison is None else []
    return (*found, *result.quality.warnings)  # a partial month assessed by choice is one


def write_outputs(
    con: duckdb.DuckDBPyConnection,
    area: str,
    period: Period,
    *,
    compare: Period | None = None,
    peers: list[str] | None = None,
    notes: tuple[str, ...] = (),
    out: Path,
    formats: Sequence[str] = ("html",),
    public: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    evidence: EvidenceOptions | None = None,
    warn: Callable[[str], None] | None = None,
    allow_partial: bool = False,
    marking: str | None = None,
    patterns: bool = False,
) -> list[Path]:
    """Assess ``area`` on an open connection and write its outputs to ``out`` (``warn``: as
    :func:`run_assessment`)."""
    pictures = contextlib.nullcontext() if "docx" in formats else without_png()
    with pictures:
        result = assess(
            con,
            area,
            period,
            compare=compare,
            peers=peers,
            public=public,
            progress=progress,
            evidence=evidence,
            allow_partial=allow_partial,
            patterns=patterns,
        )
    result = with_notes(result, notes)
    if warn is not None:
        for message in warnings_of(result):
            warn(message)
    doc = build_document(result, marking=marking)
    if public:
        doc = suppress_document(doc)
    written = [write_html(doc, out)]
    if "pdf" in formats:
        from cspkit.report.pdf import write_pdf

        written.append(write_pdf(doc, out))
    if "docx" in formats:
        from cspkit.report.docx import write_docx

        written.append(write_docx(doc, out))
    return [*written, *write_data(result, doc, out)]
