"""An assessment as data: JSON and one CSV per table, so every figure can be checked."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from cspkit.assessment.build import Assessment
from cspkit.stats.periods import format_month

OVERVIEW_CSV = "overview.csv"
PEERS_CSV = "peers.csv"
COVERAGE_CSV = "coverage.csv"
SOURCES_CSV = "sources.csv"
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
    "ratio_lower",
    "ratio_upper",
    "rate_per_1000",
    "denominator",
    "denominator_year",
    "denominator_basis",
    "denominator_source",
    "rank",
    "rank_of",
    "previous_rank",
    "direction",
    "note",
)


def _period(p: Any) -> dict[str, str] | None:
    if p is None:
        return None
    return {"label": p.label, "first": format_month(p.first), "last": format_month(p.last)}


def to_dict(a: Assessment) -> dict[str, Any]:
    """The assessment as plain JSON-ready data."""
    o = a.overview
    rows = []
    for r in o.rows:
        row = {k: getattr(r, k) for k in OVERVIEW_FIELDS}
        row["history"] = [{"period": label, "value": v} for label, v in r.history]
        row["change_text"] = r.change_text
        rows.append(row)
    return {
        "area": {"code": o.area.code, "name": o.area.name, "force": o.area.force},
        "period": _period(o.period),
        "compare_period": _period(o.requested_compare),
        "comparison": None
        if o.comparison is None
        else {
            "current": _period(o.comparison.current),
            "previous": _period(o.comparison.previous),
            "like_for_like": o.comparison.like_for_like,
            "note": o.comparison.note,
        },
        "history_periods": [_period(p) for p in o.history_periods],
        "peers": [{"code": p.code, "name": p.name} for p in o.peers],
        "overview": rows,
        "notes": list(o.notes),
        "coverage": [
            {"month": format_month(c.month), "rows": c.rows, "status": c.status} for c in a.coverage
        ],
        "sources": [
            {
                **asdict(s),
                "first_month": s.first_month.isoformat() if s.first_month else None,
                "last_month": s.last_month.isoformat() if s.last_month else None,
            }
            for s in a.sources
        ],
        "generated_at": a.generated_at.isoformat(),
        "cspkit_version": a.version,
    }


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_data(a: Assessment, out: Path) -> list[Path]:
    """Write assessment.json and the CSV tables into ``out``; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    data = to_dict(a)
    json_path = out / JSON_NAME
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    written = [json_path]
    _write_csv(
        out / OVERVIEW_CSV,
        list(OVERVIEW_FIELDS),
        [[r[k] for k in OVERVIEW_FIELDS] for r in data["overview"]],
    )
    _write_csv(out / PEERS_CSV, ["code", "name"], [[p["code"], p["name"]] for p in data["peers"]])
    _write_csv(
        out / COVERAGE_CSV,
        ["month", "rows", "status"],
        [[c["month"], c["rows"], c["status"]] for c in data["coverage"]],
    )
    source_fields = list(data["sources"][0]) if data["sources"] else ["kind"]
    _write_csv(
        out / SOURCES_CSV, source_fields, [[s[k] for k in source_fields] for s in data["sources"]]
    )
    written += [out / n for n in (OVERVIEW_CSV, PEERS_CSV, COVERAGE_CSV, SOURCES_CSV)]
    return written
