"""The command line as a user runs it: help, errors, outputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from cspkit.cli import cli
from tests.conftest import sample_file

REQUIRED_FIELDS = {
    "indicator",
    "current",
    "previous",
    "change",
    "pct_change",
    "p_value",
    "significant",
    "rate_per_1000",
    "denominator",
    "denominator_year",
    "rank",
    "rank_of",
    "previous_rank",
    "direction",
    "note",
    "current_compared",
    "rank_compared",
    "rate_ratio",
    "rate_adjusted",
    "ratio_lower",
    "ratio_upper",
}


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cspkit", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=300,
    )


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        path = (*prefix, name)
        if isinstance(command, click.Group):
            found.extend(_all_commands(command, path))
        else:
            found.append(path)
    return found


@pytest.mark.parametrize("path", _all_commands(cli), ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.returncode == 0, result.stderr
    assert "Example" in result.stdout


def test_a_user_error_is_one_clear_line_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "2025-01-kent-street.csv"
    bad.write_text("Crime ID,Month,Colour\n", encoding="utf-8")
    result = run("ingest", "police-uk", str(bad), "--db", str(tmp_path / "w.duckdb"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: ") and "2025-01-kent-street.csv, row 1" in lines[0]
    assert not (tmp_path / "w.duckdb").exists()


def test_ingest_prints_read_loaded_quarantined_per_file(tmp_path: Path) -> None:
    result = run("ingest", "police-uk", str(sample_file("2025-01")), "--db", str(tmp_path / "w"))
    assert result.returncode == 0, result.stderr
    assert "read 14,201 = loaded 14,201 + quarantined 0" in result.stdout


def test_demo_writes_both_assessments(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    out.mkdir()
    (out / "cspkit.duckdb").write_text("a partnership's own warehouse")
    refused = run("demo", "--out", str(out))
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        f"Error: {out / 'cspkit.duckdb'} already exists and the demo would replace it; give "
        "another --out folder, or --overwrite to replace it (the warehouse is unchanged)"
    ]
    assert (out / "cspkit.duckdb").read_text() == "a partnership's own warehouse"
    result = run("demo", "--out", str(out), "--overwrite")
    assert result.returncode == 0, result.stderr
    # The new warehouse replaced the old one; no private copy is left beside it.
    left = {p.name for p in out.glob("*cspkit.duckdb*")}
    assert "cspkit.duckdb" in left and left <= {"cspkit.duckdb", "cspkit.duckdb.lock"}
    for folder in ("maidstone-2025", "lincoln-12m-to-2020-01"):
        data = json.loads((out / folder / "assessment.json").read_text(encoding="utf-8"))
        assert {"area", "period", "compare_period", "peers", "overview"} <= set(data)
        for row in data["overview"]:
            assert set(row) >= REQUIRED_FIELDS
        for name in (
            "report.html",
            "report.pdf",
            "report.docx",
            "overview.csv",
            "data_sources.csv",
        ):
            assert (out / folder / name).stat().st_size > 0
    maidstone = json.loads((out / "maidstone-2025" / "assessment.json").read_text("utf-8"))
    assert maidstone["comparison"]["like_for_like"] is True
    assert maidstone["overview"][0]["indicator"] == "All crime"
    coverage = run("coverage", "--json", "--db", str(out / "cspkit.duckdb"))
    months = {
        (c["dataset"], c["force"], c["month"]): c["status"] for c in json.loads(coverage.stdout)
    }
    assert months[("street", "kent", "2024-07")] == "missing"
    assert months[("street", "lincolnshire", "2018-07")] == "ok"
    assert months[("outcomes", "lincolnshire", "2018-07")] == "ok"
    assert not any(key[1] == "kent" for key in months if key[0] == "outcomes")


def test_assess_every_csp_of_a_force_in_one_pass(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    months = [str(sample_file(f"2025-{m:02d}")) for m in range(1, 13)]
    assert run("ingest", "police-uk", *months, "--db", str(db)).returncode == 0
    result = run(
        "assess",
        "--force",
        "kent",
        "--period",
        "2025",
        "--db",
        str(db),
        "--out",
        str(tmp_path / "kent"),
    )
    assert result.returncode == 0, result.stderr
    assert "12 of 12 CSPs assessed" in result.stdout
    folders = sorted(p.name for p in (tmp_path / "kent").iterdir() if p.is_dir())
    # Kent's 13 districts form 12 CSPs: Dartford and Gravesham is one partnership.
    assert len(folders) == 12 and "maidstone" in folders and "dartford-and-gravesham" in folders
    for folder in folders:
        data = json.loads((tmp_path / "kent" / folder / "assessment.json").read_text("utf-8"))
        assert data["overview"][0]["rank_of"] == 12
    assert (tmp_path / "kent" / "index.html").is_file()
    assert len((tmp_path / "kent" / "index.csv").read_text("utf-8").splitlines()) == 1 + 12


def test_assess_needs_exactly_one_of_area_and_force(tmp_path: Path) -> None:
    result = run("assess", "--period", "2025", "--db", str(tmp_path / "w.duckdb"))
    assert result.returncode == 2
    assert "give either --area or --force" in result.stderr


def test_assess_says_what_a_user_must_know_in_plain_lines(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    months = [str(sample_file(f"2025-{m:02d}")) for m in (1, 2)]
    assert run("ingest", "police-uk", *months, "--db", str(db)).returncode == 0
    result = run(
        "assess",
        *("--area", "Maidstone", "--period", "2025-01..2025-02", "--compare", "2022Q1"),
        *("--db", str(db), "--out", str(tmp_path / "m")),
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    # not a terminal: progress as plain lines, one per step, no bar drawing characters
    assert lines[0] == "overview (0/7)" and "emerging (6/7)" in lines
    assert not any("\x1b" in line or "━" in line for line in lines)
    assert (
        "warning: No comparison is possible: the warehouse holds no months of Q1 2022 "
        "(January-March) that match months of the period." in lines
    )
    mistyped = run("assess", "--force", "Kenf", "--period", "2025-01", "--db", str(db))
    assert mistyped.returncode == 1
    assert mistyped.stderr.strip().splitlines() == [
        "Error: no CSPs with records of force 'Kenf'; did you mean kent? (see 'cspkit coverage')"
    ]
