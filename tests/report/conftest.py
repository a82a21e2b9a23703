"""The real Maidstone 2025 report, computed and written once for the report tests."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from cspkit.assessment.build import Assessment, assess, build_document
from cspkit.assessment.export import write_data
from cspkit.report.document import ReportDocument
from cspkit.report.docx import write_docx
from cspkit.report.html import write_html
from cspkit.report.pdf import write_pdf
from cspkit.stats.periods import parse_period


@dataclass(frozen=True)
class WrittenReport:
    """A report document and the files written from it into one folder."""

    assessment: Assessment
    doc: ReportDocument
    folder: Path
    html: Path
    pdf: Path
    docx: Path


@pytest.fixture(scope="session")
def maidstone_assessment(sample_con: duckdb.DuckDBPyConnection) -> Assessment:
    a = assess(sample_con, "Maidstone", parse_period("2025"))
    return replace(a, generated_at=datetime(2026, 1, 1), version="0.0.0")


@pytest.fixture(scope="session")
def maidstone_report(
    maidstone_assessment: Assessment, tmp_path_factory: pytest.TempPathFactory
) -> WrittenReport:
    """Maidstone 2025 as HTML, PDF, Word, JSON and CSV in one folder (written once)."""
    folder = tmp_path_factory.mktemp("maidstone-2025")
    doc = build_document(maidstone_assessment)
    html = write_html(doc, folder)
    write_data(maidstone_assessment, doc, folder)
    return WrittenReport(
        maidstone_assessment, doc, folder, html, write_pdf(doc, folder), write_docx(doc, folder)
    )
