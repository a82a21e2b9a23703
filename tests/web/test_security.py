"""Roles that hold: sign-in lockout, password change and reset, createadmin's password rules,
CSV formulas neutralised, private files, impossible quarters."""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.core import mail
from django.test import Client
from django.urls import reverse

from cspkit.errors import CspkitError
from cspkit.web.pages import neutralise, to_csv
from cspkit.web.plan.models import Action, AuditEntry
from tests.web.conftest import TEST_PASSWORD


def _try(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failures_lock_the_account_with_an_audit_entry(people: dict[str, Any]) -> None:
    client = Client()
    for _ in range(5):
        assert _try(client, "member.person", "wrong password").status_code in (200, 429)
    locked = _try(client, "member.person", TEST_PASSWORD)
    assert locked.status_code == 429
    assert b"Too many failed attempts" in locked.content
    entries = list(AuditEntry.objects.filter(change="locked-out"))
    assert entries, "the lockout is in the audit log"
    assert {(e.username, e.model) for e in entries} == {("member.person", "Sign-in")}


def test_a_good_password_still_signs_in_after_fewer_failures(people: dict[str, Any]) -> None:
    client = Client()
    for _ in range(3):
        _try(client, "chair.person", "wrong password")
    assert _try(client, "chair.person", TEST_PASSWORD).status_code == 302


def test_password_change_and_reset(people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["member"])
    new = "a different long password 2"
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    people["member"].refresh_from_db()
    assert people["member"].check_password(new)
    weak = client.post(
        reverse("password_change"),
        {"old_password": new, "new_password1": "12345", "new_password2": "12345"},
    )
    assert weak.status_code == 200 and b"too short" in weak.content
    Client().post(reverse("password_reset"), {"email": "chair@example.org"})
    assert len(mail.outbox) == 1 and "/accounts/password/reset/" in mail.outbox[0].body


def test_csv_cells_that_start_a_formula_are_neutralised(people: dict[str, Any]) -> None:
    assert neutralise("=1+1") == "'=1+1" and neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("\tx") == "'\tx" and neutralise(-5) == -5 and neutralise("safe") == "safe"
    assert to_csv([{"a": "+44 1622"}]).splitlines()[1] == "'+44 1622"
    Action.objects.filter(ref="SOC-1").update(title='=HYPERLINK("http://evil","x")')
    client = Client()
    client.force_login(people["member"])
    rows = csv.DictReader(io.StringIO(client.get("/manage/actions.csv").content.decode()))
    titles = {r["ref"]: r["title"] for r in rows}
    assert titles["SOC-1"].startswith("'=HYPERLINK")


def test_createadmin_applies_the_password_rules(db: None) -> None:
    from cspkit.web.server import create_admin

    with pytest.raises(CspkitError, match="too short"):
        create_admin("weak.admin", "short")
    with pytest.raises(CspkitError, match="too common"):
        create_admin("common.admin", "password1234")
    made = create_admin("good.admin", "a sensible long pass phrase", "admin@example.org")
    assert made.username == "good.admin"


def test_createadmin_reads_the_password_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cspkit.web.cli import createadmin

    monkeypatch.setattr("cspkit.web.server.setup", lambda db=None: None)
    monkeypatch.setattr("cspkit.web.server.migrate", lambda verbosity=0: None)
    seen: dict[str, Any] = {}

    def fake_create(username: str, password: str | None, email: str) -> Any:
        seen.update(username=username, password=password)
        from cspkit.web.server import NewAdmin

        return NewAdmin(username, password or "")

    monkeypatch.setattr("cspkit.web.server.create_admin", fake_create)
    result = CliRunner().invoke(
        createadmin, ["--username", "env.admin"], env={"CSPKIT_ADMIN_PASSWORD": "from env 12345"}
    )
    assert result.exit_code == 0, result.output
    assert seen == {"username": "env.admin", "password": "from env 12345"}
    assert "from env" not in result.output


def test_web_database_and_first_admin_file_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cspkit.web.files import ensure_private_web_db
    from cspkit.web.server import NewAdmin, write_first_admin

    monkeypatch.setenv("CSPKIT_WEB_DB", str(tmp_path / "web.sqlite3"))
    old = os.umask(0o022)
    try:
        path = ensure_private_web_db()
        kept = write_first_admin(NewAdmin("admin", "s3cret-value"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert "s3cret-value" in kept.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "path",
    [
        "/manage/board-pack/0000-q1/",
        "/manage/board-pack/9999-q4/",
        "/manage/board-pack/2019-q1/",
        "/manage/board-pack/2025-q1/",
        "/manage/board-pack/2019-q1.pdf",
        "/manage/board-pack/2019-q1.json",
        "/manage/groups/socp/report/2021-q4/",
    ],
)
def test_impossible_quarters_are_not_found(people: dict[str, Any], path: str) -> None:
    client = Client()
    client.force_login(people["manager"])
    assert client.get(path).status_code == 404
