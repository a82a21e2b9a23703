"""The ingest benchmark script runs end to end in its quick mode and writes a complete report.

The benchmark itself (millions of rows) is not a test; this only proves that the script
works, so that a real run does not fail after minutes of building input.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "ingest.py"
#: The revision timed side by side as the baseline: this checkout's own HEAD, when it is a
#: git repository (a copy without its history cannot name an earlier revision).
IN_GIT = (
    subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, check=False
    ).returncode
    == 0
)
QUICK_ROWS = 20_000
QUICK_REPEATS = 1
TIMEOUT_SECONDS = 300
VARIANTS = {"ingest", "floor", "pandas"}
TARGETS = {"ingest_over_floor", "pandas_over_ingest", "ingest_peak_rss_mb", "overview_seconds"}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("benchmark")
    out = tmp / "ingest.json"
    result = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--rows",
            str(QUICK_ROWS),
            "--repeats",
            str(QUICK_REPEATS),
            "--out",
            str(out),
            "--work",
            str(tmp / "work"),
            *(["--baseline", "HEAD"] if IN_GIT else []),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ingest_over_floor" in result.stdout  # the summary table was printed
    data: dict[str, Any] = json.loads(out.read_text())
    return data


def test_input_is_replicated_sample(report: dict[str, Any]) -> None:
    assert report["input"]["rows"] >= QUICK_ROWS
    assert report["input"]["files"] >= 1
    assert report["input"]["forces"] == 1
    assert report["repeats"] == QUICK_REPEATS


def test_machine_info(report: dict[str, Any]) -> None:
    machine = report["machine"]
    assert machine["cpu_count"] >= 1
    assert machine["python"] and machine["duckdb"] and machine["pandas"]


def test_every_variant_measured(report: dict[str, Any]) -> None:
    assert set(report["variants"]) == VARIANTS | ({"baseline"} if IN_GIT else set())
    rows = report["input"]["rows"]
    for variant in report["variants"].values():
        assert len(variant["wall_seconds"]) == QUICK_REPEATS
        assert len(variant["peak_rss_mb"]) == QUICK_REPEATS
        assert variant["median_seconds"] > 0
        assert variant["rows_per_second"] == pytest.approx(
            rows / variant["median_seconds"], rel=0.01
        )
        assert variant["peak_rss_mb_max"] > 0
    assert "cspkit ingest" in report["variants"]["ingest"]["description"] or (
        "load_police_uk" in report["variants"]["ingest"]["description"]
    )


def test_ratios_and_targets(report: dict[str, Any]) -> None:
    medians = {k: v["median_seconds"] for k, v in report["variants"].items()}
    ratios = report["ratios"]
    assert ratios["ingest_over_floor"] == pytest.approx(
        medians["ingest"] / medians["floor"], rel=0.01
    )
    assert ratios["pandas_over_ingest"] == pytest.approx(
        medians["pandas"] / medians["ingest"], rel=0.01
    )
    assert set(report["targets"]) == TARGETS
    for target in report["targets"].values():
        assert isinstance(target["met"], bool)
        assert isinstance(target["value"], int | float)
    assert report["all_targets_met"] == all(t["met"] for t in report["targets"].values())


def test_overview_query_timed(report: dict[str, Any]) -> None:
    overview = report["overview"]
    assert overview["districts"] >= 1
    assert overview["indicator_rows"] >= overview["districts"]
    assert len(overview["seconds"]) == QUICK_REPEATS
    assert overview["median_seconds"] > 0
    assert overview["period"] == "2025"


@pytest.mark.skipif(not IN_GIT, reason="a baseline revision needs a git checkout")
def test_a_baseline_revision_is_timed_side_by_side(report: dict[str, Any]) -> None:
    baseline = report["variants"]["baseline"]
    assert "cspkit ingest police-uk of revision" in baseline["description"]
    assert "(HEAD)" in baseline["description"]
    assert report["ratios"]["baseline_over_ingest"] == pytest.approx(
        baseline["median_seconds"] / report["variants"]["ingest"]["median_seconds"], rel=0.01
    )
    assert report["order"] == "interleaved: ingest floor pandas baseline, repeated"
