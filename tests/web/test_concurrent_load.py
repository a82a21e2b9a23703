"""The application keeps serving while a load publishes a new warehouse.

A real load runs in another process (``writing`` + ``load_police_uk`` on the bundled sample)
into the warehouse the application reads, while an indicator page is requested again and
again. Every response must succeed, none may meet a locked database, each must show the
figures of the warehouse before the load or after it and never anything in between, and once
the load has finished the page shows the new figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from cspkit.ingest.police_uk import load_police_uk
from cspkit.reference import sample_police_uk_dir
from cspkit.warehouse.connection import connect_readonly, writing
from cspkit.warehouse.series import monthly_series

SLUG = "anti-social-behaviour"
PAGE = f"/manage/indicators/{SLUG}/"
DATA = f"/manage/indicators/{SLUG}.json"
AREA = "E07000110"  # Maidstone, the example plan's area
#: The warehouse before the load: six months of Kent street records.
FIRST_MONTHS = ("2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06")
LOADING = "loading"
#: The load runs in its own process and says when it has started writing.
LOAD_SCRIPT = f"""
import sys
from cspkit.ingest.police_uk import load_police_uk
from cspkit.reference import sample_police_uk_dir
from cspkit.warehouse.connection import writing

with writing(sys.argv[1]) as con:
    print({LOADING!r}, flush=True)
    load_police_uk(con, [sample_police_uk_dir()])
"""
LOAD_TIMEOUT_SECONDS = 300
MIN_REQUESTS_DURING_LOAD = 3
LOCK_WORDS = ("lock", "Lock")

Series = list[tuple[str, float]]


def _warehouse_series(path: Path) -> Series:
    """The indicator's monthly series read straight from the warehouse (not the web layer)."""
    con = connect_readonly(path)
    try:
        return [(m.isoformat(), float(v)) for m, v in monthly_series(con, SLUG, AREA)]
    finally:
        con.close()


def _shown(client: Client) -> Series:
    """Request the page and its data; check both answered; return the figures shown."""
    page = client.get(PAGE)
    assert page.status_code == 200
    assert not any(word in page.content.decode() for word in LOCK_WORDS)
    data = client.get(DATA)
    assert data.status_code == 200
    payload: dict[str, Any] = json.loads(data.content)
    assert not any(word in payload["note"] for word in LOCK_WORDS), payload["note"]
    return [(row["month"], float(row["value"])) for row in payload["series"]]


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A warehouse holding the first months only, which the application reads."""
    path = tmp_path / "cspkit.duckdb"
    monkeypatch.setenv("CSPKIT_DB", str(path))
    sample = sample_police_uk_dir()
    with writing(path) as con:
        load_police_uk(con, [sample / month for month in FIRST_MONTHS])
    return path


def test_pages_keep_serving_during_a_load(people: dict[str, Any], warehouse: Path) -> None:
    client = Client()
    client.force_login(people["member"])
    before = _warehouse_series(warehouse)
    assert _shown(client) == before and before

    log = warehouse.with_name("load.log")
    seen: list[Series] = []
    with open(log, "w", encoding="utf-8") as errors:
        load = subprocess.Popen(
            [sys.executable, "-c", LOAD_SCRIPT, str(warehouse)],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        try:
            assert load.stdout is not None
            assert load.stdout.readline().strip() == LOADING, log.read_text(encoding="utf-8")
            deadline = time.monotonic() + LOAD_TIMEOUT_SECONDS
            while load.poll() is None and time.monotonic() < deadline:
                # Every other round starts from an empty cache, so the page reads the
                # warehouse file while the load writes; the other rounds take the cached page.
                if len(seen) % 2:
                    cache.clear()
                seen.append(_shown(client))
            load.wait(timeout=LOAD_TIMEOUT_SECONDS)
        finally:
            if load.poll() is None:
                load.kill()
                load.wait()
            assert load.stdout is not None
            load.stdout.close()
    assert load.returncode == 0, log.read_text(encoding="utf-8")
    assert len(seen) >= MIN_REQUESTS_DURING_LOAD

    after = _warehouse_series(warehouse)
    assert len(after) > len(before)
    assert _shown(client) == after
    half_loaded = [s for s in seen if s not in (before, after)]
    assert not half_loaded, f"figures from neither warehouse: {half_loaded[0]}"
