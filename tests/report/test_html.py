"""The HTML report: accessibility basics and a snapshot of the rendered overview."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from html.parser import HTMLParser

import duckdb
import pytest

from cspkit.assessment.build import assess, build_document
from cspkit.report.html import render_html
from cspkit.stats.periods import parse_period
from tests.browser import chromium
from tests.report.conftest import WrittenReport
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


def test_contents_links_to_every_section(maidstone_report: WrittenReport) -> None:
    page = maidstone_report.html.read_text(encoding="utf-8")
    nav = re.search(r'<nav class="contents".*?</nav>', page, flags=re.DOTALL)
    assert nav is not None
    links = re.findall(r'href="#([^"]+)"', nav.group(0))
    assert links == [s.id for s in maidstone_report.doc.sections]
    for anchor in links:
        assert f'<section id="{anchor}"' in page


def test_every_link_to_a_file_names_one_beside_the_report(
    maidstone_report: WrittenReport,
) -> None:
    page = maidstone_report.html.read_text(encoding="utf-8")
    files = set(re.findall(r'href="([^"#:]+)"', page))
    assert {f"{t.id}.csv" for t in maidstone_report.doc.tables()} <= files
    for name in files:
        assert (maidstone_report.folder / name).is_file(), name
    for anchor in re.findall(r'href="#([^"]+)"', page):
        assert f'id="{anchor}"' in page, anchor


def test_long_tables_show_an_excerpt_and_point_to_the_appendix(
    maidstone_report: WrittenReport,
) -> None:
    page = maidstone_report.html.read_text(encoding="utf-8")
    long = [t for t in maidstone_report.doc.tables() if t.excerpt]
    assert long
    for t in long:
        assert f'id="table-{t.id}-full"' in page  # in full in the appendix
    assert "The first 10 of 99 rows" in page or "figures behind this map" in page


@pytest.mark.parametrize("width", [1280, 375])
def test_wide_tables_scroll_inside_their_box_not_the_page(
    maidstone_report: WrittenReport, width: int
) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(maidstone_report.html.as_uri())
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        wraps = page.evaluate(
            "[...document.querySelectorAll('.table-wrap')].map(w => "
            "[w.scrollWidth > w.clientWidth, getComputedStyle(w).overflowX, w.tabIndex])"
        )
        page.close()
    assert overflow <= 0
    assert wraps and all(style == "auto" and tab == 0 for _, style, tab in wraps)
    if width < 600:
        assert any(scrolls for scrolls, _, _ in wraps)  # a phone scrolls wide tables sideways
