"""The Word and PDF editions carry the same content as the page."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from docx import Document
from pypdf import PdfReader

from cspkit.assessment.build import assess, build_document
from cspkit.report.document import ReportDocument
from cspkit.report.docx import build_docx, write_docx
from cspkit.report.pdf import write_pdf
from cspkit.stats.periods import parse_period


@pytest.fixture(scope="module")
def maidstone(sample_con: duckdb.DuckDBPyConnection) -> ReportDocument:
    return build_document(assess(sample_con, "Maidstone", parse_period("2025")))


def test_docx_has_every_section_table_and_chart_with_alt_text(
    maidstone: ReportDocument, tmp_path: Path
) -> None:
    path = write_docx(maidstone, tmp_path)
    doc = Document(str(path))
    headings = [
        p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"
    ]
    assert headings == [s.title for s in maidstone.sections]
    assert len(doc.tables) == len(maidstone.tables())
    overview = next(t for t in maidstone.tables() if t.id == "overview")
    word_table = doc.tables[[t.id for t in maidstone.tables()].index("overview")]
    assert [c.text for c in word_table.rows[0].cells] == [c.name for c in overview.columns]
    assert word_table.rows[1].cells[0].text == "All crime"
    figures = [b for s in maidstone.sections for b in s.blocks if type(b).__name__ == "Figure"]
    shapes = build_docx(maidstone).inline_shapes
    assert len(shapes) == len(figures) > 0
    for shape, figure in zip(shapes, figures, strict=True):
        assert shape._inline.docPr.get("descr") == figure.alt


def test_pdf_has_every_section_in_order(maidstone: ReportDocument, tmp_path: Path) -> None:
    reader = PdfReader(str(write_pdf(maidstone, tmp_path)))
    assert len(reader.pages) >= len(maidstone.sections)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert text.startswith("Strategic Assessment: Maidstone")
    at = 0
    for section in maidstone.sections:  # each heading is found after the one before it
        at = text.find(section.title, at)
        assert at >= 0, section.title
