"""Publishing the warehouse atomically: failed loads, crashes and concurrent readers."""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from cspkit.errors import CspkitError, InputError
from cspkit.ingest.police_uk import load_police_uk
from cspkit.reference import sample_police_uk_dir
from cspkit.warehouse.connection import connect_readonly, writing
from tests.conftest import sample_file


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _count(db: Path) -> int:
    con = connect_readonly(db)
    try:
        row = con.execute("SELECT count(*) FROM crimes").fetchone()
        return int(row[0]) if row else -1
    finally:
        con.close()


@pytest.fixture()
def published(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    with writing(db) as con:
        load_police_uk(con, [sample_file("2025-01")])
    return db


def test_a_failed_load_leaves_the_published_file_byte_for_byte(
    published: Path, tmp_path: Path
) -> None:
    before = _sha(published)
    bad = tmp_path / "2025-02-kent-street.csv"
    bad.write_text("Crime ID,Month\n1,2025-02\n", encoding="utf-8")
    with pytest.raises(InputError), writing(published) as con:
        load_police_uk(con, [sample_file("2025-03"), bad])
    assert _sha(published) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["w.duckdb", "w.duckdb.lock", "2025-02-kent-street.csv"]
    )


def test_an_exception_inside_the_block_discards_the_change(published: Path) -> None:
    before = _count(published)
    with pytest.raises(RuntimeError), writing(published) as con:
        load_police_uk(con, [sample_file("2025-02")])
        raise RuntimeError("stop")
    assert _count(published) == before == 14_201


def test_a_successful_load_is_visible_to_new_readers(published: Path) -> None:
    with writing(published) as con:
        load_police_uk(con, [sample_file("2025-02")])
    assert _count(published) == 14_201 + 13_305


def test_a_second_writer_is_told_another_load_is_running(published: Path) -> None:
    with (
        writing(published),
        pytest.raises(CspkitError, match="another cspkit process"),
        writing(published),
    ):
        pass


def test_no_warehouse_gives_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(CspkitError, match="cspkit demo"):
        connect_readonly(tmp_path / "absent.duckdb")


_LOADER = textwrap.dedent(
    """
    import sys
    from cspkit.ingest.police_uk import load_police_uk
    from cspkit.warehouse.connection import writing
    with writing(sys.argv[1]) as con:
        print("started", flush=True)
        load_police_uk(con, sys.argv[2:])
    print("done", flush=True)
    """
)


def _start_loader(db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _LOADER, str(db), str(sample_police_uk_dir())],
        stdout=subprocess.PIPE,
        text=True,
    )


def test_a_crash_mid_load_leaves_the_published_file_untouched(published: Path) -> None:
    before = _sha(published)
    with _start_loader(published) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "started"
        time.sleep(0.3)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert _sha(published) == before
    assert _count(published) == 14_201
    # The next load cleans up after the crashed one and succeeds.
    with writing(published) as con:
        load_police_uk(con, [sample_file("2025-02")])
    assert _count(published) == 14_201 + 13_305
    assert not list(published.parent.glob("*.loading*"))


def test_readers_see_the_old_or_the_new_warehouse_while_a_load_runs(published: Path) -> None:
    seen: set[int] = set()
    with _start_loader(published) as proc:
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            seen.add(_count(published))
        proc.wait(timeout=60)
    seen.add(_count(published))
    assert proc.returncode == 0
    total = 60_021 + 180_022 + 201_960
    assert seen <= {14_201, total}
    assert total in seen


def test_a_symlinked_warehouse_is_loaded_into_its_target(published: Path, tmp_path: Path) -> None:
    link = tmp_path / "links" / "current.duckdb"
    link.parent.mkdir()
    link.symlink_to(published)
    with writing(link) as con:
        load_police_uk(con, [sample_file("2025-02")])
    assert link.is_symlink() and link.resolve() == published
    assert _count(published) == 14_201 + 13_305
    assert (published.parent / "w.duckdb.lock").exists()  # the lock is on the target
    assert not (link.parent / "current.duckdb.lock").exists()


def test_the_warehouse_keeps_its_permission_bits(published: Path) -> None:
    published.chmod(0o640)
    with writing(published) as con:
        load_police_uk(con, [sample_file("2025-02")])
    assert stat.S_IMODE(published.stat().st_mode) == 0o640


_LEAVE_WAL = textwrap.dedent(
    """
    import os, sys, duckdb
    con = duckdb.connect(sys.argv[1])
    con.execute("SET checkpoint_threshold = '1GB'")
    con.execute("DELETE FROM crimes WHERE category = 'Anti-social behaviour'")
    os._exit(0)  # committed, but only in the write-ahead log
    """
)


def test_a_write_ahead_log_beside_the_warehouse_is_folded_in_before_the_copy(
    published: Path,
) -> None:
    subprocess.run([sys.executable, "-c", _LEAVE_WAL, str(published)], check=True)
    wal = published.with_name(published.name + ".wal")
    assert wal.exists()
    with writing(published) as con:
        committed = con.execute("SELECT count(*) FROM crimes").fetchone()
    assert committed is not None and committed[0] < 14_201  # the deletion was kept
    assert not wal.exists()
    assert _count(published) == committed[0]


def test_a_write_ahead_log_that_cannot_be_applied_is_refused_with_how_to_recover(
    published: Path, tmp_path: Path
) -> None:
    # The log of another database (e.g. a file copied back without its own log): DuckDB
    # refuses to replay it, so the load must stop before anything is copied or published.
    other = tmp_path / "other" / "w.duckdb"
    other.parent.mkdir()
    with writing(other) as con:
        load_police_uk(con, [sample_file("2025-02")])
    subprocess.run([sys.executable, "-c", _LEAVE_WAL, str(other)], check=True)
    wal = published.with_name(published.name + ".wal")
    wal.write_bytes(other.with_name(other.name + ".wal").read_bytes())
    before = hashlib.sha256(published.read_bytes()).hexdigest()
    with pytest.raises(CspkitError) as info, writing(published) as con:
        load_police_uk(con, [sample_file("2025-03")])
    message = str(info.value)
    assert "write-ahead log w.duckdb.wal cannot be applied" in message
    assert "CHECKPOINT" in message and "move w.duckdb.wal aside" in message
    assert "unchanged" in message
    assert hashlib.sha256(published.read_bytes()).hexdigest() == before
    assert wal.exists()  # kept: it may be the only copy of committed data
    assert sorted(p.name for p in published.parent.iterdir() if p.is_file()) == [
        "w.duckdb",
        "w.duckdb.lock",
        "w.duckdb.wal",
    ]


def test_stale_copies_of_another_warehouse_are_left_alone(published: Path) -> None:
    other_copy = published.with_name(".w.duckdb.x.999.loading")  # w.duckdb.x's load at work
    own_stale = published.with_name(".w.duckdb.999.loading")  # a crashed load of w.duckdb
    other_copy.write_bytes(b"in progress")
    own_stale.write_bytes(b"left by a crash")
    with writing(published):
        pass
    assert other_copy.exists()
    assert not own_stale.exists()
