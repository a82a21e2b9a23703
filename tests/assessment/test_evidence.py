"""The evidence chapters of a real assessment: themes, survey, progress, priorities, context."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from cspkit.assessment.build import Assessment, assess, build_document
from cspkit.assessment.evidence import EvidenceOptions
from cspkit.assessment.export import to_dict, write_data
from cspkit.assessment.public import HIDDEN, suppress_document
from cspkit.demo_evidence import EXAMPLE_PLAN, EXAMPLES, load_demo_evidence
from cspkit.ingest.police_uk import load_police_uk
from cspkit.reference import sample_police_uk_dir
from cspkit.stats.periods import parse_period
from cspkit.stats.survey import kish_effective_n
from cspkit.warehouse.connection import connect_memory

DECISIONS = EXAMPLES / "maidstone_priority_decisions.yaml"


@pytest.fixture(scope="module")
def warehouse() -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect_memory()
    load_police_uk(
        con,
        [
            sample_police_uk_dir() / m
            for m in (
                "2024-01",
                "2024-02",
                "2024-03",
                "2024-04",
                "2025-01",
                "2025-02",
                "2025-03",
                "2025-04",
            )
        ],
    )
    load_demo_evidence(con)
    yield con
    con.close()


@pytest.fixture(scope="module")
def maidstone(warehouse: duckdb.DuckDBPyConnection) -> Assessment:
    return assess(
        warehouse,
        "Maidstone",
        parse_period("2025-01..2025-04"),
        compare=parse_period("2024-01..2024-04"),
        evidence=EvidenceOptions(plan=EXAMPLE_PLAN, decisions=DECISIONS),
    )


def test_chapters_in_report_order(maidstone: Assessment) -> None:
    ids = [s.id for s in build_document(maidstone).sections]
    new = ["themes", "survey", "progress", "priorities", "context"]
    assert [i for i in ids if i in new] == new
    assert ids.index("context") < ids.index("methodology")


def test_survey_json_matches_an_independent_calculation(maidstone: Assessment) -> None:
    data = to_dict(maidstone, build_document(maidstone))
    frame = pd.read_csv(EXAMPLES / "maidstone_survey_2025.csv")
    answered = frame[frame["Q2"] != "Don't know"]
    positive = answered["Q2"].isin(["Very safe", "Fairly safe"])
    expected = 100 * answered.loc[positive, "weight"].sum() / answered["weight"].sum()
    row = next(r for r in data["survey"] if r["question"] == "safe_dark" and r["wave"] == "2025")
    assert row["percent"] == pytest.approx(expected)
    assert row["base"] == len(answered)
    assert row["effective_base"] == pytest.approx(kish_effective_n(list(answered["weight"])))
    assert row["previous_wave"] == "2019" and row["previous_percent"] == 69.0
    assert row["significant"] == (row["p_value"] < 0.05)
    assert row["lower"] < row["percent"] < row["upper"]
    assert "ILLUSTRATIVE" in row["note"]


def test_priorities_are_explained_and_recommended(maidstone: Assessment) -> None:
    data = to_dict(maidstone, build_document(maidstone))
    scored = data["priorities"]
    assert [p["rank"] for p in scored] == list(range(1, len(scored) + 1))
    assert all(a["score"] >= b["score"] for a, b in itertools.pairwise(scored))
    for p in scored:
        assert p["score"] == pytest.approx(sum(c["weighted"] for c in p["components"]))
        assert all(c["rule"] for c in p["components"])
    recs = data["recommendations"]
    assert len(recs) == 4 and [r["issue"] for r in recs] == [p["issue"] for p in scored[:4]]
    assert all(len(r["reasons"]) == 3 for r in recs)
    decided = {d["issue"]: d["decision"] for d in data["decisions"]}
    assert decided == {"anti-social-behaviour": "add", "possession-of-weapons": "drop"}
    assert {"cross_cutting", "task_and_finish"} <= set(data)


def test_progress_counts_overdue_actions(maidstone: Assessment) -> None:
    doc = build_document(maidstone)
    actions = next(t for t in doc.tables() if t.id == "progress-actions")
    totals = [sum(row[i] for row in actions.rows) for i in (1, 2, 5)]  # type: ignore[misc]
    # 13 actions in the example plan; 2 complete; by the end of April 2025 the 4 open actions
    # due in 2024 and the 6 due on 31 March 2025 are overdue (CYP-3, due June 2025, is not)
    assert totals == [13, 2, 10]


def test_context_population_and_deprivation(maidstone: Assessment) -> None:
    doc = build_document(maidstone)
    ages = next(t for t in doc.tables() if t.id == "context-age-bands")
    # "Age: Total" of Maidstone in Nomis TS007A: the bands add up to it
    assert sum(r[1] for r in ages.rows) == 175_782  # type: ignore[misc]
    imd = next(t for t in doc.tables() if t.id == "context-deprivation")
    assert [r[0] for r in imd.rows] == ["2019", "2025"]
    assert imd.rows[0][1] == 185 and imd.rows[1][1] == 160


def test_new_tables_are_written_as_csv(
    maidstone: Assessment, tmp_path: Path
) -> None:
    doc = build_document(maidstone)
    written = {p.name for p in write_data(maidstone, doc, tmp_path)}
    assert {
        "survey-questions.csv",
        "priority-matrix.csv",
        "progress-actions.csv",
        "context-deprivation.csv",
        "theme-violence.csv",
    } <= written


def test_public_edition_hides_small_counts_in_the_new_chapters(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    def month(public: bool) -> Assessment:
        return assess(
            warehouse,
            "Maidstone",
            parse_period("2025-01"),
            compare=parse_period("2024-01"),
            public=public,
            evidence=EvidenceOptions(plan=EXAMPLE_PLAN, decisions=DECISIONS),
        )

    public = month(True)
    doc = build_document(month(False))
    shown = suppress_document(build_document(public))
    checked = 0
    for table in doc.tables():
        if not table.id.startswith(("theme-", "survey-", "progress-")):
            continue
        safe = next(t for t in shown.tables() if t.id == table.id)
        for row, safe_row in zip(table.rows, safe.rows, strict=True):
            for col, value, safe_value in zip(table.columns, row, safe_row, strict=True):
                if col.count and isinstance(value, int | float) and 0 < value < 5:
                    assert safe_value == HIDDEN, (table.id, row)
                    checked += 1
    assert checked > 0
    data = to_dict(public, shown)
    assert data["public"] and data["recommendations"]
