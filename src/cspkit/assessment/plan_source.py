"""Where the current plan comes from: a plan YAML, or the web application's plan database.

The web application keeps its plan in an SQLite file beside the warehouse
(``cspkit-web.sqlite3``, or ``$CSPKIT_WEB_DB``). It is read here with plain SQL, read-only,
into the same shape as a plan YAML (priorities, actions, indicators with their manual values),
so the progress chapter reads both alike. Progress notes typed into the web application are
therefore reflected in the report as the actions' current status.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import duckdb

WEB_DB_NAME = "cspkit-web.sqlite3"
WEB_DB_ENV_VAR = "CSPKIT_WEB_DB"


def web_db_beside(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The web application's SQLite file for this warehouse, if there is one."""
    configured = os.environ.get(WEB_DB_ENV_VAR)
    if configured:
        path = Path(configured)
        return path if path.is_file() else None
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    if row is None or not row[0]:
        return None
    path = Path(str(row[0])).parent / WEB_DB_NAME
    return path if path.is_file() else None


def read_web_plan(path: Path, lad_code: str) -> dict[str, Any] | None:
    """The current plan of the district's partnership, shaped like a plan YAML, or None."""
    uri = f"file:{path}?mode=ro"
    try:
        db = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        return None
    try:
        found = db.execute(
            "SELECT p.id, p.title FROM plan_planperiod p JOIN plan_partnership s "
            "ON s.id = p.partnership_id WHERE upper(s.area_code) = upper(?) "
            "ORDER BY p.is_current DESC, p.start_year DESC LIMIT 1",
            [lad_code],
        ).fetchone()
        if found is None:
            return None
        plan_id, title = found
        priorities = db.execute(
            "SELECT id, slug, title, kind FROM plan_priority WHERE plan_id = ? "
            'ORDER BY kind, "order", id',
            [plan_id],
        ).fetchall()
        slug_of = {pid: slug for pid, slug, _, _ in priorities}
        actions = db.execute(
            "SELECT priority_id, ref, due_date, status FROM plan_action "
            "WHERE priority_id IN (SELECT id FROM plan_priority WHERE plan_id = ?) ORDER BY ref",
            [plan_id],
        ).fetchall()
        indicators = db.execute(
            "SELECT id, priority_id, slug, name, source, series_id, polarity, target "
            "FROM plan_indicator WHERE plan_id = ? ORDER BY id",
            [plan_id],
        ).fetchall()
        values = db.execute(
            "SELECT indicator_id, month, value FROM plan_manualvalue ORDER BY month"
        ).fetchall()
    except sqlite3.Error:
        return None
    finally:
        db.close()
    return {
        "plan": {"title": f"{title} (from the partnership's web application)"},
        "priorities": [
            {"slug": slug, "title": text} for _, slug, text, kind in priorities if kind == "core"
        ],
        "themes": [
            {"slug": slug, "title": text} for _, slug, text, kind in priorities if kind != "core"
        ],
        "actions": [
            {"priority": slug_of.get(pid), "ref": ref, "due_date": due, "status": status}
            for pid, ref, due, status in actions
        ],
        "indicators": [
            {
                "slug": slug,
                "name": name,
                "source": source,
                "series_id": series,
                "priority": slug_of.get(pid),
                "polarity": polarity,
                "target": target,
                "values": [{"month": m, "value": v} for i, m, v in values if i == iid],
            }
            for iid, pid, slug, name, source, series, polarity, target in indicators
        ],
    }
