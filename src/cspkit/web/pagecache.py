"""Shared page parts, rendered once: what a page shows everyone who may see it.

The dashboard, an indicator page and the public plan read the plan, run the statistics on
warehouse series and render templates: tens of milliseconds of work whose result changes only
when the plan data changes or a new warehouse is published. So the shared part of such a page
(its HTML body, or its JSON or CSV) is cached under a key that changes with either:

- the warehouse file's identity (inode, modification time and size): a load publishes a new
  file by rename, so the first request after it misses the cache and reads the new file;
- the plan data version, the id of the latest audit-log entry: every change to plan or
  monitoring data writes one in the same transaction, in whichever process made it;
- and entries live at most ``SHARED_PAGE_SECONDS``, which bounds how long a change outside
  the audit log (a person's name changed in the admin site) can go unseen.

The key is read before the data, so a part is never stored under a newer key than its data.
The shared part is rendered without the request, so nothing personal (who is signed in, a
CSRF token) can be cached; the page's shell around it (navigation, the sign-out form) is
rendered for each request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from cspkit.web.indicators import warehouse_identity
from cspkit.web.pages import (
    CSV,
    JSON,
    Page,
    alternate_links,
    csv_response,
    json_response,
    table_csv,
    to_json,
)
from cspkit.web.plan.models import AuditEntry, PlanPeriod

#: Longest time a shared part is reused, whatever the versions say.
SHARED_PAGE_SECONDS = 60
#: Attribute of the request that remembers its data version.
VERSION_ATTR = "_cspkit_data_version"


def plan_version() -> int:
    """The plan data version: the id of the latest audit-log entry (0 before any change)."""
    latest = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    return latest or 0


def data_version(request: HttpRequest | None = None) -> str:
    """Warehouse identity and plan data version; remembered for the rest of ``request``."""
    remembered: str | None = getattr(request, VERSION_ATTR, None)
    if remembered is not None:
        return remembered
    version = f"{warehouse_identity()}:{plan_version()}"
    if request is not None:
        setattr(request, VERSION_ATTR, version)
    return version


def current_plan(request: HttpRequest | None = None) -> PlanPeriod | None:
    """The current plan (the most recent one), or None before any is loaded; cached."""
    key = f"plan:{data_version(request)}"
    cached: tuple[PlanPeriod | None] | None = cache.get(key)
    if cached is not None:
        return cached[0]
    plan = PlanPeriod.objects.select_related("partnership").first()
    cache.set(key, (plan,), SHARED_PAGE_SECONDS)
    return plan


@dataclass(frozen=True)
class SharedPart:
    """A page's shared part in one format: an HTML body, or the JSON or CSV text."""

    title: str
    fmt: str
    text: str
    has_table: bool


def shared_part(request: HttpRequest, name: str, fmt: str, build: Callable[[], Page]) -> SharedPart:
    """The cached shared part of page ``name`` in ``fmt``, built and rendered on a miss.

    ``build`` returns a :class:`Page` whose template renders the body without the request.
    """
    key = f"page:{name}:{fmt}:{data_version(request)}"
    cached: SharedPart | None = cache.get(key)
    if cached is not None:
        return cached
    page = build()
    if fmt == JSON:
        text = to_json(page.data)
    elif fmt == CSV:
        text = table_csv(page)
    else:
        text = render_to_string(page.template, page.context)
    part = SharedPart(page.title, fmt, text, page.table is not None)
    cache.set(key, part, SHARED_PAGE_SECONDS)
    return part


def respond_shared(
    request: HttpRequest, part: SharedPart, shell: str, context: dict[str, Any] | None = None
) -> HttpResponse:
    """The response: JSON or CSV as cached, or HTML with the body inside the page's shell."""
    if part.fmt == JSON:
        return json_response(part.text)
    if part.fmt == CSV:
        return csv_response(request, part.text)
    full = {
        **(context or {}),
        "title": part.title,
        "alternates": alternate_links(request, has_table=part.has_table),
        # Rendered by our own templates, which escape every value.
        "body": mark_safe(part.text),
    }
    return render(request, shell, full)
