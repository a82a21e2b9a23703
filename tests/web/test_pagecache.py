"""Shared pages: rendered once per plan and warehouse version, never with anyone's own details."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any

from django.test import Client

from cspkit.web import pagecache
from cspkit.web.indicators import WAREHOUSE_ABSENT, warehouse_identity, warehouse_path
from cspkit.web.plan.models import Action, ActionStatus

DASHBOARD_JSON = "/manage.json"
LONG_AGO = datetime.date(2000, 1, 1)


def _signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_each_person_sees_their_own_greeting(people: dict[str, Any]) -> None:
    manager = _signed_in(people["manager"]).get("/manage/").content.decode()
    chair = _signed_in(people["chair"]).get("/manage/").content.decode()
    assert "Signed in as manager.person (manager)" in manager
    assert "Signed in as chair.person (chair)" in chair
    assert "Your groups" in chair and "Your groups" not in manager
    assert "chair.person" not in manager and "manager.person" not in chair


def test_a_change_to_plan_data_shows_at_once(people: dict[str, Any]) -> None:
    client = _signed_in(people["manager"])
    before = json.loads(client.get(DASHBOARD_JSON).content)["overdue_actions"]
    action = Action.objects.exclude(ref__in=[a["ref"] for a in before]).first()
    assert action is not None
    action.due_date, action.status = LONG_AGO, ActionStatus.AT_RISK
    action.save()
    after = json.loads(client.get(DASHBOARD_JSON).content)["overdue_actions"]
    assert action.ref in [a["ref"] for a in after]


def test_shared_part_is_reused_within_a_version(people: dict[str, Any]) -> None:
    client = _signed_in(people["bystander"])
    first = client.get("/manage/indicators/anti-social-behaviour.json").content
    Action.objects.update(title="Changed without the audit log")  # no new version
    assert client.get("/manage/indicators/anti-social-behaviour.json").content == first
    csv = client.get("/manage/indicators/anti-social-behaviour.csv")
    assert csv["Content-Disposition"].startswith("attachment")


def test_a_published_warehouse_has_a_new_identity(db: None) -> None:
    path = warehouse_path()
    assert warehouse_identity(path) == WAREHOUSE_ABSENT
    path.write_bytes(b"old warehouse")
    try:
        old_version = pagecache.data_version()
        draft = path.with_name(f".{path.name}.draft")
        draft.write_bytes(b"new warehouse")
        os.replace(draft, path)  # as a load publishes
        assert warehouse_identity(path) != WAREHOUSE_ABSENT
        assert pagecache.data_version() != old_version
    finally:
        Path(path).unlink()
