"""Every ASB Case Review setting and command is documented where users look for it."""

from __future__ import annotations

from pathlib import Path

from cspkit.web.casework.config import CASE_REVIEW_SETTINGS

ROOT = Path(__file__).resolve().parents[3]


def test_case_review_settings_are_in_docs() -> None:
    docs = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    assert [name for name in CASE_REVIEW_SETTINGS if f"`{name}`" not in docs] == []


def test_case_review_routes_are_in_docs() -> None:
    docs = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    for route in (
        "/asb-case-review/apply/",
        "/asb-case-review/status/",
        "/asb-case-review/figures/",
        "/manage/cases/",
    ):
        assert route in docs
