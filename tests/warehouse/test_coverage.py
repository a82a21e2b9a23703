"""Coverage: missing and partially published months are found, never assumed away."""

from __future__ import annotations

from datetime import date

import duckdb
from hypothesis import given
from hypothesis import strategies as st

from cspkit.report.coverage_text import coverage_table
from cspkit.stats.periods import parse_period
from cspkit.warehouse.coverage import (
    MISSING,
    OK,
    PARTIAL,
    coverage,
    coverage_of_all,
    judge_months,
)


def test_a_month_far_below_its_neighbours_is_partial_and_a_gap_is_missing() -> None:
    counts = {date(2025, m, 1): 1000 for m in range(1, 13) if m != 5}
    counts[date(2025, 8, 1)] = 300
    cells = {c.month.month: c.status for c in judge_months("x", counts)}
    assert cells[5] == MISSING
    assert cells[8] == PARTIAL
    assert [m for m, s in cells.items() if s == OK] == [1, 2, 3, 4, 6, 7, 9, 10, 11, 12]


@given(st.lists(st.integers(min_value=500, max_value=1000), min_size=1, max_size=36))
def test_steady_months_are_never_flagged(values: list[int]) -> None:
    # Every value is at least half of any other, so none is below 0.5 x a neighbour median.
    counts = {date(2020 + i // 12, i % 12 + 1, 1): v for i, v in enumerate(values)}
    assert all(c.status == OK for c in judge_months("x", counts))


def test_sample_coverage(sample_con: duckdb.DuckDBPyConnection) -> None:
    cov = coverage(sample_con)
    assert cov.forces == ("kent", "lincolnshire")
    kent_gaps = cov.gaps("kent", parse_period("2024"))
    assert [g.month.month for g in kent_gaps] == list(range(5, 13))
    assert cov.covers("kent", parse_period("2025"))
    assert cov.covers("lincolnshire", parse_period("2017-02..2020-01"))
    assert not cov.covers("lincolnshire", parse_period("2017"))


def test_every_police_uk_dataset_has_its_coverage(sample_con: duckdb.DuckDBPyConnection) -> None:
    street, outcomes, stops = coverage_of_all(sample_con)
    assert (street.dataset, outcomes.dataset, stops.dataset) == (
        "street",
        "outcomes",
        "stop-and-search",
    )
    assert outcomes.forces == ("lincolnshire",)  # the sample holds no Kent outcomes
    assert stops.cells == ()
    held = sample_con.execute(
        "SELECT count(*) FROM outcomes WHERE month = DATE '2018-07-01'"
    ).fetchone()
    cell = next(c for c in outcomes.cells if c.month == date(2018, 7, 1))
    assert held is not None and cell.rows == held[0] and cell.dataset == "outcomes"
    assert {r["dataset"] for r in outcomes.as_records()} == {"outcomes"}


def test_the_coverage_grid_labels_its_count_and_explains_every_symbol(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    text = coverage_table(coverage(sample_con, "outcomes"))
    lines = text.splitlines()
    assert lines[0] == "outcomes data"
    assert lines[1].endswith("outcome records in the year")
    key = lines.index("Key to the months J F M A M J J A S O N D:")
    marks = {ch for line in lines[2:key] for ch in line[31:43]}
    explained = {line.split()[0] for line in lines[key + 1 :]}
    assert marks - {" "} <= explained and "blank" in explained
    assert "possibly partial" in text
    assert coverage_table(coverage(sample_con, "stop-and-search")) == (
        "stop-and-search data: the warehouse holds none."
    )
