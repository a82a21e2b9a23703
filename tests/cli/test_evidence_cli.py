"""The evidence commands as a user runs them: outputs and one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cspkit.reference import PACKAGE_DIR

ROAD = (
    Path(__file__).resolve().parents[1]
    / "data"
    / "road"
    / "gm_manchester_trafford_2022_2023.csv.gz"
)
EXAMPLES = PACKAGE_DIR / "examples"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cspkit", *args], capture_output=True, text=True, check=False
    )


def test_ingest_road_casualties_and_survey(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    road = run("ingest", "road-casualties", str(ROAD), "--db", db)
    assert road.returncode == 0, road.stderr
    assert "read 2,148 = loaded 2,148 (no district: 0); district by name: 2,148" in road.stdout
    assert "2022-01 to 2023-12; 2 districts: Manchester, Trafford" in road.stdout
    survey = run(
        "ingest",
        "survey",
        str(EXAMPLES / "maidstone_survey_2025.csv"),
        "--questions",
        str(EXAMPLES / "maidstone_survey_questions.yaml"),
        "--wave",
        "2025",
        "--db",
        db,
    )
    assert survey.returncode == 0, survey.stderr
    assert "wave 2025 of Maidstone: 1,100 respondents, 6 questions" in survey.stdout


def test_bad_survey_answer_is_one_line(tmp_path: Path) -> None:
    data = tmp_path / "answers.csv"
    lines = (EXAMPLES / "maidstone_survey_2025.csv").read_text().splitlines()[:4]
    lines[3] = (
        lines[3].replace("Very safe", "Safe enough", 1).replace("Fairly safe", "Safe enough", 1)
    )
    data.write_text("\n".join(lines) + "\n")
    result = run(
        "ingest",
        "survey",
        str(data),
        "--questions",
        str(EXAMPLES / "maidstone_survey_questions.yaml"),
        "--wave",
        "2025",
        "--db",
        str(tmp_path / "w.duckdb"),
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "answers.csv, row 4, column 'Q1'" in result.stderr
    assert (
        "found 'Safe enough'" in result.stderr
        and "nothing from this file was written" in result.stderr
    )


def test_help_has_examples() -> None:
    for command in ("road-casualties", "survey", "survey-results"):
        out = run("ingest", command, "--help").stdout
        assert "Example:" in out and f"cspkit ingest {command}" in out
    assess = run("assess", "--help").stdout
    for option in ("--plan", "--priorities-override", "--priority-weights", "--themes"):
        assert option in assess
