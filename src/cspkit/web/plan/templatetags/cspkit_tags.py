"""Template filters: look up a form field or a dictionary entry by a name held in a variable."""

from __future__ import annotations

from typing import Any

from django import forms, template

register = template.Library()


@register.filter
def getfield(form: forms.Form, name: str) -> forms.BoundField:
    """``form|getfield:name`` is ``form[name]``."""
    return form[name]


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    """``mapping|get:key`` is ``mapping.get(key)``."""
    return mapping.get(key)
