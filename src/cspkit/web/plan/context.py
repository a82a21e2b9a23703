"""Template context shared by every page: the partnership's name and the visitor's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cspkit.web.plan import permissions
from cspkit.web.plan.models import PlanPeriod


def current_plan() -> PlanPeriod | None:
    """The current plan (the most recent one marked current), or None before any is loaded."""
    return PlanPeriod.objects.select_related("partnership").first()


def site(request: HttpRequest) -> dict[str, Any]:
    """Adds ``site_plan`` and ``user_role`` to every template."""
    user = getattr(request, "user", None)
    role = permissions.role_of(user) if user is not None else permissions.PUBLIC
    return {"site_plan": current_plan(), "user_role": role}
