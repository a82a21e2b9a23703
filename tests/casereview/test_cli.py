"""``cspkit case-review check`` and ``deadlines`` print the published JSON shapes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cspkit.cli import cli

CHILD_TIMEOUT_SECONDS = 300


def _case(tmp_path: Path, complaints: list[dict[str, str]], hate: bool = False) -> str:
    path = tmp_path / "case.json"
    data = {"application_date": "2025-06-30", "hate_incident": hate, "complaints": complaints}
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_check_boundary_cases_from_the_issue(tmp_path: Path) -> None:
    on_time = {"made_on": "2025-01-31", "behaviour_on": "2024-12-31", "agency": "police"}
    late = {"made_on": "2025-02-01", "behaviour_on": "2024-12-31", "agency": "police"}
    code, out = _run("case-review", "check", _case(tmp_path, [on_time, on_time, late]))
    assert code == 0, out
    data = json.loads(out)
    assert data["meets_threshold"] is False
    assert data["qualifying_complaints"] == 2
    assert [r["rule"] for r in data["rules"]][-1] == "qualifying-complaints"
    code, out = _run(
        "case-review", "check", "--threshold", "2", _case(tmp_path, [on_time, on_time, late])
    )
    assert json.loads(out)["meets_threshold"] is True


def test_check_hate_incident_variant(tmp_path: Path) -> None:
    one = [{"made_on": "2025-02-03", "behaviour_on": "2025-01-20", "agency": "council"}]
    path = _case(tmp_path, one, hate=True)
    assert json.loads(_run("case-review", "check", path)[1])["meets_threshold"] is False
    out = _run("case-review", "check", path, "--hate-incident-threshold", "1")[1]
    assert json.loads(out)["meets_threshold"] is True


def test_check_refuses_a_bad_file_naming_the_field(tmp_path: Path) -> None:
    path = _case(tmp_path, [{"made_on": "31/01/2025", "behaviour_on": "2024-12-31"}])
    code, _out = _run("case-review", "check", path)
    assert code != 0
    assert "complaint 1 made_on: expected a date like 2025-06-30, found '31/01/2025'" in str(
        CliRunner().invoke(cli, ["case-review", "check", path]).exception
    )


def test_deadlines_json() -> None:
    code, out = _run("case-review", "deadlines", "--received", "2025-12-19")
    assert code == 0, out
    assert json.loads(out) == {
        "acknowledge_by": "2026-01-07",
        "decide_by": "2026-01-14",
        "meeting_by": "2026-01-21",
    }
    code, out = _run(
        "case-review", "deadlines", "--received", "2025-12-19", "--acknowledge-days", "1"
    )
    assert json.loads(out)["acknowledge_by"] == "2025-12-22"


def _cspkit(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CSPKIT_WEB_DB")
    }
    env["CSPKIT_CASE_REVIEW_EVIDENCE_DIR"] = str(tmp_path / "evidence")
    return subprocess.run(
        [sys.executable, "-m", "cspkit", *args, "--db", str(tmp_path / "cspkit.duckdb")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=CHILD_TIMEOUT_SECONDS,
    )


def test_examples_then_anonymise_dry_run_in_a_fresh_database(tmp_path: Path) -> None:
    made = _cspkit(tmp_path, "case-review", "examples")
    assert made.returncode == 0, made.stderr
    assert "Added 5 fictional example ASB Case Reviews" in made.stdout
    dry = _cspkit(tmp_path, "case-review", "anonymise", "--dry-run", "--years", "1")
    assert dry.returncode == 0, dry.stderr
    # The closed example closed about 3 months ago: inside a year, so nothing is due.
    assert dry.stdout.startswith("would anonymise 0 cases closed before"), dry.stdout
