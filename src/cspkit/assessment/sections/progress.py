"""Progress on the current priorities, read from the partnership's plan (YAML).

For each priority of the plan: its indicators' latest month, SPC reading and target assurance
(warehouse series computed from the warehouse; manual series from the plan's own values), and
its actions by status, with those past their due date and not complete counted as overdue.
The plan file has the layout ``cspkit plan load`` reads (partnership, plan, priorities, themes,
actions, indicators).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import yaml

from cspkit.assessment.context import SectionContext
from cspkit.errors import CspkitError, InputError
from cspkit.report.blocks import Block, Column, Paragraph, Section, Table
from cspkit.stats.periods import add_months, format_month
from cspkit.stats.polarity import Polarity
from cspkit.stats.spc import SpcOptions, xmr
from cspkit.warehouse.series import monthly_series

SECTION_ID = "progress"
TITLE = "Progress on current priorities"
CLOSED = ("complete", "cancelled")
SPC_MIN_MONTHS = 12


@dataclass(frozen=True)
class IndicatorProgress:
    priority: str
    indicator: str
    latest_month: str | None
    latest: float | None
    target: float | None
    variation: str
    assurance: str


@dataclass(frozen=True)
class ActionProgress:
    priority: str
    total: int
    complete: int
    on_track: int
    at_risk: int
    overdue: int
    overdue_refs: tuple[str, ...]


def read_plan(path: Path) -> dict[str, Any]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot be read as YAML ({exc})", file=path.name) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("priorities"), list):
        raise InputError("expected a plan with a list 'priorities'", file=path.name)
    return doc


def _series(
    con: duckdb.DuckDBPyConnection, item: dict[str, Any], code: str, last: date
) -> list[tuple[date, float]]:
    if item.get("source", "warehouse") == "warehouse" and item.get("series_id"):
        try:
            rows = monthly_series(con, str(item["series_id"]), code)
        except CspkitError:
            return []
    else:
        rows = [
            (
                v["month"] if isinstance(v["month"], date) else date.fromisoformat(str(v["month"])),
                float(v["value"]),
            )
            for v in item.get("values") or []
        ]
    return [(m, v) for m, v in rows if m <= last]


def indicator_progress(
    con: duckdb.DuckDBPyConnection,
    plan: dict[str, Any],
    ctx: SectionContext,
    titles: dict[str, str],
) -> list[IndicatorProgress]:
    out = []
    for item in plan.get("indicators") or []:
        slug = item.get("priority")
        if slug not in titles:
            continue
        series = _series(con, item, ctx.area.code, ctx.period.last)
        target = float(item["target"]) if item.get("target") is not None else None
        if len(series) < SPC_MIN_MONTHS:
            variation = f"fewer than {SPC_MIN_MONTHS} months" if series else "no data"
            assured = "not assessed"
        else:
            polarity = Polarity(item.get("polarity", "higher-is-worse"))
            result = xmr(
                [v for _, v in series],
                SpcOptions(polarity=polarity, target=target),
                labels=[format_month(m) for m, _ in series],
            )
            variation = result.summary.variation.value
            assured = (
                result.summary.assurance.value
                if result.summary.assurance
                else ("no target" if target is None else "not assessed")
            )
        out.append(
            IndicatorProgress(
                titles[slug],
                str(item.get("name", item.get("slug"))),
                format_month(series[-1][0]) if series else None,
                series[-1][1] if series else None,
                target,
                variation,
                assured,
            )
        )
    return out


def action_progress(
    plan: dict[str, Any], titles: dict[str, str], as_of: date
) -> list[ActionProgress]:
    out = []
    for slug, title in titles.items():
        actions = [a for a in plan.get("actions") or [] if a.get("priority") == slug]
        if not actions:
            continue
        status = [str(a.get("status", "not-started")) for a in actions]
        overdue = tuple(
            str(a.get("ref"))
            for a in actions
            if a.get("due_date")
            and str(a.get("status")) not in CLOSED
            and (
                a["due_date"]
                if isinstance(a["due_date"], date)
                else date.fromisoformat(str(a["due_date"]))
            )
            < as_of
        )
        out.append(
            ActionProgress(
                title,
                len(actions),
                status.count("complete"),
                status.count("on-track"),
                status.count("at-risk") + status.count("off-track"),
                len(overdue),
                overdue,
            )
        )
    return out


def progress_section(
    con: duckdb.DuckDBPyConnection, ctx: SectionContext, plan_path: Path
) -> Section:
    plan = read_plan(plan_path)
    titles = {str(p["slug"]): str(p.get("title", p["slug"])) for p in plan["priorities"]}
    titles.update(
        {str(t["slug"]): str(t.get("title", t["slug"])) for t in plan.get("themes") or []}
    )
    as_of = add_months(ctx.period.last, 1)
    inds = indicator_progress(con, plan, ctx, titles)
    acts = action_progress(plan, titles, as_of)
    name = (plan.get("plan") or {}).get("title", plan_path.name)
    blocks: list[Block] = [
        Paragraph(
            f"Progress against {name}, to the end of {ctx.period.label}. Indicators are read "
            "with statistical process control (the latest month's variation, and whether the "
            "process reliably meets its target); actions are counted by their recorded status, "
            "and an action past its due date and not complete is overdue."
        )
    ]
    if inds:
        blocks.append(
            Table(
                id="progress-indicators",
                caption="Indicators of the current priorities",
                columns=(
                    Column("Priority"),
                    Column("Indicator"),
                    Column("Latest month"),
                    Column("Latest value", numeric=True),
                    Column("Target", numeric=True),
                    Column("SPC (latest month)"),
                    Column("Target assurance"),
                ),
                rows=tuple(
                    (
                        i.priority,
                        i.indicator,
                        i.latest_month,
                        i.latest,
                        i.target,
                        i.variation,
                        i.assurance,
                    )
                    for i in inds
                ),
            )
        )
    if acts:
        blocks.append(
            Table(
                id="progress-actions",
                caption="Actions of the current priorities",
                columns=(
                    Column("Priority"),
                    Column("Actions", numeric=True),
                    Column("Complete", numeric=True),
                    Column("On track", numeric=True),
                    Column("At risk or off track", numeric=True),
                    Column("Overdue", numeric=True),
                    Column("Overdue actions"),
                ),
                rows=tuple(
                    (
                        a.priority,
                        a.total,
                        a.complete,
                        a.on_track,
                        a.at_risk,
                        a.overdue,
                        ", ".join(a.overdue_refs),
                    )
                    for a in acts
                ),
            )
        )
    overdue = sum(a.overdue for a in acts)
    findings = (
        (
            f"Plan actions: {sum(a.complete for a in acts)} of {sum(a.total for a in acts)} "
            f"complete, {overdue} overdue at the end of {ctx.period.label}.",
        )
        if acts
        else ()
    )
    return Section(SECTION_ID, TITLE, tuple(blocks), findings)
