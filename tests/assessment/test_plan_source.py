"""The plan read from the web application's database matches the plan file it was loaded from."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cspkit.assessment.plan_source import WEB_DB_NAME, read_web_plan, web_db_beside
from cspkit.assessment.sections.progress import read_plan
from cspkit.demo_evidence import EXAMPLE_PLAN
from cspkit.warehouse.connection import connect_readonly, writing


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("web")
    db = folder / "cspkit.duckdb"
    with writing(db):
        pass
    # a clean environment: the plan goes to the SQLite file beside the warehouse, not to a
    # DATABASE_URL or CSPKIT_WEB_DB the calling shell may have set
    loaded = subprocess.run(
        [sys.executable, "-m", "cspkit", "plan", "load", str(EXAMPLE_PLAN), "--db", str(db)],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert loaded.returncode == 0, loaded.stderr
    return db


def test_web_plan_beside_the_warehouse_matches_the_yaml(warehouse: Path) -> None:
    con = connect_readonly(warehouse)
    try:
        path = web_db_beside(con)
    finally:
        con.close()
    assert path == warehouse.parent / WEB_DB_NAME
    web = read_web_plan(path, "E07000110")
    assert web is not None
    yaml_plan = read_plan(EXAMPLE_PLAN)
    assert [p["slug"] for p in web["priorities"]] == [p["slug"] for p in yaml_plan["priorities"]]
    assert {t["slug"] for t in web["themes"]} == {t["slug"] for t in yaml_plan["themes"]}
    expected = sorted(
        (a["ref"], a["priority"], str(a["due_date"]), a["status"]) for a in yaml_plan["actions"]
    )
    assert (
        sorted((a["ref"], a["priority"], a["due_date"], a["status"]) for a in web["actions"])
        == expected
    )
    sanctuary = next(i for i in web["indicators"] if i["slug"] == "sanctuary-referrals")
    assert sanctuary["target"] == 12 and len(sanctuary["values"]) == 14
    assert read_web_plan(path, "E07000105") is None  # no plan for another district
