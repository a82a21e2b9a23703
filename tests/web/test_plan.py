"""The plan: loading the example YAML, editing actions, the audit log, data formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cspkit.errors import InputError
from cspkit.web.plan.loader import EXAMPLE_PLAN, load_plan
from cspkit.web.plan.models import Action, AuditEntry, Group, Priority, ProgressNote


def test_example_plan_reproduces_the_seed_structure(plan: None) -> None:
    core = Priority.objects.filter(kind="core")
    assert core.count() == 4
    assert Priority.objects.filter(kind="theme").count() == 6
    assert (
        Group.objects.get(slug="socp")
        .priorities.filter(slug="serious-violent-organised-crime")
        .exists()
    )
    assert Group.objects.get(slug="dcsm").name == "District Contextual Safeguarding Meeting"


def test_loading_twice_changes_nothing(plan: None) -> None:
    before = (Action.objects.count(), Group.objects.count(), AuditEntry.objects.count())
    load_plan(EXAMPLE_PLAN)
    assert (Action.objects.count(), Group.objects.count()) == before[:2]
    assert AuditEntry.objects.count() == before[2]


def test_loader_names_file_and_key(db: None, tmp_path: Path) -> None:
    bad = tmp_path / "plan.yaml"
    bad.write_text(
        "partnership: {name: P, area_code: E1, area_name: A}\n"
        "plan: {title: T, start_year: 2022, end_year: 2025}\n"
        "priorities: [{slug: p, title: P}]\n"
        "actions: [{ref: A-1, priority: nope, group: g, title: x}]\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_plan(bad)
    assert "plan.yaml" in str(err.value) and "actions[0]" in str(err.value)
    assert "unknown priority 'nope'" in str(err.value)


def test_loader_rejects_missing_section(db: None, tmp_path: Path) -> None:
    bad = tmp_path / "plan.yaml"
    bad.write_text("plan: {}\n", encoding="utf-8")
    with pytest.raises(InputError, match="partnership"):
        load_plan(bad)


def test_editing_an_action_keeps_history_and_audits(people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["member"])
    action = Action.objects.get(ref="DA-1")
    url = reverse("action-edit", kwargs={"pk": action.pk})
    response = client.post(url, {"status": "at-risk", "due_date": "2025-06-30", "note": "Delayed"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "at-risk"
    note = ProgressNote.objects.get(action=action)
    assert note.text == "Delayed" and note.author == people["member"]
    entry = AuditEntry.objects.filter(model="Action", object_id=str(action.pk)).first()
    assert entry is not None
    assert entry.username == "member.person"
    assert entry.change == "updated"
    assert entry.changes["status"] == ["on-track", "at-risk"]


def test_action_edit_needs_csrf_and_its_required_fields(people: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["manager"])
    action = Action.objects.get(ref="SOC-1")
    url = reverse("action-edit", kwargs={"pk": action.pk})
    assert client.post(url, {"status": "complete", "note": "x"}).status_code == 403
    client = Client()
    client.force_login(people["manager"])
    response = client.post(url, {"status": "complete", "note": ""})
    assert response.status_code == 200
    assert b"This field is required" in response.content


def test_loader_changes_are_audited_as_the_loader(plan: None) -> None:
    entry = AuditEntry.objects.filter(model="Action").last()
    assert entry is not None and entry.username == "plan load" and entry.change == "created"


def test_actions_as_csv_and_json(people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["bystander"])
    rows = list(csv.DictReader(io.StringIO(client.get("/manage/actions.csv").content.decode())))
    assert len(rows) == Action.objects.count()
    assert {"ref", "status", "due_date", "owner_agency", "overdue"} <= set(rows[0])
    data = json.loads(client.get("/manage/actions.json").content)
    assert {r["ref"] for r in data} == {r["ref"] for r in rows}


def test_overdue_filter(people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["manager"])
    data = json.loads(client.get("/manage/actions.json?overdue=1").content)
    assert data and all(r["overdue"] for r in data)


def test_audit_log_csv(people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["manager"])
    text = client.get("/manage/audit.csv").content.decode()
    assert text.startswith("when,user,change,record_type")


def test_security_headers(people: dict[str, Any]) -> None:
    response = Client().get("/plan/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_security_settings() -> None:
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert any("MinimumLength" in v["NAME"] for v in settings.AUTH_PASSWORD_VALIDATORS)


def test_settings_are_documented() -> None:
    from cspkit.web.settings import ENV_SETTINGS

    docs = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text(encoding="utf-8")
    missing = [name for name in ENV_SETTINGS if name not in docs]
    assert missing == []


def test_database_vendor_matches_the_run(db: None) -> None:
    import os

    from django.db import connection

    expected = "postgresql" if os.environ.get("CSPKIT_TEST_DB") == "postgresql" else "sqlite"
    assert connection.vendor == expected
