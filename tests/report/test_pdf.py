"""The PDF edition of the real Maidstone 2025 report fits A4 and reads as a board paper."""

from __future__ import annotations

import io
import re
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from cspkit.report.blocks import Column, Paragraph, Section, Table
from cspkit.report.document import Cover, ReportDocument
from cspkit.report.layout import landscape_lead_in
from cspkit.report.pdf import pdf_bytes
from tests.report.conftest import WrittenReport

A4_POINTS = (595.28, 841.89)
TOLERANCE = 1.0
MAX_PAGES = 45
MAX_BODY_PAGES = 30


@pytest.fixture(scope="module")
def reader(maidstone_report: WrittenReport) -> PdfReader:
    return PdfReader(str(maidstone_report.pdf))


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page number) of every bookmark."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            elif isinstance(item, Destination):
                page = reader.get_destination_page_number(item)
                assert page is not None
                found.append((depth, str(item.title), page + 1))

    walk(list(reader.outline), 0)
    return found


def test_every_page_is_a4_portrait_or_landscape(reader: PdfReader) -> None:
    for number, page in enumerate(reader.pages, start=1):
        size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert size == pytest.approx(sorted(A4_POINTS), abs=TOLERANCE), number
    assert any(p.mediabox.width > p.mediabox.height for p in reader.pages)  # wide tables


def test_page_counts_within_the_limits(reader: PdfReader) -> None:
    marks = _outline(reader)
    first_appendix = min(page for _, title, page in marks if title.startswith("Appendix"))
    assert len(reader.pages) <= MAX_PAGES
    assert first_appendix - 1 <= MAX_BODY_PAGES


def test_no_character_is_drawn_outside_its_page(maidstone_report: WrittenReport) -> None:
    with pdfplumber.open(str(maidstone_report.pdf)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            outside = [
                c["text"]
                for c in page.chars
                if c["x0"] < -TOLERANCE
                or c["x1"] > page.width + TOLERANCE
                or c["top"] < -TOLERANCE
                or c["bottom"] > page.height + TOLERANCE
            ]
            assert not outside, f"page {number}: {''.join(outside)[:80]!r}"


def test_bookmarks_for_every_section_in_order(
    reader: PdfReader, maidstone_report: WrittenReport
) -> None:
    titles = [title for _, title, _ in _outline(reader)]
    wanted = [
        f"{label}{':' if s.appendix else ''} {s.title}"
        for label, s in maidstone_report.doc.numbered()
    ]
    at = [titles.index(w) for w in wanted]
    assert at == sorted(at)
    assert "Contents" in titles and "Key messages" in titles
    pages = [page for _, title, page in _outline(reader) if title in wanted]
    assert pages == sorted(pages) and pages[0] == 3  # after the cover and the contents


def test_a_section_opening_with_a_wide_table_starts_on_its_landscape_page(
    reader: PdfReader, maidstone_report: WrittenReport
) -> None:
    # Not a heading and a note alone on a portrait page, then the table on the next page.
    pages = {title: page for _, title, page in _outline(reader)}
    opening = [
        f"{label}{':' if s.appendix else ''} {s.title}"
        for label, s in maidstone_report.doc.numbered()
        if landscape_lead_in(s.blocks) is not None
    ]
    assert "2 Crime and disorder overview" in opening
    for title in opening:
        page = reader.pages[pages[title] - 1]
        assert page.mediabox.width > page.mediabox.height, title
        text = " ".join((page.extract_text() or "").split())
        assert title.split(" ", 1)[1] in text


def test_footer_numbers_every_page_after_the_cover(reader: PdfReader) -> None:
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join((page.extract_text() or "").split())
        footer = f"Page {number} of {total}"
        if number == 1:
            assert footer not in text and "OFFICIAL" in text
        else:
            assert footer in text, number
            assert "Strategic Assessment: Maidstone" in text


def test_contents_lists_every_section_with_its_page(
    reader: PdfReader, maidstone_report: WrittenReport
) -> None:
    contents = " ".join((reader.pages[1].extract_text() or "").split())
    starts = {title: page for _, title, page in _outline(reader)}
    for label, s in maidstone_report.doc.numbered():
        title = f"{label}{':' if s.appendix else ''} {s.title}"
        assert re.search(rf"{re.escape(title)}[ .]*{starts[title]}\b", contents), title


def test_long_tables_print_their_header_on_every_page(
    reader: PdfReader, maidstone_report: WrittenReport
) -> None:
    """The full tables of the appendix run over several pages; each page repeats the header
    row, so every page listing LSOAs names its columns."""
    first_appendix = min(p for _, t, p in _outline(reader) if t.startswith("Appendix"))
    pages = [
        " ".join((reader.pages[i].extract_text() or "").split())
        for i in range(first_appendix - 1, len(reader.pages))
    ]
    listing = [t for t in pages if len(re.findall(r"E01\d{6}", t)) > 5]
    assert len(listing) >= 3
    for text in listing:
        assert re.search(r"LSOA Name Ward", text), text[:200]


def test_figures_name_their_csv_instead_of_linking(reader: PdfReader) -> None:
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert "The figures behind this chart: trends-all-crime-xmr.csv" in text
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            uri = str(action.get("/URI", ""))
            assert not uri.endswith(".csv"), uri  # no links to files the PDF does not carry


def test_public_edition_is_tagged_pdf_ua_with_language_and_title() -> None:
    table = Table("t", "A table", (Column("Area"), Column("Count", numeric=True)), (("A", 7),))
    doc = ReportDocument(
        "Strategic Assessment: Test",
        "Test",
        (Section("s", "Section", (Paragraph("Text."), table)),),
        "Footer",
        cover=Cover(partnership="Test Partnership"),
        public=True,
    )
    reader = PdfReader(io.BytesIO(pdf_bytes(doc)))
    root: Any = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata is not None and reader.metadata.title == doc.title
    assert reader.metadata.author == "Test Partnership"
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfuaid:part="1"' in xmp  # declared PDF/UA-1
