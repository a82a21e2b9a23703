"""Plan records as plain data for JSON and CSV (one place, so every page agrees)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cspkit.web.plan.models import (
    Action,
    AuditEntry,
    FundingApplication,
    Group,
    Priority,
    ProgressNote,
)

if TYPE_CHECKING:
    from cspkit.web.monitoring.asat import ActionAsAt


def action_row(action: Action | ActionAsAt) -> dict[str, Any]:
    """One action as a flat row (today's, or as it stood at a past quarter's end)."""
    return {
        "id": action.pk,
        "ref": action.ref,
        "title": action.title,
        "priority": action.priority.slug,
        "group": action.group.name,
        "owner_agency": str(action.owner_agency) if action.owner_agency else "",
        "owner": action.owner.get_username() if action.owner else "",
        "due_date": action.due_date,
        "status": action.status,
        "overdue": action.is_overdue(),
        "measure": action.measure,
    }


def note_row(note: ProgressNote) -> dict[str, Any]:
    """One progress note."""
    return {
        "created": note.created,
        "author": note.author.get_username() if note.author else "",
        "status": note.status,
        "text": note.text,
    }


def priority_data(priority: Priority) -> dict[str, Any]:
    """A priority or theme with its text."""
    return {
        "slug": priority.slug,
        "kind": priority.kind,
        "title": priority.title,
        "strapline": priority.strapline,
        "objective": priority.objective,
        "why_it_matters": priority.why_it_matters,
        "focus": priority.focus_points,
        "what_we_will_do": priority.will_do_points,
    }


def group_row(group: Group) -> dict[str, Any]:
    """A group as a flat row (members as agency names separated by semicolons)."""
    return {
        "slug": group.slug,
        "name": group.name,
        "kind": group.kind,
        "chair": group.chair.get_username() if group.chair else "",
        "chair_agency": str(group.chair_agency) if group.chair_agency else "",
        "priorities": "; ".join(p.slug for p in group.priorities.all()),
        "members": "; ".join(str(m.agency) for m in group.memberships.all()),
    }


def funding_row(app: FundingApplication) -> dict[str, Any]:
    """A funding application."""
    return {
        "group": app.group.name,
        "title": app.title,
        "funder": app.funder,
        "status": app.status,
        "amount_requested": app.amount_requested,
        "amount_awarded": app.amount_awarded,
        "submitted_on": app.submitted_on,
        "decided_on": app.decided_on,
        "purpose": app.purpose,
    }


def audit_row(entry: AuditEntry) -> dict[str, Any]:
    """An audit log entry."""
    return {
        "when": entry.when,
        "user": entry.username,
        "change": entry.change,
        "record_type": entry.model,
        "record_id": entry.object_id,
        "record": entry.object_repr,
        "changes": entry.changes,
    }
