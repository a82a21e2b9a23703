"""Loading resident surveys: respondent-level answers and published results."""

from __future__ import annotations

from pathlib import Path

import pytest

from cspkit.errors import InputError
from cspkit.ingest.survey import load_survey, load_survey_results, read_questions
from cspkit.reference import PACKAGE_DIR
from cspkit.warehouse.connection import connect_memory

EXAMPLES = PACKAGE_DIR / "examples"
QUESTIONS = """
district: Maidstone
weight: w
area: ward
questions:
  - id: safe_day
    column: Q1
    text: How safe do you feel during the day?
    positive: [Very safe, Fairly safe]
    other: [Fairly unsafe, Very unsafe]
    exclude: [Don't know]
  - id: issues
    column: Q2
    kind: multi
    options: [ASB, Drugs, Speeding]
  - id: places
    column: Q3
    kind: places
    places: [Week Street, Mote Park]
"""


def _files(tmp_path: Path, rows: list[str]) -> tuple[Path, Path]:
    q = tmp_path / "questions.yaml"
    q.write_text(QUESTIONS)
    data = tmp_path / "answers.csv"
    data.write_text("id,ward,w,Q1,Q2,Q3\n" + "\n".join(rows) + "\n")
    return data, q


def test_answers_are_stored_and_excluded_answers_leave_the_base(tmp_path: Path) -> None:
    data, q = _files(
        tmp_path,
        [
            "1,Fant,1.0,Very safe,ASB;Drugs,near week street at night",
            "2,Fant,2.0,Very unsafe,Drugs,",
            "3,East,1.5,Don't know,,Mote Park and Week Street",
        ],
    )
    con = connect_memory()
    report = load_survey(con, data, questions=q, wave="2025")
    assert (report.respondents, report.questions, report.district) == (3, 3, "Maidstone")
    rows = con.execute(
        "SELECT respondent, weight, question_id, answer FROM survey_answers "
        "ORDER BY respondent, question_id, answer"
    ).fetchall()
    assert rows == [
        (1, 1.0, "issues", "ASB"),
        (1, 1.0, "issues", "Drugs"),
        (1, 1.0, "places", "Week Street"),
        (1, 1.0, "safe_day", "Very safe"),
        (2, 2.0, "issues", "Drugs"),
        (2, 2.0, "safe_day", "Very unsafe"),
        (3, 1.5, "places", "Mote Park"),
        (3, 1.5, "places", "Week Street"),
    ]
    again = load_survey(con, data, questions=q, wave="2025")
    assert again.replaced
    assert con.execute("SELECT count(*) FROM survey_answers").fetchone() == (8,)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "1,Fant,1,Quite safe,,",
            "row 2, column 'Q1': expected one of: Very safe, .*found 'Quite safe'",
        ),
        (
            "1,Fant,1,Very safe,ASB;Litter,",
            "row 2, column 'Q2': expected one of: ASB, Drugs, Speeding; found 'Litter'",
        ),
        ("1,Fant,-1,Very safe,,", "row 2, column 'w': expected a weight above 0"),
    ],
)
def test_bad_answers_are_named_and_nothing_is_written(
    tmp_path: Path, row: str, message: str
) -> None:
    data, q = _files(tmp_path, ["9,Fant,1,Very safe,,", row])
    data.write_text("id,ward,w,Q1,Q2,Q3\n" + row + "\n")
    con = connect_memory()
    with pytest.raises(InputError, match=message) as err:
        load_survey(con, data, questions=q, wave="2025")
    assert "nothing from this file was written" in str(err.value)
    for table in ("survey_answers", "survey_questions", "sources"):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)


def test_missing_column_and_bad_questions_file(tmp_path: Path) -> None:
    data, q = _files(tmp_path, ["1,Fant,1,Very safe,,"])
    data.write_text("id,ward,w,Q1,Q2\n1,Fant,1,Very safe,\n")
    with pytest.raises(InputError, match="missing column 'Q3'"):
        load_survey(connect_memory(), data, questions=q, wave="2025")
    q.write_text("questions:\n  - id: a\n    column: Q1\n")
    with pytest.raises(InputError, match="expected the answers counted"):
        read_questions(q)


def test_published_results(tmp_path: Path) -> None:
    con = connect_memory()
    report = load_survey_results(
        con, EXAMPLES / "maidstone_survey_2019_results.csv", area="Maidstone"
    )
    assert report.answers == 4
    assert con.execute(
        "SELECT percent, base FROM survey_published WHERE question_id = 'safe_dark'"
    ).fetchone() == (69.0, 1050)
    bad = tmp_path / "bad.csv"
    bad.write_text("wave,area,question,text,percent,base\n2019,Maidstone,q,Q,120,1000\n")
    with pytest.raises(InputError, match="row 2, column 'percent': expected a percentage"):
        load_survey_results(con, bad)
    assert con.execute("SELECT count(*) FROM survey_published").fetchone() == (4,)
