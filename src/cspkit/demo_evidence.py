"""The demonstration's partners' evidence: illustrative partner figures and an illustrative
resident survey for Maidstone (labelled so in the files and the report), the example plan and
decisions, and real Greater Manchester road casualty records as the road-safety example."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import duckdb

from cspkit.assessment.evidence import EvidenceOptions
from cspkit.ingest.partner import load_indicators
from cspkit.ingest.road_casualties import ROAD_INDICATORS, load_road_casualties
from cspkit.ingest.survey import load_survey, load_survey_results
from cspkit.reference import PACKAGE_DIR

EXAMPLES = PACKAGE_DIR / "examples"
#: The example Partnership Plan the web application also loads.
EXAMPLE_PLAN = PACKAGE_DIR.parent / "web" / "plans" / "maidstone-2022-2025.yaml"
ROAD_FILE = EXAMPLES / "gm_road_casualties_2019-2024.csv.gz"
ROAD_SAFETY_CSV = "road-safety-greater-manchester.csv"

DEMO_EVIDENCE: dict[str, EvidenceOptions] = {
    "Maidstone": EvidenceOptions(
        plan=EXAMPLE_PLAN, decisions=EXAMPLES / "maidstone_priority_decisions.yaml"
    ),
}


def load_demo_evidence(con: duckdb.DuckDBPyConnection) -> None:
    """Load the illustrative Maidstone files and the real GM road casualties."""
    load_indicators(
        con,
        EXAMPLES / "maidstone_partner_indicators.csv",
        registry_path=EXAMPLES / "maidstone_partner_registry.csv",
    )
    load_survey(
        con,
        EXAMPLES / "maidstone_survey_2025.csv",
        questions=EXAMPLES / "maidstone_survey_questions.yaml",
        wave="2025",
    )
    load_survey_results(con, EXAMPLES / "maidstone_survey_2019_results.csv", area="Maidstone")
    load_road_casualties(con, ROAD_FILE)


def recommendation_lines(folder: Path) -> list[str]:
    """'1. Drugs (score 10.5): public concern 40.0 (% of survey respondents ...): 4 points; ...'
    for each recommendation; the full rules are in assessment.json."""
    data = json.loads((folder / "assessment.json").read_text(encoding="utf-8"))
    rules = [c["rule"] for p in data.get("priorities", []) for c in p["components"]]
    note = (
        ["(some figures come from the illustrative example files: examples, not findings)"]
        if any("ILLUSTRATIVE" in r for r in rules)
        else []
    )
    # What each figure measures, from its rule ("85.6 = % of the district's crime harm (...)").
    measures = {
        (p["issue"], c["dimension"]): c["rule"].split(";")[0].split(" = ", 1)[-1]
        for p in data.get("priorities", [])
        for c in p["components"]
    }

    def reason(issue: str, c: dict[str, Any]) -> str:
        measure = measures.get((issue, c["dimension"]), "")
        points = f"{c['points']} point{'' if c['points'] == 1 else 's'}"
        what = f" ({measure})" if measure else ""
        return f"{c['dimension'].replace('_', ' ')} {c['value']:.1f}{what}: {points}"

    return note + [
        f"{r['rank']}. {r['issue']} (score {r['score']:g}): "
        + "; ".join(reason(r["issue"], c) for c in r["top_reasons"])
        for r in data.get("recommendations", [])
    ]


def write_road_safety_example(db: Path, out: Path) -> Path:
    """KSI and casualties per Greater Manchester district and year, from the real records."""
    from cspkit.warehouse.connection import connect_readonly

    con = connect_readonly(db)
    try:
        rows = con.execute(
            "SELECT d.lad_name, year(i.period_start) AS year, i.indicator_id, sum(i.value) "
            "FROM indicators i JOIN districts d ON d.lad_code = i.area_code "
            "WHERE list_contains(?, i.indicator_id) GROUP BY ALL ORDER BY 1, 2, 3",
            [[r.id for r in ROAD_INDICATORS]],
        ).fetchall()
    finally:
        con.close()
    table: dict[tuple[str, int], dict[str, float]] = {}
    for name, year, ind, value in rows:
        table.setdefault((str(name), int(year)), {})[str(ind)] = float(value)
    path = out / ROAD_SAFETY_CSV
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["district", "year", *(r.id for r in ROAD_INDICATORS)])
        for (name, year), values in sorted(table.items()):
            writer.writerow([name, year, *(int(values.get(r.id, 0)) for r in ROAD_INDICATORS)])
    return path
