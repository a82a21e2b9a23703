"""Shared fixtures: warehouses built from the real bundled police.uk sample."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from hypothesis import settings

from cspkit.ingest.police_uk import load_police_uk
from cspkit.reference import sample_police_uk_dir
from cspkit.warehouse.connection import connect_memory

# Property tests check what holds, not how fast: a busy two-core machine can take far longer
# than Hypothesis' default 200 ms deadline for one example, so the deadline is off everywhere.
settings.register_profile("cspkit", deadline=None)
settings.load_profile("cspkit")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)


def edited_row(line: str, **changes: str) -> str:
    """A street CSV line with some fields (by header name) replaced, quoted as CSV needs."""
    values = dict(zip(STREET_HEADER.split(","), next(csv.reader([line])), strict=True))
    values.update(changes)
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(values.values())
    return out.getvalue()


@pytest.fixture(scope="session")
def sample_con() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory warehouse holding the whole bundled sample. Do not modify it."""
    con = connect_memory()
    load_police_uk(con, [sample_police_uk_dir()])
    yield con
    con.close()


@pytest.fixture()
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh, empty in-memory warehouse with migrations applied."""
    connection = connect_memory()
    yield connection
    connection.close()


def sample_file(month: str, force: str = "kent", kind: str = "street") -> Path:
    """A file of the bundled sample, e.g. sample_file('2025-01')."""
    return sample_police_uk_dir() / month / f"{month}-{force}-{kind}.csv.gz"


def sample_lines(month: str, force: str = "kent", n: int | None = None) -> list[str]:
    """The text lines of a sample street file (header first), optionally only the first n."""
    with gzip.open(sample_file(month, force), "rt", encoding="utf-8", newline="") as handle:
        lines = handle.read().splitlines()
    return lines if n is None else lines[:n]


def table_digest(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """A comparable snapshot of every data table: row counts and an order-free hash."""
    digest: dict[str, object] = {}
    for table in ("crimes", "outcomes", "stop_search", "quarantine", "indicators", "population"):
        row = con.execute(
            "SELECT count(*), coalesce(sum(hash(t)), 0) "
            f"FROM (SELECT * EXCLUDE (source_id) FROM {table}) AS t"
            if table not in ("population",)
            else f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {table} AS t"
        ).fetchone()
        digest[table] = row
    row = con.execute(
        "SELECT count(*), coalesce(sum(hash(kind, file_name, sha256, rows_read, rows_loaded, "
        "rows_quarantined, replaced_by)), 0) FROM sources"
    ).fetchone()
    digest["sources"] = row
    return digest
