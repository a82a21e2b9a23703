"""The annual publication page, its JSON and CSV; the fictional example cases."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

from django.test import Client
from django.urls import reverse

from cspkit.web.casework.examples import EXAMPLE_SECRET, ensure_example_cases
from cspkit.web.casework.models import Case, CaseComplaint


def _cases(n: int, received: datetime.date, met: bool) -> None:
    for i in range(n):
        case = Case.objects.create(
            reference=f"ACR-{received:%y%m}-{'M' if met else 'N'}{i:03d}",
            secret_hash="x",
            received_on=received,
            applicant_name="Fictional",
            behaviour="b",
            impact="i",
            acknowledged_on=received + datetime.timedelta(days=3),
            decided_on=received + datetime.timedelta(days=7),
            meets_threshold=met,
            meeting_on=received + datetime.timedelta(days=14) if met else None,
            has_recommendations=True if met else None,
            stage="decided",
        )
        CaseComplaint.objects.create(case=case, made_on=received, behaviour_on=received)


def test_figures_page_json_and_csv_agree(casework: dict[str, Any]) -> None:
    _cases(6, datetime.date(2025, 3, 3), met=True)  # Mondays: 3 and 7 days are 2 and 5 working
    _cases(2, datetime.date(2025, 3, 3), met=False)
    _cases(9, datetime.date(2024, 3, 4), met=True)  # another year
    client = Client()
    data = json.loads(client.get(reverse("casework-figures-json") + "?year=2025").content)
    values = {f["figure"]: f["value"] for f in data["figures"]}
    assert values["applications_received"] == 8
    assert values["threshold_not_met"] is None and values["threshold_met"] is None  # 2 and 6
    assert values["reviews_carried_out"] == 6
    assert values["reviews_with_recommendations"] == 6
    assert values["median_working_days_to_acknowledgement"] == 3.0
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("casework-figures-csv") + "?year=2025").content.decode())
        )
    )
    assert [r["figure"] for r in rows] == [f["figure"] for f in data["figures"]]
    assert rows[1]["value"] == "" and rows[1]["reason"] == "small number"
    page = client.get(reverse("casework-figures") + "?year=2025").content.decode()
    assert "[c]" in page and "<caption>" in page
    bad = client.get(reverse("casework-figures") + "?year=twenty").content.decode()
    assert "expected a calendar year (2025) or a financial year (2024/25)" in bad


def test_financial_year_figures(casework: dict[str, Any]) -> None:
    _cases(5, datetime.date(2025, 3, 3), met=True)
    data = json.loads(Client().get(reverse("casework-figures-json") + "?year=2024/25").content)
    assert data["start"] == "2024-04-01" and data["end"] == "2025-03-31"
    assert {f["figure"]: f["value"] for f in data["figures"]}["applications_received"] == 5


def test_example_cases_are_fictional_and_added_once(casework: dict[str, Any]) -> None:
    summary = ensure_example_cases()
    assert summary is not None and EXAMPLE_SECRET in summary
    assert ensure_example_cases() is None
    names = list(Case.objects.values_list("applicant_name", flat=True))
    assert len(names) == 5 and all("(fictional)" in n for n in names)
    stages = set(Case.objects.values_list("stage", flat=True))
    assert {"received", "decided", "responded", "closed"} <= stages
    client = Client()
    client.force_login(casework["manager"])
    assert "Overdue" in client.get(reverse("casework-dashboard")).content.decode()
