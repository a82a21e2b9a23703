"""Rendering a report document as an editable Word file (python-docx).

The file is A4 with the same structure as the PDF: a cover, a table of contents field (Word
fills it in when the document is opened and fields are updated), numbered chapters in
Word's heading styles, then appendices. Tables are real Word tables with a repeated header
row and column widths that fit the text width (wide tables get a landscape section);
charts are pictures no wider than the text, with their alt text set.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section as DocxSection
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from cspkit.report.blocks import Bullets, Callout, Figure, Paragraph, Subheading, Table
from cspkit.report.document import ReportDocument
from cspkit.report.formatting import format_cell
from cspkit.report.layout import landscape_lead_in, table_layout

DOCX_NAME = "report.docx"
PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN = Mm(20)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
LANDSCAPE_TEXT_WIDTH = PAGE_HEIGHT - 2 * MARGIN
#: A picture is at most this tall, so a chart and its caption share a page.
MAX_FIGURE_HEIGHT = Mm(200)
BODY_FONT = Pt(10)
TABLE_FONT = Pt(8)
NOTE_COLOUR = RGBColor(0x4B, 0x52, 0x57)
#: Characters of the 8-point table font (Arial, or a wider substitute) that fit the text
#: width: Word tables use a normal-width font where the PDF uses a condensed one.
DOCX_PORTRAIT_CHARS = 92
DOCX_LANDSCAPE_CHARS = 140
#: Left and right cell margin (twentieths of a point; 57 is 1 mm).
CELL_MARGIN_TWIPS = 57
#: Tables of more columns than this take the whole text width.
NARROW_TABLE_COLUMNS = 3
FONT = "Arial"
TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'


def _field(paragraph: DocxParagraph, instruction: str, placeholder: str = "") -> None:
    """Append a Word field (PAGE, NUMPAGES, TOC ...) to a paragraph."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = placeholder or "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, shown, end):
        run._r.append(element)


def _page_setup(section: DocxSection, *, landscape: bool = False) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = PAGE_HEIGHT if landscape else PAGE_WIDTH
    section.page_height = PAGE_WIDTH if landscape else PAGE_HEIGHT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)


def _header_footer(doc: DocxDocument, report: ReportDocument) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    marking = report.cover.marking if report.cover else ""
    if marking:
        header = section.header.paragraphs[0]
        header.text = marking
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        header.runs[0].bold = True
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{report.title}\t\tPage ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(8)


def _set_repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    for tag in ("w:tblHeader", "w:cantSplit"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        tr_pr.append(element)


def _cell_margins(table: DocxTable) -> None:
    """Narrow left and right cell margins, and a fixed layout (Word keeps the widths)."""
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)


def _cant_split(row: object) -> None:
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)  # type: ignore[attr-defined]


def _small(paragraph: DocxParagraph, *, muted: bool = False) -> DocxParagraph:
    for run in paragraph.runs:
        run.font.size = TABLE_FONT
        if muted:
            run.font.color.rgb = NOTE_COLOUR
    return paragraph


class _Writer:
    """Adds blocks to a Word document, switching to landscape sections for wide tables."""

    def __init__(self, doc: DocxDocument, report: ReportDocument) -> None:
        self.doc = doc
        self.report = report
        self.landscape = False

    def orientation(self, landscape: bool) -> bool:
        """Switch page orientation (a new section, on a new page); True if it switched."""
        if landscape == self.landscape:
            return False
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False
        _page_setup(section, landscape=landscape)
        self.landscape = landscape
        return True

    def note(self, text: str) -> None:
        _small(self.doc.add_paragraph(text), muted=True)

    def table(self, t: Table, *, full: bool) -> None:
        lay = table_layout(t, DOCX_PORTRAIT_CHARS, DOCX_LANDSCAPE_CHARS)
        self.orientation(lay.landscape)
        fill = 1.0 if len(t.columns) > NARROW_TABLE_COLUMNS else lay.fill
        width = (LANDSCAPE_TEXT_WIDTH if lay.landscape else TEXT_WIDTH) * fill
        caption = self.doc.add_paragraph(f"{t.caption} ({t.csv_name})", style="Caption")
        caption.paragraph_format.keep_with_next = True
        rows = t.rows if full else t.shown_rows()
        table = self.doc.add_table(rows=1 + len(rows), cols=len(t.columns))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        _cell_margins(table)
        widths = [int(width * share) for share in lay.shares]
        for column, w in zip(table.columns, widths, strict=True):
            column.width = w
        for r, values in enumerate([tuple(c.name for c in t.columns), *rows]):
            row = table.rows[r]
            if r == 0:
                _set_repeat_header(row)
            else:
                _cant_split(row)
            for cell, value, column, w in zip(row.cells, values, t.columns, widths, strict=True):
                cell.width = w
                cell.text = str(value) if r == 0 else format_cell(value, column)
                paragraph = cell.paragraphs[0]
                if column.numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                for run in paragraph.runs:
                    run.font.size = TABLE_FONT
                    run.bold = r == 0
        if t.excerpt and not full:
            home = self.report.appendix_holding(t.id)
            where = f"{self.report.label_of(home.id)} ({home.title}) and " if home else ""
            self.note(
                f"The first {len(rows)} of {len(t.rows)} rows. All are in {where}{t.csv_name}."
            )
        for n in t.notes:
            self.note(n)
        self.orientation(False)

    def figure(self, f: Figure) -> None:
        if not f.png:
            raise ValueError(
                f"figure {f.id!r} was drawn without a PNG; build it outside without_png()"
            )
        self.orientation(False)
        caption = self.doc.add_paragraph(f.caption, style="Caption")
        caption.paragraph_format.keep_with_next = True
        picture = self.doc.add_picture(io.BytesIO(f.png), width=TEXT_WIDTH)
        if picture.height > MAX_FIGURE_HEIGHT:
            picture.width = int(picture.width * MAX_FIGURE_HEIGHT / picture.height)
            picture.height = MAX_FIGURE_HEIGHT
        doc_pr = picture._inline.docPr
        doc_pr.set("descr", f.alt)
        doc_pr.set("title", f.caption)
        if f.table is not None:
            home = self.report.appendix_holding(f.table.id)
            where = f", and {self.report.label_of(home.id)}" if home else ""
            self.note(f"The figures behind this chart: {f.table.csv_name}{where}.")


def _cover(doc: DocxDocument, report: ReportDocument) -> None:
    cover = report.cover
    if cover and cover.marking:
        marking = doc.add_paragraph()
        marking.add_run(cover.marking).bold = True
    doc.add_heading(report.title, level=0)
    doc.add_paragraph(report.subtitle)
    if cover:
        for label, value in (
            ("Partnership", cover.partnership),
            ("Area", cover.area),
            ("Period", cover.period),
            ("Produced", cover.produced),
            ("Edition", cover.edition),
        ):
            if value:
                line = doc.add_paragraph()
                line.add_run(f"{label}: ").bold = True
                line.add_run(value)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("Contents", style="TOC Heading" if "TOC Heading" in doc.styles else None)
    _field(doc.add_paragraph(), TOC_INSTRUCTION, "Update the field (F9) to list the contents.")


def build_docx(report: ReportDocument) -> DocxDocument:
    """The Word document object (for tests and further editing)."""
    doc = Document()
    _page_setup(doc.sections[0])
    doc.styles["Normal"].font.size = BODY_FONT
    doc.styles["Normal"].font.name = FONT
    props = doc.core_properties
    props.title = report.title
    props.subject = report.subtitle
    props.author = report.cover.author if report.cover else "cspkit"
    props.last_modified_by = props.author
    props.created = datetime.now().replace(microsecond=0)
    props.modified = props.created
    props.comments = report.footer
    props.keywords = "Strategic Assessment; community safety"
    _header_footer(doc, report)
    _cover(doc, report)
    writer = _Writer(doc, report)
    for label, section in report.numbered():
        lead = landscape_lead_in(section.blocks, DOCX_PORTRAIT_CHARS, DOCX_LANDSCAPE_CHARS)
        new_page = writer.orientation(lead is not None)
        heading = doc.add_heading(f"{label}{':' if section.appendix else ''} {section.title}", 1)
        heading.paragraph_format.page_break_before = not new_page
        if section.key_findings:
            doc.add_heading(section.findings_title, level=2)
            for finding in section.key_findings:
                doc.add_paragraph(finding, style="List Bullet")
        for block in section.blocks:
            if isinstance(block, Paragraph):
                doc.add_paragraph(block.text)
            elif isinstance(block, Subheading):
                doc.add_heading(block.text, level=2)
            elif isinstance(block, Bullets):
                for item in block.items:
                    doc.add_paragraph(item, style="List Bullet")
            elif isinstance(block, Callout):
                doc.add_heading(block.title, level=2)
                for text in block.paragraphs:
                    doc.add_paragraph(text)
            elif isinstance(block, Table):
                writer.table(block, full=section.appendix)
            elif isinstance(block, Figure):
                writer.figure(block)
    writer.orientation(False)
    doc.add_paragraph(report.footer)
    return doc


def write_docx(report: ReportDocument, out: Path) -> Path:
    """Write report.docx into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / DOCX_NAME
    build_docx(report).save(str(path))
    return path
