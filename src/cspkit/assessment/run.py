"""One call from a warehouse file to a folder of outputs: what `cspkit assess` runs."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path

from cspkit.assessment.areas import open_area, with_notes
from cspkit.assessment.build import assess, build_document
from cspkit.assessment.export import write_data
from cspkit.assessment.public import suppress_document
from cspkit.errors import CspkitError
from cspkit.report.charts import without_png
from cspkit.report.html import write_html
from cspkit.stats.periods import parse_period
from cspkit.warehouse.connection import connect_readonly
from cspkit.warehouse.registry import slugify
from cspkit.warehouse.series import force_districts

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
    marking: str | None = None,
) -> list[Path]:
    """Assess ``area`` for ``period`` from the warehouse ``db``; write the outputs to ``out``.

    HTML, JSON and CSV are always written; ``formats`` may add "pdf" and "docx". ``public``
    applies small-number suppression to every table for publication. ``marking`` is the
    protective marking printed on the cover and every page (default "OFFICIAL", none for
    the public edition).
    """
    parsed = parse_period(period)
    parsed_compare = parse_period(compare) if compare else None
    opened = open_area(db, area, peers)
    con, area, peers = opened.con, opened.area, opened.peers
    pictures = contextlib.nullcontext() if "docx" in formats else without_png()
    try:
        with pictures:
            result = assess(
                con,
                area,
                parsed,
                compare=parsed_compare,
                peers=peers,
                public=public,
                progress=progress,
            )
    finally:
        con.close()
    result = with_notes(result, opened.notes)
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


def run_force(
    db: Path,
    force: str,
    period: str,
    *,
    compare: str | None = None,
    out: Path,
    formats: Sequence[str] = ("html",),
    public: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Path]:
    """Assess every district of a force (by its police.uk slug, e.g. "kent") in one run.

    Each district's outputs go to ``out/<district name>/``; returns district -> report path.
    """
    con = connect_readonly(db)
    try:
        districts = force_districts(con, force.strip().lower())
    finally:
        con.close()
    if not districts:
        raise CspkitError(f"no districts found for force {force!r}; see 'cspkit coverage'")
    reports: dict[str, Path] = {}
    for i, district in enumerate(districts):
        if progress is not None:
            progress(f"assessing {district.name}", i, len(districts))
        folder = out / slugify(district.name)
        written = run_assessment(
            db, district.code, period, compare=compare, out=folder, formats=formats, public=public
        )
        reports[district.name] = written[0]
    if progress is not None:
        progress("done", len(districts), len(districts))
    return reports
