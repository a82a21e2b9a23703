"""The document model: chapters numbered, appendices lettered, tables listed once."""

from __future__ import annotations

from dataclasses import replace

from cspkit.report.blocks import Column, Paragraph, Section, Table
from cspkit.report.document import Cover, ReportDocument

TABLE = Table("t", "T", (Column("A"),), tuple((str(i),) for i in range(30)))


def _doc() -> ReportDocument:
    body = Section("one", "One", (replace(TABLE, excerpt=10),))
    return ReportDocument(
        "Title",
        "Sub",
        (
            Section("summary", "Summary", (Paragraph("x"),)),
            body,
            Section("method", "Method", (), appendix=True),
            Section("full", "Full tables", (replace(TABLE, excerpt=10),), appendix=True),
        ),
        "Footer",
    )


def test_chapters_are_numbered_and_appendices_lettered() -> None:
    doc = _doc()
    assert [label for label, _ in doc.numbered()] == ["1", "2", "Appendix A", "Appendix B"]
    assert doc.label_of("full") == "Appendix B" and doc.label_of("nothing") == ""


def test_a_table_in_a_chapter_and_its_appendix_is_listed_once() -> None:
    doc = _doc()
    assert [t.id for t in doc.tables()] == ["t"]
    home = doc.appendix_holding("t")
    assert home is not None and home.id == "full"
    assert len(TABLE.rows) == 30 and len(replace(TABLE, excerpt=10).shown_rows()) == 10
    assert TABLE.shown_rows() == TABLE.rows


def test_the_author_is_the_partnership_or_cspkit() -> None:
    assert Cover(partnership="Safer Maidstone Partnership").author == "Safer Maidstone Partnership"
    assert Cover().author == "cspkit"
