"""Rendering a report document as an editable Word file (python-docx).

Headings use Word's heading styles (so the navigation pane and a table of contents work),
tables are real Word tables with a header row, and charts are pictures with their alt text
set and their data table after them.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from cspkit.report.blocks import Bullets, Callout, Figure, Paragraph, Table
from cspkit.report.document import ReportDocument
from cspkit.report.formatting import format_cell

DOCX_NAME = "report.docx"
FIGURE_WIDTH = Cm(16)
TABLE_FONT = Pt(8)


def _table(doc: DocxDocument, t: Table) -> None:
    caption = doc.add_paragraph(t.caption)
    caption.style = doc.styles["Caption"]
    table = doc.add_table(rows=1, cols=len(t.columns))
    table.style = doc.styles["Table Grid"]
    for cell, column in zip(table.rows[0].cells, t.columns, strict=True):
        cell.text = column.name
        for run in cell.paragraphs[0].runs:
            run.bold = True
            run.font.size = TABLE_FONT
    for row in t.rows:
        cells = table.add_row().cells
        for cell, value, column in zip(cells, row, t.columns, strict=True):
            cell.text = format_cell(value, column)
            paragraph = cell.paragraphs[0]
            if column.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in paragraph.runs:
                run.font.size = TABLE_FONT
    for note in t.notes:
        doc.add_paragraph(note).runs[0].font.size = TABLE_FONT


def _figure(doc: DocxDocument, f: Figure) -> None:
    if not f.png:
        raise ValueError(f"figure {f.id!r} was drawn without a PNG; build it outside without_png()")
    doc.add_picture(io.BytesIO(f.png), width=FIGURE_WIDTH)
    picture = doc.inline_shapes[-1]
    doc_pr = picture._inline.docPr
    doc_pr.set("descr", f.alt)
    doc_pr.set("title", f.caption)
    caption = doc.add_paragraph(f.caption)
    caption.style = doc.styles["Caption"]
    if f.table is not None:
        _table(doc, f.table)


def build_docx(report: ReportDocument) -> DocxDocument:
    """The Word document object (for tests and further editing)."""
    doc = Document()
    doc.core_properties.title = report.title
    doc.add_heading(report.title, level=0)
    doc.add_paragraph(report.subtitle)
    for section in report.sections:
        doc.add_heading(section.title, level=1)
        for finding in section.key_findings:
            doc.add_paragraph(finding, style="List Bullet")
        for block in section.blocks:
            if isinstance(block, Paragraph):
                doc.add_paragraph(block.text)
            elif isinstance(block, Bullets):
                for item in block.items:
                    doc.add_paragraph(item, style="List Bullet")
            elif isinstance(block, Callout):
                doc.add_heading(block.title, level=2)
                for text in block.paragraphs:
                    doc.add_paragraph(text)
            elif isinstance(block, Table):
                _table(doc, block)
            elif isinstance(block, Figure):
                _figure(doc, block)
    doc.add_paragraph(report.footer)
    return doc


def write_docx(report: ReportDocument, out: Path) -> Path:
    """Write report.docx into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / DOCX_NAME
    build_docx(report).save(str(path))
    return path
