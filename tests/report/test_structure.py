"""The Strategic Assessment's structure on the real Maidstone 2025 report: cover, summary,
chapters, appendices, long tables excerpted with every row kept in the CSV and JSON."""

from __future__ import annotations

import csv
import json

from cspkit.assessment.build import EXCERPT_OVER, EXCERPT_ROWS, Assessment, build_document
from cspkit.assessment.export import JSON_NAME
from tests.report.conftest import WrittenReport


def test_cover_summary_chapters_then_appendices(maidstone_report: WrittenReport) -> None:
    doc = maidstone_report.doc
    assert doc.cover is not None and doc.cover.marking == "OFFICIAL"
    assert doc.cover.partnership == "Maidstone Community Safety Partnership"
    labels = [label for label, _ in doc.numbered()]
    titles = [s.title for s in doc.sections]
    assert labels[0] == "1" and titles[0] == "Executive summary"
    assert titles[1] == "Crime and disorder overview"
    appendices = [s.title for s in doc.sections if s.appendix]
    assert appendices[-4:] == [
        "Data sources and methodology",
        "Data-quality warnings",
        "Glossary",
        "Full tables",
    ]
    first = next(i for i, s in enumerate(doc.sections) if s.appendix)
    assert all(s.appendix for s in doc.sections[first:])  # no chapter after an appendix
    summary = doc.sections[0]
    assert summary.key_findings  # key messages
    assert any(
        getattr(b, "text", "") == "What this means for the partnership" for b in summary.blocks
    )


def test_long_tables_are_excerpted_and_kept_whole_in_csv_and_json(
    maidstone_report: WrittenReport,
) -> None:
    doc = maidstone_report.doc
    full = next(s for s in doc.sections if s.id == "full-tables")
    in_appendix = {t.id for t in full.tables()}
    long = [t for t in doc.tables() if len(t.rows) > EXCERPT_OVER]
    assert long and {t.id for t in long} == in_appendix
    data = json.loads((maidstone_report.folder / JSON_NAME).read_text(encoding="utf-8"))
    sections = {s["id"]: s for s in data["sections"]}
    assert "full-tables" not in sections or not sections["full-tables"]["tables"]
    for t in long:
        assert t.excerpt == EXCERPT_ROWS and len(t.shown_rows()) == EXCERPT_ROWS
        with open(maidstone_report.folder / t.csv_name, encoding="utf-8") as handle:
            assert sum(1 for _ in csv.reader(handle)) == len(t.rows) + 1
        held = [s for s in sections.values() if t.id in s["tables"]]
        assert len(held) == 1 and len(held[0]["tables"][t.id]) == len(t.rows)
    for t in doc.tables():
        if len(t.rows) <= EXCERPT_OVER:
            assert not t.excerpt


def test_marking_is_configurable_and_the_public_edition_has_none(
    maidstone_assessment: Assessment,
) -> None:
    marked = build_document(maidstone_assessment, marking="OFFICIAL-SENSITIVE")
    assert marked.cover is not None and marked.cover.marking == "OFFICIAL-SENSITIVE"
    public = build_document(replace_public(maidstone_assessment))
    assert public.cover is not None and public.cover.marking == "" and public.public


def replace_public(a: Assessment) -> Assessment:
    from dataclasses import replace

    return replace(a, public=True)
