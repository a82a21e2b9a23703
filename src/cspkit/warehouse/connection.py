"""Opening the warehouse: short-lived readers, and writers that publish atomically.

DuckDB lets one process write a file or several processes read it, not both at once. cspkit
never writes the published warehouse file in place: a writer copies it to a private file next
to it, changes the copy (migrations, loads), checkpoints it and then renames it over the
published file. A rename is atomic, so a reader opens either the old warehouse or the new
one, never a half-loaded month, and a crash mid-load leaves the published file untouched.
Writers take an exclusive lock file so two loads cannot race.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb

from cspkit.config import default_db_path
from cspkit.errors import CspkitError
from cspkit.warehouse.schema import migrate

__all__ = ["connect_memory", "connect_readonly", "default_db_path", "writing"]

MEMORY = ":memory:"


def connect_memory() -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with every migration applied (for tests and one-off runs)."""
    con = duckdb.connect(MEMORY)
    migrate(con)
    return con


def connect_readonly(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse; close it soon after use."""
    db = Path(path) if path is not None else default_db_path()
    if not db.exists():
        raise CspkitError(
            f"no warehouse at {db}: load data first with 'cspkit ingest police-uk PATH' "
            "or build the sample with 'cspkit demo'"
        )
    return duckdb.connect(str(db), read_only=True)


@contextlib.contextmanager
def _exclusive_lock(db: Path) -> Iterator[None]:
    lock_path = db.with_name(db.name + ".lock")
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise CspkitError(
                f"another cspkit process is changing {db}; try again when it has finished"
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def writing(path: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Change the warehouse at ``path`` and publish the result atomically.

    The block receives a connection to a private copy with migrations applied. If the block
    raises, the copy is discarded and the published warehouse is exactly as it was.
    """
    db = Path(path) if path is not None else default_db_path()
    db.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(db):
        # Holding the lock, any private copy left beside the file is from a crashed load.
        for stale in db.parent.glob(f".{db.name}.*.loading*"):
            stale.unlink(missing_ok=True)
        work = db.with_name(f".{db.name}.{os.getpid()}.loading")
        if db.exists():
            shutil.copyfile(db, work)
        con = duckdb.connect(str(work))
        try:
            migrate(con)
            yield con
            con.execute("CHECKPOINT")
            con.close()
            with open(work, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(work, db)
            _fsync_dir(db.parent)
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.close()
            work.unlink(missing_ok=True)
            work.with_name(work.name + ".wal").unlink(missing_ok=True)
            raise
