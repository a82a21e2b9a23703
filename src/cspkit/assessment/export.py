"""An assessment as data: JSON and one CSV per table, so every figure can be checked."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from cspkit.assessment.build import Assessment
from cspkit.assessment.public import HIDDEN
from cspkit.report.blocks import Table
from cspkit.report.document import ReportDocument
from cspkit.stats.periods import Period, format_month

JSON_NAME = "assessment.json"

OVERVIEW_FIELDS = (
    "indicator",
    "indicator_id",
    "current",
    "previous",
    "current_compared",
    "change",
    "pct_change",
    "p_value",
    "significant",
    "small_counts",
    "rate_adjusted",
    "rate_ratio",
    "ratio_lower",
    "ratio_upper",
    "rate_per_1000",
    "denominator",
    "denominator_year",
    "denominator_basis",
    "denominator_source",
    "rank",
    "rank_of",
    "rank_compared",
    "previous_rank",
    "direction",
    "note",
)


def _period(p: Period | None) -> dict[str, str] | None:
    if p is None:
        return None
    return {"label": p.label, "first": format_month(p.first), "last": format_month(p.last)}


def table_records(t: Table) -> list[dict[str, Any]]:
    """A table's rows as dicts keyed by column name."""
    names = [c.name for c in t.columns]
    return [dict(zip(names, row, strict=True)) for row in t.rows]


_LABEL_FIELDS = frozenset({"indicator", "indicator_id", "denominator_basis", "note"})


def _hidden_overview_rows(doc: ReportDocument) -> set[int]:
    """Rows of the (suppressed) overview table holding a hidden cell."""
    table = next((t for t in doc.tables() if t.id == "overview"), None)
    if table is None:
        return set()
    return {i for i, row in enumerate(table.rows) if HIDDEN in row}


def to_dict(a: Assessment, doc: ReportDocument) -> dict[str, Any]:
    """The assessment as plain JSON-ready data."""
    o = a.overview
    hidden = _hidden_overview_rows(doc) if a.public else set()
    rows = []
    for i, r in enumerate(o.rows):
        row: dict[str, Any] = {k: getattr(r, k) for k in OVERVIEW_FIELDS}
        row["history"] = [{"period": label, "value": v} for label, v in r.history]
        row["change_text"] = r.change_text
        if i in hidden:  # the public edition hid a count of this row: publish no figure of it
            row = {k: (v if k in _LABEL_FIELDS else None) for k, v in row.items()}
            row["suppressed"] = True
        rows.append(row)
    c = o.comparison
    return {
        "area": {"code": o.area.code, "name": o.area.name, "force": o.area.force},
        "period": _period(o.period),
        "compare_period": _period(o.requested_compare),
        "comparison": None
        if c is None
        else {
            "current": _period(c.current),
            "previous": _period(c.previous),
            "like_for_like": c.like_for_like,
            "note": c.note,
        },
        "history_periods": [_period(p) for p in o.history_periods],
        "peers": [{"code": p.code, "name": p.name} for p in o.peers],
        "overview": rows,
        "notes": list(o.notes),
        "data_quality": [
            {"dataset": q.dataset, "check": q.check, "passed": q.passed, "finding": q.finding}
            for q in a.quality.checks
        ],
        "public": a.public,
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "key_findings": list(s.key_findings),
                "tables": {t.id: table_records(t) for t in s.tables()},
            }
            for s in doc.sections
        ],
        "coverage": [
            {"month": format_month(m.month), "rows": m.rows, "status": m.status} for m in a.coverage
        ],
        **(a.evidence.data if a.evidence else {}),
        "generated_at": a.generated_at.isoformat(),
        "cspkit_version": a.version,
    }


def write_csv(t: Table, out: Path) -> Path:
    path = out / f"{t.id}.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.name for c in t.columns])
        writer.writerows(t.rows)
    return path


def write_data(a: Assessment, doc: ReportDocument, out: Path) -> list[Path]:
    """Write assessment.json and one CSV per table of the document into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / JSON_NAME
    json_path.write_text(
        json.dumps(to_dict(a, doc), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return [json_path, *(write_csv(t, out) for t in doc.tables())]
