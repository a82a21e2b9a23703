"""Actions as they stood at a past moment, rebuilt from the audit log.

Every change to an action is in the audit log with each field's old and new value, so the
value a field had at the end of a quarter is the old value of its first change after that
moment (or today's value when it has not changed since). An action created after the moment
did not exist then, unless ``plan load`` created it: a plan loaded from its YAML file
describes actions that were already under way (their creation date is unknown), so they count
from the plan's start. Progress notes are dated, so the history is cut at the moment too.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from cspkit.web.plan.loader import LOADER_LABEL
from cspkit.web.plan.models import (
    CLOSED_STATUSES,
    Action,
    ActionStatus,
    Agency,
    AuditEntry,
    Group,
    Priority,
)

ACTION_MODEL_LABEL = "Action"
#: Fields whose past values the board pack shows.
TRACKED = ("status", "due_date", "retired", "title", "owner_agency")


@dataclass(frozen=True)
class ActionAsAt:
    """An action's fields as they were at ``moment`` (the same names the templates use)."""

    pk: int
    ref: str
    title: str
    priority: Priority
    group: Group
    owner_agency: Agency | None
    owner: Any
    due_date: datetime.date | None
    status: str
    day: datetime.date
    measure: str = ""

    def get_status_display(self) -> str:
        """The status in words."""
        return str(ActionStatus(self.status).label)

    def is_overdue(self) -> bool:
        """Past its due date on ``day`` and neither complete nor cancelled."""
        return (
            self.due_date is not None
            and self.due_date < self.day
            and self.status not in CLOSED_STATUSES
        )


def _later_changes(pks: list[int], moment: datetime.datetime) -> dict[int, list[AuditEntry]]:
    found: dict[int, list[AuditEntry]] = defaultdict(list)
    entries = AuditEntry.objects.filter(
        model=ACTION_MODEL_LABEL, object_id__in=[str(pk) for pk in pks], when__gt=moment
    ).order_by("when", "pk")
    for entry in entries:
        found[int(entry.object_id)].append(entry)
    return found


def actions_at(actions: QuerySet[Action], moment: datetime.datetime) -> list[ActionAsAt]:
    """The actions that existed (and were not retired) at ``moment``, with their values then."""
    live = list(actions.select_related("priority", "group", "owner_agency", "owner"))
    later = _later_changes([a.pk for a in live], moment)
    agencies = {a.pk: a for a in Agency.objects.all()}
    day = moment.date()
    result = []
    for action in live:
        values: dict[str, Any] = {
            "status": action.status,
            "due_date": action.due_date.isoformat() if action.due_date else None,
            "retired": action.retired,
            "title": action.title,
            "owner_agency": action.owner_agency_id,
        }
        created_later = False
        seen: set[str] = set()
        for entry in later.get(action.pk, []):
            if entry.change == AuditEntry.Change.CREATED:
                if entry.username != LOADER_LABEL:
                    created_later = True
                    break
                continue
            for name in TRACKED:
                if name in entry.changes and name not in seen:
                    values[name] = entry.changes[name][0]
                    seen.add(name)
        if created_later or values["retired"]:
            continue
        due = values["due_date"]
        result.append(
            ActionAsAt(
                pk=action.pk,
                ref=action.ref,
                title=str(values["title"]),
                priority=action.priority,
                group=action.group,
                owner_agency=agencies.get(values["owner_agency"])
                if values["owner_agency"]
                else None,
                owner=action.owner,
                due_date=datetime.date.fromisoformat(due) if due else None,
                status=str(values["status"]),
                day=day,
                measure=action.measure,
            )
        )
    return result
