"""The Word edition of the real Maidstone 2025 report: A4, properties, headings, tables
that fit the text width, pictures with alt text, a contents field and page numbers."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from cspkit.report.blocks import Figure
from cspkit.report.docx import DOCX_LANDSCAPE_CHARS, DOCX_PORTRAIT_CHARS, TEXT_WIDTH
from cspkit.report.formatting import format_cell
from cspkit.report.layout import landscape_lead_in
from tests.report.conftest import WrittenReport

A4 = (Mm(210), Mm(297))
TOLERANCE = Mm(1)
#: Width of one character of the 8-point table font, generously (Arial's widest digits).
CHAR_WIDTH = Pt(8) * 0.62


@pytest.fixture(scope="module")
def word(maidstone_report: WrittenReport) -> DocxDocument:
    return Document(str(maidstone_report.docx))


def test_every_section_is_a4_with_margins(word: DocxDocument) -> None:
    landscape = 0
    for section in word.sections:
        width, height = int(section.page_width or 0), int(section.page_height or 0)
        assert sorted((width, height)) == [
            pytest.approx(A4[0], abs=TOLERANCE),
            pytest.approx(A4[1], abs=TOLERANCE),
        ]
        assert int(section.left_margin or 0) >= Mm(15)
        assert int(section.right_margin or 0) >= Mm(15)
        landscape += width > height
    assert landscape  # wide tables


def test_a_section_opening_with_a_wide_table_starts_in_its_landscape_section(
    word: DocxDocument, maidstone_report: WrittenReport
) -> None:
    opening = {
        f"{label}{':' if s.appendix else ''} {s.title}"
        for label, s in maidstone_report.doc.numbered()
        if landscape_lead_in(s.blocks, DOCX_PORTRAIT_CHARS, DOCX_LANDSCAPE_CHARS) is not None
    }
    assert "2 Crime and disorder overview" in opening
    section = 0  # a paragraph holding a section break ends that section
    found: dict[str, int] = {}
    for paragraph in word.paragraphs:
        if paragraph.text in opening and paragraph.style is not None:
            found[paragraph.text] = section
        if paragraph._p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            section += 1
    assert set(found) == opening
    for title, index in found.items():
        page = word.sections[index]
        assert int(page.page_width or 0) > int(page.page_height or 0), title


def test_core_properties(word: DocxDocument) -> None:
    props = word.core_properties
    assert props.title == "Strategic Assessment: Maidstone"
    assert props.author == "Maidstone Community Safety Partnership"
    assert props.author != "python-docx"
    assert props.created is not None
    created = props.created.replace(tzinfo=None)
    assert abs(datetime.now() - created) < timedelta(days=1)


def test_headings_use_word_styles_in_document_order(
    word: DocxDocument, maidstone_report: WrittenReport
) -> None:
    headings = [
        p.text for p in word.paragraphs if p.style is not None and p.style.name == "Heading 1"
    ]
    assert headings == [
        f"{label}{':' if s.appendix else ''} {s.title}"
        for label, s in maidstone_report.doc.numbered()
    ]
    assert any(p.style is not None and p.style.name == "Heading 2" for p in word.paragraphs)


def test_contents_field_and_page_numbers(word: DocxDocument) -> None:
    body = word.element.body.xml
    assert 'TOC \\o "1-2"' in body
    footer = word.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert "OFFICIAL" in word.sections[0].header._element.xml


def _width(cell: object) -> int:
    tc_w = cell._tc.tcPr.find(qn("w:tcW"))  # type: ignore[attr-defined]
    return int(tc_w.get(qn("w:w"))) * 635  # twentieths of a point -> EMU


def test_table_columns_fit_the_text_width_without_breaking_words(
    word: DocxDocument, maidstone_report: WrittenReport
) -> None:
    landscape_width = A4[1] - (A4[0] - TEXT_WIDTH)
    assert word.tables
    for table in word.tables:
        widths = [_width(c) for c in table.rows[0].cells]
        assert sum(widths) <= landscape_width + TOLERANCE
        for row in table.rows[:40]:
            for cell, width in zip(row.cells, widths, strict=True):
                words = cell.text.replace("-", "- ").replace("/", "/ ").split()
                longest = max((len(w) for w in words), default=0)
                # a cell is at least as wide as its longest word plus its 1 mm margins
                assert longest * CHAR_WIDTH + Mm(2) <= width * 1.25, (cell.text, width)


def _section_of(element: object, body: object) -> object:
    """The sectPr governing a body element: the next paragraph that ends a section, or the
    body's own (last) section."""
    here = element.getnext()  # type: ignore[attr-defined]
    while here is not None:
        found = here.find(f"./{qn('w:pPr')}/{qn('w:sectPr')}")
        if found is not None:
            return found
        here = here.getnext()
    return body.find(qn("w:sectPr"))  # type: ignore[attr-defined]


def test_each_table_fits_the_text_width_of_its_own_page(word: DocxDocument) -> None:
    body = word.element.body
    for table in word.tables:
        widths = sum(_width(c) for c in table.rows[0].cells)
        page = _section_of(table._tbl, body).find(qn("w:pgSz"))  # type: ignore[attr-defined]
        page_width = int(page.get(qn("w:w"))) * 635
        assert widths <= page_width - 2 * Mm(20) + TOLERANCE


def test_pictures_no_wider_than_the_text_and_with_alt_text(
    word: DocxDocument, maidstone_report: WrittenReport
) -> None:
    figures = [b for s in maidstone_report.doc.sections for b in s.blocks if isinstance(b, Figure)]
    shapes = word.inline_shapes
    assert len(shapes) == len(figures) > 0
    for shape, figure in zip(shapes, figures, strict=True):
        assert shape.width <= TEXT_WIDTH
        assert shape._inline.docPr.get("descr") == figure.alt


def test_table_cells_carry_the_formatted_figures(
    word: DocxDocument, maidstone_report: WrittenReport
) -> None:
    overview = next(t for t in maidstone_report.doc.tables() if t.id == "overview")
    table = next(t for t in word.tables if t.rows[0].cells[0].text == overview.columns[0].name)
    assert [c.text for c in table.rows[0].cells] == [c.name for c in overview.columns]
    first = [format_cell(v, c) for v, c in zip(overview.rows[0], overview.columns, strict=True)]
    assert [c.text for c in table.rows[1].cells] == first
