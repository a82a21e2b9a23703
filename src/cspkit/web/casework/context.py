"""Template context for the site's header: whether the visitor works on ASB Case Reviews."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cspkit.web.casework.access import is_caseworker


def caseworker(request: HttpRequest) -> dict[str, Any]:
    """Adds ``caseworker``: true for managers and case officers (asked only when a page uses it)."""
    user = getattr(request, "user", None)
    return {"caseworker": SimpleLazyObject(lambda: user is not None and is_caseworker(user))}
