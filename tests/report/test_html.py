"""The HTML report: accessibility basics and a snapshot of the rendered overview."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from html.parser import HTMLParser

import duckdb

from cspkit.assessment.build import assess, build_document
from cspkit.report.html import render_html
from cspkit.stats.periods import parse_period
from tests.snapshots import assert_matches_snapshot


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _render(con: duckdb.DuckDBPyConnection, area: str, period: str) -> str:
    a = assess(con, area, parse_period(period))
    fixed = replace(a, generated_at=datetime(2026, 1, 1), version="0.0.0")
    return render_html(build_document(fixed))


def test_report_has_the_accessibility_basics(sample_con: duckdb.DuckDBPyConnection) -> None:
    page = _render(sample_con, "Maidstone", "2025")
    outline = _Outline()
    outline.feed(page)
    tags = [t for t, _ in outline.tags]
    assert ("html", {"lang": "en-GB"}) in outline.tags
    assert tags.count("table") == tags.count("caption")
    headers = [attrs for t, attrs in outline.tags if t == "th"]
    assert headers and all(attrs.get("scope") in ("col", "row") for attrs in headers)
    # Direction is said in words, not only by an arrow or colour.
    assert "improved" in page or "worsened" in page or "no change" in page
    for direction in re.findall(r"<td>([▲▼►–][^<]*)</td>", page):
        assert re.search(r"improved|worsened|no change|not available", direction)


def _section(page: str, heading_id: str) -> str:
    match = re.search(rf'<section id="{heading_id}".*?</section>', page, flags=re.DOTALL)
    assert match is not None
    return match.group(0)


def test_overview_section_snapshot(sample_con: duckdb.DuckDBPyConnection) -> None:
    for area, period, name in (
        ("Maidstone", "2025", "maidstone-2025-overview.html"),
        ("Lincoln", "12m:2020-01", "lincoln-12m-2020-01-overview.html"),
    ):
        section = _section(_render(sample_con, area, period), "overview")
        assert_matches_snapshot(section, name)
