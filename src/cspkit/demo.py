"""The demonstration: a warehouse from the bundled real sample, and two assessments."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cspkit.assessment.run import run_assessment
from cspkit.demo_evidence import (
    DEMO_EVIDENCE,
    load_demo_evidence,
    recommendation_lines,
    write_road_safety_example,
)
from cspkit.errors import CspkitError
from cspkit.ingest.police_uk import load_police_uk
from cspkit.reference import sample_police_uk_dir
from cspkit.warehouse.connection import writing

DEMO_DB_NAME = "cspkit.duckdb"

#: (report folder, area, period, comparison) for each demo assessment.
DEMO_ASSESSMENTS: tuple[tuple[str, str, str, str | None], ...] = (
    ("maidstone-2025", "Maidstone", "2025", "2024"),
    ("lincoln-12m-to-2020-01", "Lincoln", "12m:2020-01", None),
)


@dataclass(frozen=True)
class DemoResult:
    """Where the demo wrote its warehouse and reports."""

    db: Path
    reports: dict[str, Path]
    recommendations: dict[str, list[str]] = field(default_factory=dict)
    road_safety: Path | None = None


def _noop(step: str, done: int, total: int) -> None:
    return None


def run_demo(
    out: Path,
    *,
    overwrite: bool = False,
    progress: Callable[[str, int, int], None] = _noop,
) -> DemoResult:
    """Build ``out/cspkit.duckdb`` from the sample and write the reports.

    An existing warehouse there is replaced only with ``overwrite``: it may hold a
    partnership's own loads, which the demo must never destroy.
    """
    db = out / DEMO_DB_NAME
    if (db.exists() or db.is_symlink()) and not overwrite:
        raise CspkitError(
            f"{db} already exists and the demo would replace it; give another --out folder, "
            "or --overwrite to replace it (the warehouse is unchanged)"
        )
    out.mkdir(parents=True, exist_ok=True)
    db = db.resolve() if db.is_symlink() else db
    # A fresh warehouse is built beside the old one and replaces it only once complete.
    fresh = db.with_name(f".{db.name}.{os.getpid()}.demo") if db.exists() else db
    try:
        with writing(fresh) as con:
            load_police_uk(con, [sample_police_uk_dir()], progress=progress)
            load_demo_evidence(con)
        if fresh != db:
            os.replace(fresh, db)
    finally:
        if fresh != db:
            fresh.unlink(missing_ok=True)
            fresh.with_name(fresh.name + ".lock").unlink(missing_ok=True)
    reports: dict[str, Path] = {}
    recommendations: dict[str, list[str]] = {}
    for i, (folder, area, period, compare) in enumerate(DEMO_ASSESSMENTS):
        progress(f"assessing {area}", i, len(DEMO_ASSESSMENTS))
        written = run_assessment(
            db,
            area,
            period,
            compare=compare,
            out=out / folder,
            formats=("pdf", "docx"),
            evidence=DEMO_EVIDENCE.get(area),
        )
        reports[f"{area} {period}"] = written[0]
        recommendations[f"{area} {period}"] = recommendation_lines(out / folder)
    road = write_road_safety_example(db, out)
    return DemoResult(db, reports, recommendations, road)
