"""Rendering a report document as PDF: the HTML page printed by WeasyPrint."""

from __future__ import annotations

import logging
from pathlib import Path

from cspkit.report.document import ReportDocument
from cspkit.report.html import render_html

PDF_NAME = "report.pdf"


def write_pdf(report: ReportDocument, out: Path) -> Path:
    """Write report.pdf into ``out`` (print styles of the HTML page apply)."""
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    out.mkdir(parents=True, exist_ok=True)
    path = out / PDF_NAME
    HTML(string=render_html(report)).write_pdf(str(path))
    return path
