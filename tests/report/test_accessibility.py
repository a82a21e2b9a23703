"""The assessment report passes axe-core's WCAG A/AA checks in a real browser."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from cspkit.assessment.build import assess, build_document
from cspkit.assessment.public import suppress_document
from cspkit.report.html import write_html
from cspkit.stats.periods import parse_period
from tests.axe_check import axe_violations, describe
from tests.browser import chromium


@pytest.mark.parametrize(
    ("area", "period", "public"),
    [("Maidstone", "2025", False), ("Lincoln", "12m:2020-01", False), ("Maidstone", "2025", True)],
)
def test_report_has_no_serious_or_critical_violations(
    sample_con: duckdb.DuckDBPyConnection, tmp_path: Path, area: str, period: str, public: bool
) -> None:
    doc = build_document(assess(sample_con, area, parse_period(period), public=public))
    if public:
        doc = suppress_document(doc)
    page_path = write_html(doc, tmp_path)
    with chromium() as browser:
        page = browser.new_page()
        page.goto(page_path.as_uri())
        violations = axe_violations(page)
        page.close()
    assert not violations, describe(violations)
