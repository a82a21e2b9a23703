"""The theme map: police.uk categories, partner indicators and survey concerns -> themes.

It is configuration. The shipped default (``reference/config/themes.yaml``) follows the themes
of a typical Strategic Assessment: violence (with domestic abuse and the night-time economy),
anti-social behaviour, substance misuse, re-offending, road safety and acquisitive crime. A
partnership gives its own with ``cspkit assess --themes FILE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cspkit.errors import InputError
from cspkit.reference import PACKAGE_DIR
from cspkit.warehouse.registry import slugify

DEFAULT_THEMES = PACKAGE_DIR / "config" / "themes.yaml"


@dataclass(frozen=True)
class Theme:
    """A theme and what belongs with it (indicator ids; survey options as worded)."""

    id: str
    name: str
    indicators: tuple[str, ...]
    survey: tuple[str, ...]
    cross_cutting: bool = False


@dataclass(frozen=True)
class ThemeMap:
    themes: tuple[Theme, ...]

    def themes_of(self, indicator_id: str) -> tuple[str, ...]:
        """Ids of the themes an indicator belongs to."""
        return tuple(t.id for t in self.themes if indicator_id in t.indicators)

    def themes_of_concern(self, option: str) -> tuple[str, ...]:
        """Ids of the themes a survey option belongs to (case-insensitive)."""
        low = option.strip().lower()
        return tuple(t.id for t in self.themes if low in {s.lower() for s in t.survey})

    def name(self, theme_id: str) -> str:
        return next((t.name for t in self.themes if t.id == theme_id), theme_id)


def _list(item: dict[str, Any], key: str, where: str, file: str) -> tuple[str, ...]:
    value = item.get(key) or []
    if not isinstance(value, list):
        raise InputError(f"expected a list for '{key}'", file=file, column=where)
    return tuple(str(v) for v in value)


def load_theme_map(path: Path | None = None) -> ThemeMap:
    """The theme map from ``path`` (default: the shipped map)."""
    path = path or DEFAULT_THEMES
    file = path.name
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot be read as YAML ({exc})", file=file) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("themes"), list):
        raise InputError("expected a mapping with a list 'themes'", file=file)
    themes = []
    for i, item in enumerate(doc["themes"]):
        where = f"themes[{i}]"
        if not isinstance(item, dict) or not item.get("id") or not item.get("name"):
            raise InputError("expected a mapping with 'id' and 'name'", file=file, column=where)
        police = tuple(slugify(c) for c in _list(item, "police", where, file))
        themes.append(
            Theme(
                id=str(item["id"]),
                name=str(item["name"]),
                indicators=police + _list(item, "indicators", where, file),
                survey=_list(item, "survey", where, file),
                cross_cutting=bool(item.get("cross_cutting", False)),
            )
        )
    return ThemeMap(tuple(themes))
