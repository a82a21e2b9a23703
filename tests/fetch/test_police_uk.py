"""Fetching police.uk archives end to end against a real HTTP server on 127.0.0.1.

The archive served is built from real files: Dyfed-Powys January and February 2024 (cut from
the near-national sample into tests/data) and the first rows of the bundled Kent 2024 files.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from cspkit.cli import cli
from cspkit.fetch.http import Fetcher, FetchError, RateLimiter, UrllibClient
from cspkit.fetch.police_uk import fetch_police_uk, parse_months, plan_archives
from tests.conftest import REPO_ROOT, sample_file
from tests.fetch.server import ServerState, serve

NATIONAL = REPO_ROOT / "tests" / "data" / "police_uk_national"
ARCHIVE = "/data/archive/2024-02.zip"
JANUARY_ARCHIVE = "/data/archive/2024-01.zip"
KENT_ROWS = 200


def _text(path: Path) -> bytes:
    with gzip.open(path, "rb") as handle:
        return handle.read()


def _archive() -> bytes:
    """A data.police.uk-shaped archive: YYYY-MM/YYYY-MM-<force>-street.csv members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for month in ("2024-01", "2024-02"):
            name = f"{month}-dyfed-powys-street.csv"
            zf.writestr(f"{month}/{name}", _text(NATIONAL / f"{name}.gz"))
            kent = _text(sample_file(month)).splitlines(keepends=True)[: KENT_ROWS + 1]
            zf.writestr(f"{month}/{month}-kent-street.csv", b"".join(kent))
    return buffer.getvalue()


def _rows(month: str) -> int:
    return len(_text(NATIONAL / f"{month}-dyfed-powys-street.csv.gz").splitlines()) - 1


def _fetcher(attempts: int = 3) -> Fetcher:
    return Fetcher(UrllibClient(timeout=10), attempts=attempts, backoff=0.01)


def _counts(db: Path) -> dict[tuple[str, str], int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT force_slug, strftime(month, '%Y-%m'), count(*) FROM crimes GROUP BY ALL"
        ).fetchall()
    finally:
        con.close()
    return {(f, m): n for f, m, n in rows}


@pytest.fixture()
def server() -> Iterator[ServerState]:
    with serve() as state:
        state.files[ARCHIVE] = _archive()
        state.files[JANUARY_ARCHIVE] = _archive()
        state.put_json("/api/crime-last-updated", {"date": "2024-02-01"})
        state.put_json(
            "/api/crimes-street-dates",
            [
                {"date": "2024-02", "stop-and-search": ["dyfed-powys"]},
                {"date": "2024-01", "stop-and-search": ["dyfed-powys", "kent"]},
            ],
        )
        yield state


def test_months_and_archives_are_planned() -> None:
    months = parse_months("2021-01..2024-02")
    plans = plan_archives(months)
    assert [p.name for p in plans] == ["2024-02.zip", "2021-02.zip"]
    assert plans[0].months[0] == date(2021, 3, 1) and len(plans[0].months) == 36
    assert plans[1].months == (date(2021, 1, 1), date(2021, 2, 1))


def test_fetch_takes_only_the_wanted_force_and_loads_it(
    server: ServerState, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    report = fetch_police_uk(
        db,
        months=parse_months("2024-01..2024-02"),
        forces=["dyfed-powys"],
        base_url=server.base_url,
        fetcher=_fetcher(),
    )
    assert report.archives == ("2024-02.zip",)
    assert report.files == ("2024-01-dyfed-powys-street.csv", "2024-02-dyfed-powys-street.csv")
    assert _counts(db) == {
        ("dyfed-powys", "2024-01"): _rows("2024-01"),
        ("dyfed-powys", "2024-02"): _rows("2024-02"),
    }
    assert report.load is not None and report.load.rows_read == _rows("2024-01") + _rows("2024-02")


def test_an_interrupted_download_leaves_the_warehouse_and_resumes(
    server: ServerState, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    size = len(server.files[ARCHIVE])
    server.cut_after[ARCHIVE] = size // 3
    with pytest.raises(FetchError, match="failed after 1 attempts"):
        fetch_police_uk(
            db,
            months=[date(2024, 1, 1), date(2024, 2, 1)],
            base_url=server.base_url,
            fetcher=_fetcher(attempts=1),
        )
    assert not db.exists()  # nothing was loaded
    part = db.with_name(db.name + ".downloads") / "2024-02.zip.part"
    assert part.stat().st_size == size // 3
    server.requests.clear()
    report = fetch_police_uk(
        db,
        months=[date(2024, 1, 1), date(2024, 2, 1)],
        base_url=server.base_url,
        fetcher=_fetcher(),
    )
    assert server.requests == [(ARCHIVE, f"bytes={size // 3}-")]
    assert len(report.files) == 4
    assert _counts(db) == {
        ("dyfed-powys", "2024-01"): _rows("2024-01"),
        ("dyfed-powys", "2024-02"): _rows("2024-02"),
        ("kent", "2024-01"): KENT_ROWS,
        ("kent", "2024-02"): KENT_ROWS,
    }


def test_a_cut_connection_is_retried_within_one_fetch(server: ServerState, tmp_path: Path) -> None:
    server.cut_after[ARCHIVE] = 1000
    server.fail_times[ARCHIVE] = 1
    db = tmp_path / "w.duckdb"
    fetch_police_uk(
        db,
        months=[date(2024, 2, 1)],
        forces=["dyfed-powys"],
        base_url=server.base_url,
        fetcher=_fetcher(attempts=4),
    )
    ranges = [r for p, r in server.requests if p == ARCHIVE]
    assert ranges == [None, None, "bytes=1000-"]  # 503, then cut at 1,000 bytes, then resumed
    assert _counts(db) == {("dyfed-powys", "2024-02"): _rows("2024-02")}


def test_a_corrupt_archive_is_refused_and_deleted(server: ServerState, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    fetch_police_uk(
        db,
        months=[date(2024, 1, 1)],
        forces=["dyfed-powys"],
        base_url=server.base_url,
        fetcher=_fetcher(),
        cache=tmp_path / "first",
    )
    before = db.read_bytes()
    body = bytearray(server.files[ARCHIVE])
    middle = len(body) // 4
    body[middle : middle + 64] = bytes(64)  # damage a member's compressed bytes
    server.files[ARCHIVE] = bytes(body)
    cache = tmp_path / "cache"
    with pytest.raises(FetchError, match=r"not a usable zip archive.*warehouse is unchanged"):
        fetch_police_uk(
            db,
            months=[date(2024, 1, 1), date(2024, 2, 1)],
            base_url=server.base_url,
            fetcher=_fetcher(),
            cache=cache,
        )
    assert db.read_bytes() == before
    assert not (cache / "2024-02.zip").exists()


def test_latest_asks_the_api_and_fetches_only_what_is_lacking(
    server: ServerState, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    fetch_police_uk(
        db,
        months=[date(2024, 1, 1)],
        forces=["dyfed-powys"],
        base_url=server.base_url,
        fetcher=_fetcher(),
    )
    server.requests.clear()
    report = fetch_police_uk(db, latest=True, base_url=server.base_url, fetcher=_fetcher())
    assert report.files == ("2024-02-dyfed-powys-street.csv",)
    assert [p for p, _ in server.requests][:2] == [
        "/api/crime-last-updated",
        "/api/crimes-street-dates",
    ]
    again = fetch_police_uk(db, latest=True, base_url=server.base_url, fetcher=_fetcher())
    assert again.load is None and again.files == ()


def test_requests_keep_to_the_rate_limit() -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(rate=15.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(30):
        limiter.wait()
    assert now[0] == pytest.approx(29 / 15)  # 30 requests take just under 2 seconds


def test_the_command_line_fetches_from_a_mirror(server: ServerState, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = CliRunner().invoke(
        cli,
        [
            "fetch",
            "police-uk",
            "--months",
            "2024-01..2024-02",
            "--force",
            "dyfed-powys",
            "--base-url",
            server.base_url,
            "--db",
            str(db),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "2 files" in result.output and "dyfed-powys" in result.output
    assert sum(_counts(db).values()) == _rows("2024-01") + _rows("2024-02")


def test_an_unknown_force_is_refused_with_suggestions(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"no police.uk force 'kenf'; did you mean: kent"):
        fetch_police_uk(tmp_path / "w.duckdb", months=[date(2024, 1, 1)], forces=["kenf"])
    assert not (tmp_path / "w.duckdb").exists()
