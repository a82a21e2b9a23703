"""Run axe-core in a Playwright page and return the accessibility violations.

axe-core comes from the npm package ``axe-core``: install it with
``npm install --no-save axe-core`` at the repository root (giving
``node_modules/axe-core/axe.min.js``), or point ``AXE_CORE_JS`` at an ``axe.min.js``.
A missing script is a failure with that instruction, never a skip.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
AXE_ENV = "AXE_CORE_JS"
AXE_DEFAULT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
BLOCKING_IMPACTS = ("serious", "critical")


def axe_script() -> str:
    """The axe-core source, or a test failure naming how to install it."""
    path = Path(os.environ.get(AXE_ENV) or AXE_DEFAULT)
    if not path.exists():
        pytest.fail(
            f"axe-core not found at {path}: run 'npm install --no-save axe-core' at the "
            f"repository root, or set {AXE_ENV} to the path of axe.min.js"
        )
    return path.read_text(encoding="utf-8")


def axe_violations(page: Any, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[dict[str, Any]]:
    """Violations of WCAG A/AA rules on the page's current document with the given impacts.

    The script is evaluated through the browser's debugging protocol, so a strict
    Content-Security-Policy on the page does not block it.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_script())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        list(WCAG_TAGS),
    )
    return [v for v in result["violations"] if v.get("impact") in impacts]


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation: rule, impact, help and the first offending element."""
    lines = []
    for v in violations:
        target = v["nodes"][0]["target"] if v.get("nodes") else ""
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} at {target}")
    return "\n".join(lines)
