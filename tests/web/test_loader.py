"""``plan load`` never overwrites what people entered in the application without --overwrite."""

from __future__ import annotations

import datetime

import pytest
from click.testing import CliRunner

from cspkit.web.plan.loader import EXAMPLE_PLAN, WouldOverwrite, load_plan
from cspkit.web.plan.models import Action, AuditEntry, ProgressNote


def _edit_in_the_app() -> Action:
    action = Action.objects.get(ref="SOC-1")
    action.status = "complete"
    action.due_date = datetime.date(2025, 1, 15)
    action.save()
    ProgressNote.objects.create(action=action, status="complete", text="Done")
    return action


def test_reload_refuses_to_overwrite_and_lists_the_changes(plan: None) -> None:
    action = _edit_in_the_app()
    entries = AuditEntry.objects.count()
    with pytest.raises(WouldOverwrite) as err:
        load_plan(EXAMPLE_PLAN)
    message = str(err.value)
    assert "SOC-1" in message and "status 'complete' -> 'on-track'" in message
    assert "due_date '2025-01-15'" in message and "--overwrite" in message
    action.refresh_from_db()
    assert action.status == "complete" and action.due_date == datetime.date(2025, 1, 15)
    assert AuditEntry.objects.count() == entries  # nothing written, not even the log


def test_overwrite_replaces_but_keeps_notes(plan: None) -> None:
    action = _edit_in_the_app()
    summary = load_plan(EXAMPLE_PLAN, overwrite=True)
    assert summary.overwritten == 2 and "2 field(s) replaced" in summary.describe()
    action.refresh_from_db()
    assert action.status == "on-track"
    assert action.notes.filter(text="Done").exists()


def test_cli_names_the_option(plan: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from cspkit.web import cli

    _edit_in_the_app()
    monkeypatch.setattr("cspkit.web.server.setup", lambda db=None: None)
    result = CliRunner().invoke(cli.plan, ["load", str(EXAMPLE_PLAN)])
    assert result.exit_code != 0
    assert isinstance(result.exception, WouldOverwrite)
