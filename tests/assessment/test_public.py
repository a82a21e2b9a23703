"""The public edition publishes no count below the threshold, in any output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb

from cspkit.assessment.build import assess, build_document
from cspkit.assessment.export import to_dict
from cspkit.assessment.public import HIDDEN, suppress_document, suppress_rows
from cspkit.report.blocks import Column, Table
from cspkit.report.suppress import SUPPRESSION_THRESHOLD
from cspkit.stats.periods import parse_period


def test_small_counts_and_their_derived_figures_are_hidden() -> None:
    table = Table(
        id="t",
        caption="c",
        columns=(
            Column("Indicator"),
            Column("2024", numeric=True, count=True),
            Column("2025", numeric=True, count=True),
            Column("Rate", numeric=True, format="rate"),
        ),
        rows=(("A", 120, 130, 1.5), ("B", 3, 40, 0.2), ("C", 50, 60, 0.9)),
    )
    safe, hidden = suppress_rows(table)
    assert hidden
    assert safe.rows[1][1] == HIDDEN and safe.rows[1][3] == HIDDEN
    # secondary suppression: the 3 cannot be recovered from the column total
    assert sum(1 for row in safe.rows if row[1] == HIDDEN) >= 2
    assert safe.rows[0][0] == "A" and safe.rows[1][0] == "B"


def test_public_json_and_summary_state_no_small_count(
    sample_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    result = assess(sample_con, "Maidstone", parse_period("2025-01"), public=True)
    doc = suppress_document(build_document(result))
    data = to_dict(result, doc)
    json.dumps(data)  # serialisable
    suppressed = [row for row in data["overview"] if row.get("suppressed")]
    assert suppressed, "January has categories with fewer than 5 records"
    for row in data["overview"]:
        counts = [row["current"], row["previous"], row["current_compared"]]
        if row.get("suppressed"):
            assert counts == [None, None, None] and row["rate_per_1000"] is None
        else:
            assert all(c is None or c == 0 or c >= SUPPRESSION_THRESHOLD for c in counts)
    summary = next(s for s in data["sections"] if s["id"] == "summary")
    for finding in summary["key_findings"]:
        for match in re.findall(r"\((\d[\d,]*) to (\d[\d,]*)\)", finding):
            assert all(int(n.replace(",", "")) >= SUPPRESSION_THRESHOLD for n in match)
