"""Migrations are ordered, applied once and recorded."""

from __future__ import annotations

import duckdb

from cspkit.warehouse.schema import MIGRATIONS, current_version, migrate


def test_migrations_are_numbered_in_order() -> None:
    versions = [m.version for m in MIGRATIONS]
    assert versions == list(range(1, len(versions) + 1))


def test_migrate_applies_every_migration_once() -> None:
    con = duckdb.connect()
    assert current_version(con) == 0
    assert migrate(con) == len(MIGRATIONS)
    assert migrate(con) == len(MIGRATIONS)
    rows = con.execute("SELECT count(*) FROM schema_migrations").fetchone()
    assert rows == (len(MIGRATIONS),)
    tables = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    for table in (
        "crimes",
        "outcomes",
        "stop_search",
        "sources",
        "quarantine",
        "indicators",
        "indicator_registry",
        "population",
        "lsoa_lookup",
        "districts",
        "lsoa_ward",
        "areas",
        "district_force",
    ):
        assert table in tables


def test_reference_tables_hold_the_shipped_geography() -> None:
    con = duckdb.connect()
    migrate(con)
    row = con.execute(
        "SELECT count(*) FROM lsoa_lookup WHERE lad_code = 'E07000110' AND vintage = 2021"
    ).fetchone()
    assert row == (99,)
    pop = con.execute(
        "SELECT persons, year FROM population WHERE area_code = 'E07000110' AND year = 2020"
    ).fetchone()
    assert pop == (173_132.0, 2020)
