"""Board packs as at their quarter: actions, statuses and figures as they stood at its end."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cspkit.web.monitoring.asat import actions_at
from cspkit.web.monitoring.quarters import Quarter
from cspkit.web.plan.models import Action, AuditEntry, Group, Priority


def _pack(people: dict[str, Any], quarter: Quarter) -> dict[str, Any]:
    client = Client()
    client.force_login(people["manager"])
    response = client.get(reverse("board-pack-json", kwargs={"quarter": quarter}))
    assert response.status_code == 200
    data: dict[str, Any] = json.loads(response.content)
    return data


def test_a_past_quarter_shows_statuses_as_they_were(people: dict[str, Any]) -> None:
    quarter = Quarter(2024, 4)
    before = _pack(people, quarter)
    soc2 = Action.objects.get(ref="SOC-2")
    assert "SOC-2" in {r["ref"] for r in before["overdue_actions"]}
    # Completed today, long after the quarter ended: the past board pack must not change.
    soc2.status = "complete"
    soc2.save()
    Action.objects.create(
        priority=Priority.objects.get(slug="domestic-abuse"),
        group=Group.objects.get(slug="da-forum"),
        ref="DA-NEW",
        title="Added after the quarter",
        due_date=datetime.date(2024, 6, 30),
    )
    after = _pack(people, quarter)
    assert after["as_at"] == "2025-03-31"
    assert after["overdue_actions"] == before["overdue_actions"]
    assert after["actions_by_status"] == before["actions_by_status"]
    # The live dashboard shows today's state.
    client = Client()
    client.force_login(people["manager"])
    live = json.loads(client.get("/manage.json").content)
    assert "SOC-2" not in {r["ref"] for r in live["overdue_actions"]}


def test_figures_stop_at_the_quarter_end(people: dict[str, Any]) -> None:
    data = _pack(people, Quarter(2024, 3))
    manual = {i["slug"]: i for i in data["indicators"]}["sanctuary-referrals"]
    assert manual["latest_month"] == "2024-12-01"
    assert manual["latest_value"] == 10


def test_values_rebuilt_from_the_audit_log(plan: None) -> None:
    action = Action.objects.get(ref="SOC-1")
    moment = timezone.now()
    action.status = "at-risk"
    action.save()
    action.status = "complete"
    action.save()
    assert AuditEntry.objects.filter(object_id=str(action.pk), change="updated").count() == 2
    then = {a.ref: a for a in actions_at(Action.objects.filter(pk=action.pk), moment)}
    assert then["SOC-1"].status == "on-track"
    now = {a.ref: a for a in actions_at(Action.objects.filter(pk=action.pk), timezone.now())}
    assert now["SOC-1"].status == "complete"
