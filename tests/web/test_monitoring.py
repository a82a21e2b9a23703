"""Quarterly monitoring: the chair's report, the dashboard and the board pack."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.test import Client
from django.urls import reverse

from cspkit.web.monitoring.models import QuarterlyReport
from cspkit.web.monitoring.quarters import Quarter
from cspkit.web.plan.models import Action, AuditEntry, Group, ProgressNote


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
    url = reverse("report-form", kwargs={"slug": "socp", "quarter": Quarter(2024, 4)})
    assert client.get(url).status_code == 200
    response = client.post(url, _report_post(group))
    assert response.status_code == 302
    report = QuarterlyReport.objects.get(group=group, year=2024, quarter=4)
    assert report.submitted_by == people["chair"]
    assert report.actions.count() == group.actions.count()
    soc2 = Action.objects.get(ref="SOC-2")
    assert soc2.status == "on-track"
    assert soc2.notes.first().text.startswith("Quarterly report 2024/25 Q4")
    assert AuditEntry.objects.filter(model="Quarterly Report", username="chair.person").exists()
    data = json.loads(client.get(reverse("report-json", kwargs={"pk": report.pk})).content)
    assert data["summary"] == "Good quarter" and data["quarter"] == "2024-q4"
    # Revising replaces, never duplicates: neither the report nor the progress notes.
    notes = ProgressNote.objects.count()
    version = QuarterlyReport.objects.get(pk=report.pk).version
    revised = {**_report_post(group), "summary": "Revised", "version": str(version)}
    for action in group.actions.all():
        revised[f"a{action.pk}_shown"] = "on-track"
    assert client.post(url, revised).status_code == 302
    assert QuarterlyReport.objects.filter(group=group).count() == 1
    assert ProgressNote.objects.count() == notes


def test_revising_a_report_keeps_newer_statuses(people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["chair"])
    group = Group.objects.get(slug="socp")
    url = reverse("report-form", kwargs={"slug": "socp", "quarter": Quarter(2024, 4)})
    assert client.post(url, {**_report_post(group), "version": "0"}).status_code == 302
    # After the report is filed, SOC-2 is completed on its own page.
    soc2 = Action.objects.get(ref="SOC-2")
    soc2.status = "complete"
    soc2.save()
    # The chair opens the report again and saves it with only the summary changed.
    form = client.get(url).context["form"]
    posted = {name: form[name].value() or "" for name in form.fields}
    posted["summary"] = "Revised after the board"
    assert client.post(url, posted).status_code == 302
    soc2.refresh_from_db()
    assert soc2.status == "complete"
    report = QuarterlyReport.objects.get(group=group, year=2024, quarter=4)
    assert report.summary == "Revised after the board"
    assert report.actions.get(action=soc2).status == "on-track"  # what the report said


def test_a_report_saved_meanwhile_is_not_overwritten(people: dict[str, Any]) -> None:
    chair, manager = Client(), Client()
    chair.force_login(people["chair"])
    manager.force_login(people["manager"])
    group = Group.objects.get(slug="socp")
    url = reverse("report-form", kwargs={"slug": "socp", "quarter": Quarter(2024, 4)})
    opened = chair.get(url).context["form"]
    stale = {name: opened[name].value() or "" for name in opened.fields}
    assert manager.post(url, {**_report_post(group), "summary": "Manager's", "version": "0"})
    refused = chair.post(url, {**stale, "summary": "Chair's"})
    assert refused.status_code == 409
    body = refused.content.decode()
    assert "Manager&#x27;s" in body and "Chair&#x27;s" in body and "Not saved" in body
    assert QuarterlyReport.objects.get(group=group).summary == "Manager's"


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
    quarter = Quarter(2024, 4)
    html = client.get(reverse("board-pack", kwargs={"quarter": quarter}))
    assert html.status_code == 200 and b"board pack" in html.content
    data = json.loads(client.get(reverse("board-pack-json", kwargs={"quarter": quarter})).content)
    assert data["quarter"] == "2024-q4"
    pdf = client.get(reverse("board-pack-pdf", kwargs={"quarter": quarter}))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
