"""Reading a case file: each bad value is named with the complaint and the field."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from cspkit.casereview.casefile import application_from_data, read_application
from cspkit.errors import InputError


def test_reads_the_documented_shape() -> None:
    app = application_from_data(
        {
            "application_date": "2025-06-30",
            "hate_incident": True,
            "complaints": [
                {
                    "made_on": "2025-02-03",
                    "behaviour_on": "2025-01-20",
                    "agency": "council",
                    "by": "applicant",
                }
            ],
        }
    )
    assert app.application_date == datetime.date(2025, 6, 30) and app.hate_incident
    assert app.complaints[0].agency == "council" and app.complaints[0].by == "applicant"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "expected a JSON object"),
        ({"complaints": []}, "missing application_date"),
        ({"application_date": "30/06/2025"}, "application_date: expected a date like"),
        ({"application_date": "2025-06-30", "hate_incident": "no"}, "hate_incident: expected"),
        ({"application_date": "2025-06-30", "complaints": {}}, "complaints: expected a list"),
        (
            {"application_date": "2025-06-30", "complaints": [{"made_on": "2025-01-01"}]},
            "complaint 1: missing behaviour_on",
        ),
        (
            {
                "application_date": "2025-06-30",
                "complaints": [{"made_on": "2025-01-01", "behaviour_on": "2025-02-30"}],
            },
            "complaint 1 behaviour_on: expected a date like 2025-06-30, found '2025-02-30'",
        ),
    ],
)
def test_bad_values_are_named(data: Any, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        application_from_data(data, "case.json")


def test_bad_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text('{"application_date": "2025-06-30",\n "complaints": [}', encoding="utf-8")
    with pytest.raises(InputError, match=r"case.json: not valid JSON \(line 2, column"):
        read_application(path)
