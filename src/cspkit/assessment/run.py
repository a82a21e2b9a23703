"""One call from a warehouse file to a folder of outputs: what `cspkit assess` runs."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb

from cspkit.assessment.areas import open_area, with_notes
from cspkit.assessment.build import assess, build_document
from cspkit.assessment.evidence import EvidenceOptions
from cspkit.assessment.export import write_data
from cspkit.assessment.public import suppress_document
from cspkit.report.charts import without_png
from cspkit.report.html import write_html
from cspkit.stats.periods import Period, parse_period

FORMATS = ("html", "pdf", "docx")


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
) -> list[Path]:
    """Assess ``area`` for ``period`` from the warehouse ``db``; write the outputs to ``out``.

    HTML, JSON and CSV are always written; ``formats`` may add "pdf" and "docx". ``public``
    applies small-number suppression to every table for publication.
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
        )
    finally:
        opened.con.close()


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
) -> list[Path]:
    """Assess ``area`` on an open connection and write its outputs to ``out``."""
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
        )
    result = with_notes(result, notes)
    doc = build_document(result)
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
