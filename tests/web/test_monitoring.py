"""Quarterly monitoring: the chair's report, the dashboard and the board pack."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.test import Client
from django.urls import reverse

from cspkit.web.monitoring.models import QuarterlyReport
from cspkit.web.monitoring.quarters import Quarter
from cspkit.web.plan.models import Action, AuditEntry, Group


def test_quarters() -> None:
    q = Quarter.containing(datetime.date(2025, 2, 14))
    assert (q.year, q.number) == (2024, 4)
    assert q.start == datetime.date(2025, 1, 1) and q.end == datetime.date(2025, 3, 31)
    assert q.next() == Quarter(2025, 1) and Quarter(2025, 1).previous() == q
    assert Quarter(2024, 1).label == "2024/25 Q1 (April to June 2024)"


def _report_post(group: Group) -> dict[str, str]:
    data = {"summary": "Good quarter", "risks": "Staffing"}
    for action in group.actions.all():
        data[f"a{action.pk}_status"] = "on-track"
        data[f"a{action.pk}_progress"] = f"{action.ref} progressing"
        data[f"a{action.pk}_risks"] = ""
    return data


def test_chair_files_a_quarterly_report(people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["chair"])
    group = Group.objects.get(slug="socp")
    url = reverse("report-form", kwargs={"slug": "socp", "quarter": Quarter(2025, 1)})
    assert client.get(url).status_code == 200
    response = client.post(url, _report_post(group))
    assert response.status_code == 302
    report = QuarterlyReport.objects.get(group=group, year=2025, quarter=1)
    assert report.submitted_by == people["chair"]
    assert report.actions.count() == group.actions.count()
    soc2 = Action.objects.get(ref="SOC-2")
    assert soc2.status == "on-track"
    assert soc2.notes.first().text.startswith("Quarterly report 2025/26 Q1")
    assert AuditEntry.objects.filter(model="Quarterly Report", username="chair.person").exists()
    data = json.loads(client.get(reverse("report-json", kwargs={"pk": report.pk})).content)
    assert data["summary"] == "Good quarter" and data["quarter"] == "2025-q1"
    # Revising replaces, never duplicates.
    client.post(url, {**_report_post(group), "summary": "Revised"})
    assert QuarterlyReport.objects.filter(group=group).count() == 1


def test_dashboard_lists_overdue_actions(people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["bystander"])
    data = json.loads(client.get("/manage.json").content)
    overdue = {row["ref"] for row in data["overdue_actions"]}
    expected = {a.ref for a in Action.objects.all() if a.is_overdue()}
    assert overdue == expected and "SOC-2" in overdue
    assert "Serious and Organised Crime Panel" in data["reports_missing"]


def test_board_pack_html_json_pdf(people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["manager"])
    quarter = Quarter(2025, 1)
    html = client.get(reverse("board-pack", kwargs={"quarter": quarter}))
    assert html.status_code == 200 and b"board pack" in html.content
    data = json.loads(client.get(reverse("board-pack-json", kwargs={"quarter": quarter})).content)
    assert data["quarter"] == "2025-q1"
    pdf = client.get(reverse("board-pack-pdf", kwargs={"quarter": quarter}))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
