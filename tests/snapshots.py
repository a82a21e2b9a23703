"""Snapshot tests of rendered report sections: one way to render, compare and update.

Run the tests with CSPKIT_UPDATE_SNAPSHOTS=1 to rewrite the snapshot files after an intended
change, then review the diff.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from cspkit.report.blocks import Section
from cspkit.report.document import ReportDocument
from cspkit.report.html import render_html

SNAPSHOTS = Path(__file__).parent / "report" / "snapshots"
UPDATE = os.environ.get("CSPKIT_UPDATE_SNAPSHOTS") == "1"
DIGEST_CHARS = 16


def section_from_page(page: str, section_id: str) -> str:
    """The ``<section id=...>`` element of a rendered page."""
    match = re.search(rf'<section id="{section_id}".*?</section>', page, flags=re.DOTALL)
    assert match is not None, f"no section {section_id!r} in the page"
    return match.group(0)


def section_html(section: Section, *, digest_svg: bool = False) -> str:
    """A section rendered alone; with ``digest_svg`` each (large) SVG becomes its digest."""
    page = render_html(ReportDocument("Snapshot", "", (section,), ""))
    html = section_from_page(page, section.id)
    if digest_svg:
        html = re.sub(
            r"<svg.*?</svg>",
            lambda m: (
                f"<svg sha256={hashlib.sha256(m.group(0).encode()).hexdigest()[:DIGEST_CHARS]}/>"
            ),
            html,
            flags=re.DOTALL,
        )
    return html


def assert_matches_snapshot(text: str, name: str) -> None:
    """Compare with (or, when updating, write) tests/report/snapshots/<name>."""
    path = SNAPSHOTS / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {name}; create it with CSPKIT_UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} changed; if intended, rerun with CSPKIT_UPDATE_SNAPSHOTS=1"
    )


def assert_section_snapshot(section: Section, name: str, *, digest_svg: bool = False) -> None:
    """Render a section alone and compare it with its snapshot."""
    assert_matches_snapshot(section_html(section, digest_svg=digest_svg), name)
