"""Rendering a report document as PDF: the HTML page printed by WeasyPrint.

The print styles of the page lay it out on A4 (wide tables on landscape pages), with the
running title and "Page n of N" in the footer and a bookmark for every heading. The public
edition is a tagged PDF/UA file with its language and title set, for screen readers.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from cspkit.report.document import ReportDocument
from cspkit.report.html import render_html

PDF_NAME = "report.pdf"
#: The accessible variant WeasyPrint writes for public editions.
PUBLIC_VARIANT = "pdf/ua-1"


def pdf_bytes(report: ReportDocument) -> bytes:
    """The PDF file's bytes."""
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    options: dict[str, Any] = {"pdf_tags": True}
    if report.public:
        options["pdf_variant"] = PUBLIC_VARIANT
    document = HTML(string=render_html(report)).render(**options)
    document.metadata.title = report.title
    document.metadata.lang = "en-GB"
    if report.cover is not None:
        document.metadata.authors = [report.cover.author]
    document.metadata.generator = "cspkit"
    data: bytes = document.write_pdf(**options)
    return data


def write_pdf(report: ReportDocument, out: Path) -> Path:
    """Write report.pdf into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / PDF_NAME
    path.write_bytes(pdf_bytes(report))
    return path
