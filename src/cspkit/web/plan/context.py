"""Template context shared by every page: the partnership's name and the visitor's role."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

from cspkit.web import pagecache
from cspkit.web.plan import permissions
from cspkit.web.plan.models import PlanPeriod


def current_plan() -> PlanPeriod | None:
    """The current plan (the most recent one marked current), or None before any is loaded."""
    return PlanPeriod.objects.select_related("partnership").first()


#: Pages the site's header and footer link to (URL names).
NAV_PAGES = (
    "actions",
    "admin:index",
    "due",
    "my-actions",
    "partnership-settings",
    "password_change",
    "people",
    "audit",
    "board-pack-index",
    "dashboard",
    "funding",
    "groups",
    "indicators",
    "login",
    "logout",
    "plan-overview",
    "public-asb",
    "public-plan",
    "public-report",
    "reports",
    "casework-about",
    "casework-dashboard",
)


@functools.cache
def _nav_urls(script_prefix: str) -> dict[str, str]:
    return {name.replace("-", "_").replace(":index", ""): reverse(name) for name in NAV_PAGES}


def nav_urls() -> dict[str, str]:
    """Addresses of the header and footer links, worked out once (they never change)."""
    return _nav_urls(get_script_prefix())


def site(request: HttpRequest) -> dict[str, Any]:
    """Adds ``site_plan``, ``user_role`` and ``nav`` (header links) to every template."""
    user = getattr(request, "user", None)
    role = permissions.role_of(user) if user is not None else permissions.PUBLIC
    return {"site_plan": pagecache.current_plan(request), "user_role": role, "nav": nav_urls()}
