"""Load a Partnership Plan from YAML (``cspkit plan load FILE.yaml``).

Loading is idempotent: records are matched by their natural keys (agency name, priority slug,
group slug, action ref, indicator slug) and updated, so a plan can be re-loaded after edits to
the file. Progress notes, reports and manual values entered in the app are kept.

A load never overwrites silently: when the file would change a record that already exists
(an action's status or due date set in the application, say), nothing is written and the
changes are listed in :class:`WouldOverwrite`; ``overwrite=True`` makes them.
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from cspkit.errors import CspkitError, InputError
from cspkit.stats.polarity import Polarity
from cspkit.web.plan import audit
from cspkit.web.plan.models import (
    PARTNERSHIP_SETTINGS,
    Action,
    ActionStatus,
    Agency,
    AuditEntry,
    FundingApplication,
    Group,
    Indicator,
    ManualValue,
    Membership,
    Partnership,
    PlanPeriod,
    Priority,
)

EXAMPLE_PLAN = Path(__file__).resolve().parent.parent / "plans" / "maidstone-2022-2025.yaml"
LOADER_LABEL = "plan load"
REQUIRED_SECTIONS = ("partnership", "plan", "priorities")


@dataclass
class LoadSummary:
    """How many records of each kind the file holds (created or updated)."""

    plan: str
    counts: dict[str, int] = field(default_factory=dict)
    overwritten: int = 0

    def add(self, kind: str) -> None:
        """Count one record of ``kind``."""
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def describe(self) -> str:
        """One line, e.g. 'Loaded Plan 2022-2025: 4 priorities, 6 themes, ...'."""
        parts = ", ".join(f"{n} {kind}" for kind, n in self.counts.items())
        replaced = f"; {self.overwritten} field(s) replaced" if self.overwritten else ""
        return f"Loaded {self.plan}: {parts}{replaced}"


class _Reader:
    """Reads values from the YAML mapping, naming the file and key in every error."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, where: str, message: str) -> InputError:
        return InputError(message, file=str(self.path), column=where)

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(where, f"expected a mapping, found {type(value).__name__}")
        return value

    def items(self, doc: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = doc.get(key) or []
        if not isinstance(value, list):
            raise self.error(key, f"expected a list, found {type(value).__name__}")
        return [self.mapping(v, f"{key}[{i}]") for i, v in enumerate(value)]

    def text(self, item: dict[str, Any], key: str, where: str, required: bool = True) -> str:
        value = item.get(key)
        if value is None or value == "":
            if required:
                raise self.error(f"{where}.{key}", "a value is required")
            return ""
        if isinstance(value, list):
            return "\n".join(str(v).strip() for v in value)
        return str(value).strip()

    def date(self, item: dict[str, Any], key: str, where: str) -> datetime.date | None:
        value = item.get(key)
        if value is None or isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError as exc:
            raise self.error(
                f"{where}.{key}", f"expected a date YYYY-MM-DD, found {value!r}"
            ) from exc

    def number(self, item: dict[str, Any], key: str, where: str) -> float | None:
        value = item.get(key)
        if value is None:
            return None
        try:
            return float(value)
        except (TypeError, ValueError) as exc:
            raise self.error(f"{where}.{key}", f"expected a number, found {value!r}") from exc

    def choice(
        self, item: dict[str, Any], key: str, where: str, allowed: list[str], default: str
    ) -> str:
        value = str(item.get(key) or default)
        if value not in allowed:
            raise self.error(
                f"{where}.{key}", f"expected one of {', '.join(allowed)}; found {value!r}"
            )
        return value


def read_plan_file(path: Path) -> dict[str, Any]:
    """Parse the YAML file and check its top-level sections."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError("no such file", file=str(path)) from exc
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", file=str(path)) from exc
    reader = _Reader(path)
    doc = reader.mapping(doc, "(top level)")
    for section in REQUIRED_SECTIONS:
        if section not in doc:
            raise reader.error(section, "this section is required")
    return doc


@dataclass(frozen=True)
class Overwrite:
    """One field of an existing record the file would change."""

    record: str
    field: str
    old: Any
    new: Any

    def describe(self) -> str:
        """E.g. 'Action SOC-1 ...: status on-track -> not-started'."""
        return f"{self.record}: {self.field} {self.old!r} -> {self.new!r}"


class WouldOverwrite(CspkitError):
    """The file would change records that already hold other values; nothing was written."""

    def __init__(self, path: Path, changes: list[Overwrite]) -> None:
        self.changes = changes
        lines = "\n".join(f"  {c.describe()}" for c in changes)
        super().__init__(
            f"{path}: loading would change {len(changes)} field(s) of records already in the "
            f"application (nothing was written):\n{lines}\nRun again with --overwrite to "
            "replace them with the file's values."
        )


def _overwrites(after_pk: int) -> list[Overwrite]:
    updates = AuditEntry.objects.filter(pk__gt=after_pk, change=AuditEntry.Change.UPDATED)
    return [
        Overwrite(f"{e.model} {e.object_repr}", name, values[0], values[1])
        for e in updates.order_by("pk")
        for name, values in e.changes.items()
    ]


def load_plan(path: Path | str, *, overwrite: bool = False) -> LoadSummary:
    """Create or update the plan described by the YAML file at ``path``.

    Raises :class:`WouldOverwrite` (and writes nothing) when the file would change values of
    existing records, unless ``overwrite``.
    """
    path = Path(path)
    doc = read_plan_file(path)
    with audit.acting_user(None, label=LOADER_LABEL), transaction.atomic():
        last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        summary = _load(_Reader(path), doc)
        changes = _overwrites(last)
        if changes and not overwrite:
            raise WouldOverwrite(path, changes)
        summary.overwritten = len(changes)
        return summary


def _load(r: _Reader, doc: dict[str, Any]) -> LoadSummary:
    p = r.mapping(doc["partnership"], "partnership")
    partnership, _ = Partnership.objects.update_or_create(
        name=r.text(p, "name", "partnership"),
        defaults={
            "short_name": r.text(p, "short_name", "partnership", required=False),
            "area_code": r.text(p, "area_code", "partnership"),
            "area_name": r.text(p, "area_name", "partnership"),
            **{k: r.text(p, k, "partnership") for k in PARTNERSHIP_SETTINGS if k in p},
        },
    )
    pl = r.mapping(doc["plan"], "plan")
    start_year = int(r.number(pl, "start_year", "plan") or 0)
    plan, _ = PlanPeriod.objects.update_or_create(
        partnership=partnership,
        start_year=start_year,
        defaults={
            "title": r.text(pl, "title", "plan"),
            "end_year": int(r.number(pl, "end_year", "plan") or start_year),
            "introduction": r.text(pl, "introduction", "plan", required=False),
            "is_current": bool(pl.get("is_current", True)),
        },
    )
    summary = LoadSummary(plan=plan.title)
    agencies = _agencies(r, doc, summary)
    priorities = _priorities(r, doc, plan, summary)
    groups = _groups(r, doc, plan, agencies, priorities, summary)
    _actions(r, doc, agencies, priorities, groups, summary)
    _indicators(r, doc, plan, partnership, priorities, summary)
    _funding(r, doc, groups, summary)
    return summary


def _agencies(r: _Reader, doc: dict[str, Any], summary: LoadSummary) -> dict[str, Agency]:
    found: dict[str, Agency] = {}
    for i, item in enumerate(r.items(doc, "agencies")):
        where = f"agencies[{i}]"
        agency, _ = Agency.objects.update_or_create(
            name=r.text(item, "name", where),
            defaults={"short_name": r.text(item, "short_name", where, required=False)},
        )
        found[agency.name] = agency
        if agency.short_name:
            found[agency.short_name] = agency
        summary.add("agencies")
    return found


def _lookup(r: _Reader, table: dict[str, Any], key: str, where: str, kind: str) -> Any:
    if key not in table:
        raise r.error(where, f"unknown {kind} {key!r}; known: {', '.join(sorted(table))}")
    return table[key]


def _priorities(
    r: _Reader, doc: dict[str, Any], plan: PlanPeriod, summary: LoadSummary
) -> dict[str, Priority]:
    found: dict[str, Priority] = {}
    for section, kind, label in (
        ("priorities", Priority.Kind.CORE, "priorities"),
        ("themes", Priority.Kind.THEME, "cross-cutting themes"),
    ):
        for i, item in enumerate(r.items(doc, section)):
            where = f"{section}[{i}]"
            priority, _ = Priority.objects.update_or_create(
                plan=plan,
                slug=r.text(item, "slug", where),
                defaults={
                    "kind": kind,
                    "order": i,
                    "title": r.text(item, "title", where),
                    "strapline": r.text(item, "strapline", where, required=False),
                    "objective": r.text(item, "objective", where, required=False),
                    "why_it_matters": r.text(item, "why_it_matters", where, required=False),
                    "focus": r.text(item, "focus", where, required=False),
                    "what_we_will_do": r.text(item, "what_we_will_do", where, required=False),
                },
            )
            found[priority.slug] = priority
            summary.add(label)
    return found


def _groups(
    r: _Reader,
    doc: dict[str, Any],
    plan: PlanPeriod,
    agencies: dict[str, Agency],
    priorities: dict[str, Priority],
    summary: LoadSummary,
) -> dict[str, Group]:
    found: dict[str, Group] = {}
    kinds = list(Group.Kind.values)
    for i, item in enumerate(r.items(doc, "groups")):
        where = f"groups[{i}]"
        chair = item.get("chair_agency")
        group, _ = Group.objects.update_or_create(
            plan=plan,
            slug=r.text(item, "slug", where),
            defaults={
                "name": r.text(item, "name", where),
                "kind": r.choice(item, "kind", where, kinds, "sub-group"),
                "purpose": r.text(item, "purpose", where, required=False),
                "chair_agency": (
                    _lookup(r, agencies, str(chair), f"{where}.chair_agency", "agency")
                    if chair
                    else None
                ),
            },
        )
        group.priorities.set(
            [
                _lookup(r, priorities, str(s), f"{where}.priorities", "priority")
                for s in item.get("priorities") or []
            ]
        )
        for name in item.get("members") or []:
            agency = _lookup(r, agencies, str(name), f"{where}.members", "agency")
            Membership.objects.get_or_create(group=group, agency=agency, user=None)
        found[group.slug] = group
        summary.add("groups")
    return found


def _actions(
    r: _Reader,
    doc: dict[str, Any],
    agencies: dict[str, Agency],
    priorities: dict[str, Priority],
    groups: dict[str, Group],
    summary: LoadSummary,
) -> None:
    statuses = list(ActionStatus.values)
    for i, item in enumerate(r.items(doc, "actions")):
        where = f"actions[{i}]"
        owner = item.get("owner_agency")
        Action.objects.update_or_create(
            priority=_lookup(r, priorities, r.text(item, "priority", where), where, "priority"),
            ref=r.text(item, "ref", where),
            defaults={
                "group": _lookup(r, groups, r.text(item, "group", where), where, "group"),
                "title": r.text(item, "title", where),
                "measure": r.text(item, "measure", where, required=False),
                "owner_agency": (
                    _lookup(r, agencies, str(owner), f"{where}.owner_agency", "agency")
                    if owner
                    else None
                ),
                "due_date": r.date(item, "due_date", where),
                "status": r.choice(item, "status", where, statuses, "not-started"),
            },
        )
        summary.add("actions")


def _indicators(
    r: _Reader,
    doc: dict[str, Any],
    plan: PlanPeriod,
    partnership: Partnership,
    priorities: dict[str, Priority],
    summary: LoadSummary,
) -> None:
    sources = list(Indicator.Source.values)
    polarities = [p.value for p in Polarity]
    for i, item in enumerate(r.items(doc, "indicators")):
        where = f"indicators[{i}]"
        priority = item.get("priority")
        source = r.choice(item, "source", where, sources, "warehouse")
        slug = r.text(item, "slug", where)
        indicator, _ = Indicator.objects.update_or_create(
            plan=plan,
            slug=slug,
            defaults={
                "name": r.text(item, "name", where),
                "priority": (
                    _lookup(r, priorities, str(priority), f"{where}.priority", "priority")
                    if priority
                    else None
                ),
                "source": source,
                "series_id": (
                    r.text(item, "series_id", where, required=False) or slug
                    if source == "warehouse"
                    else ""
                ),
                "area_code": r.text(item, "area_code", where, required=False)
                or partnership.area_code,
                "unit": r.text(item, "unit", where, required=False) or "count",
                "polarity": r.choice(
                    item, "polarity", where, polarities, Polarity.HIGHER_IS_WORSE.value
                ),
                "target": r.number(item, "target", where),
                "target_note": r.text(item, "target_note", where, required=False),
                "source_note": r.text(item, "source_note", where, required=False),
                "public": bool(item.get("public", True)),
            },
        )
        for j, value in enumerate(r.items(item, "values")):
            vw = f"{where}.values[{j}]"
            month = r.date(value, "month", vw)
            if month is None:
                raise r.error(f"{vw}.month", "a month (YYYY-MM-01) is required")
            ManualValue.objects.update_or_create(
                indicator=indicator,
                month=month.replace(day=1),
                defaults={"value": r.number(value, "value", vw) or 0.0},
            )
        summary.add("indicators")


def _funding(
    r: _Reader, doc: dict[str, Any], groups: dict[str, Group], summary: LoadSummary
) -> None:
    statuses = list(FundingApplication.Status.values)
    for i, item in enumerate(r.items(doc, "funding")):
        where = f"funding[{i}]"
        awarded = r.number(item, "amount_awarded", where)
        FundingApplication.objects.update_or_create(
            group=_lookup(r, groups, r.text(item, "group", where), where, "group"),
            title=r.text(item, "title", where),
            defaults={
                "funder": r.text(item, "funder", where),
                "purpose": r.text(item, "purpose", where, required=False),
                "amount_requested": decimal.Decimal(
                    str(r.number(item, "amount_requested", where) or 0)
                ),
                "amount_awarded": None if awarded is None else decimal.Decimal(str(awarded)),
                "status": r.choice(item, "status", where, statuses, "draft"),
                "submitted_on": r.date(item, "submitted_on", where),
                "decided_on": r.date(item, "decided_on", where),
            },
        )
        summary.add("funding applications")
