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


#: Making Data Count icon colours by what the latest point shows.
_VARIATION_CLASS = {
    "common cause": "common",
    "special cause – improvement": "improvement",
    "special cause – concern": "concern",
    "special cause – neither (high)": "neither",
    "special cause – neither (low)": "neither",
}
_ASSURANCE_ICON = {
    "consistently passes the target": ("pass", "P"),
    "consistently fails the target": ("fail", "F"),
    "inconsistently passes and fails the target": ("hit-and-miss", "?"),
}


@register.inclusion_tag("plan/mdc_icons.html")
def mdc_icons(status: Any) -> dict[str, Any]:
    """The Making Data Count variation and assurance icons of an indicator's status."""
    spc = getattr(status, "spc", None)
    if spc is None:
        return {"variation": None, "assurance": None}
    summary = spc.summary
    kind = summary.variation.value
    if kind == "common cause":
        letter = "~"
    elif kind.endswith("(high)") or kind.endswith("(low)"):
        letter = "H" if kind.endswith("(high)") else "L"
    else:
        higher_is_better = status.polarity.value == "higher-is-better"
        better = kind.endswith("improvement")
        letter = "H" if better == higher_is_better else "L"
    assured = summary.assurance.value if summary.assurance is not None else None
    return {
        "variation": (_VARIATION_CLASS.get(kind, "common"), letter, f"Variation: {kind}"),
        "assurance": ((*_ASSURANCE_ICON[assured], f"Assurance: {assured}") if assured else None),
    }
