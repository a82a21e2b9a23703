"""Opening the warehouse: short-lived readers, and writers that publish atomically.

DuckDB lets one process write a file or several processes read it, not both at once. cspkit
never writes the published warehouse file in place: a writer copies it to a private file next
to it, changes the copy (migrations, loads), checkpoints it and then renames it over the
published file. A rename is atomic, so a reader opens either the old warehouse or the new
one, never a half-loaded month, and a crash mid-load leaves the published file untouched.
Writers take an exclusive lock file so two loads cannot race.

Every command opens the warehouse through this module, so every command refuses a file that
is not a cspkit warehouse (text, empty, truncated, SQLite, another program's DuckDB file)
with the same one-line message, before DuckDB is asked to open it: DuckDB would otherwise try
to install an extension to read some foreign formats.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import duckdb

from cspkit.config import default_db_path
from cspkit.errors import CspkitError
from cspkit.warehouse.schema import migrate

__all__ = ["connect_memory", "connect_readonly", "default_db_path", "writing"]

MEMORY = ":memory:"
#: A DuckDB database file has this magic at this offset of its first block.
DUCKDB_MAGIC = b"DUCK"
DUCKDB_MAGIC_OFFSET = 8
#: DuckDB's smallest valid file: the main header and two database headers of 4 KiB each.
DUCKDB_MIN_SIZE = 3 * 4096
#: Table that marks a cspkit warehouse (every cspkit warehouse has migration 1 in it).
MARKER_TABLE = "schema_migrations"
#: No extension is ever installed or loaded behind the user's back (no network access).
_SAFE_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
_UNCHANGED = "the warehouse is unchanged"


def _not_a_warehouse(db: Path, why: str) -> CspkitError:
    return CspkitError(f"{db} is not a cspkit warehouse ({why})")


def check_warehouse(path: Path | str) -> None:
    """Raise CspkitError "X is not a cspkit warehouse" unless ``path`` is one (or absent).

    The file's bytes are checked before DuckDB opens it; then its tables are checked, read-only.
    """
    db = Path(path)
    if not db.exists():
        return
    if db.is_dir():
        raise _not_a_warehouse(db, "it is a folder")
    try:
        with open(db, "rb") as handle:
            head = handle.read(DUCKDB_MAGIC_OFFSET + len(DUCKDB_MAGIC))
        size = db.stat().st_size
    except OSError as exc:
        raise CspkitError(f"{db} cannot be read ({exc.strerror or exc})") from exc
    if size == 0:
        raise _not_a_warehouse(db, "the file is empty")
    if head.startswith(b"SQLite format 3"):
        raise _not_a_warehouse(db, "it is an SQLite database")
    if head[DUCKDB_MAGIC_OFFSET:] != DUCKDB_MAGIC:
        raise _not_a_warehouse(db, "it is not a DuckDB database file")
    if size < DUCKDB_MIN_SIZE:
        raise _not_a_warehouse(db, "the DuckDB file is truncated")
    try:
        con = duckdb.connect(str(db), read_only=True, config=_SAFE_CONFIG)
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if "lock" in first.lower():
            return  # being written by another program; the open that follows reports it
        if _wal_of(db).name in first:
            raise _wal_error(db, first) from exc
        raise _not_a_warehouse(db, f"DuckDB cannot open it: {first}") from exc
    try:
        found = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [MARKER_TABLE]
        ).fetchone()
        marked = bool(found and found[0])
        if marked:
            row = con.execute(f"SELECT count(*) FROM {MARKER_TABLE} WHERE version = 1").fetchone()
            marked = bool(row and row[0])
    except duckdb.Error as exc:
        raise _not_a_warehouse(db, "its tables cannot be read") from exc
    finally:
        con.close()
    if not marked:
        raise _not_a_warehouse(db, "a DuckDB file without cspkit's tables")


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
    check_warehouse(db)
    return duckdb.connect(str(db), read_only=True, config=_SAFE_CONFIG)


@contextlib.contextmanager
def _exclusive_lock(db: Path) -> Iterator[None]:
    lock_path = db.with_name(db.name + ".lock")
    try:
        handle = open(lock_path, "a+")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise _os_error(db, exc, "take the lock beside it") from exc
    with handle:
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


def _os_error(db: Path, exc: OSError, doing: str) -> CspkitError:
    """One line for a failure of the file system while publishing."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "no space left on the device"
    elif exc.errno == errno.EFBIG:
        why = "file too large for the file system's limit"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "the folder or file system is read-only or not writable"
    else:
        why = exc.strerror or str(exc)
    return CspkitError(f"{db}: cannot {doing} ({why}); {_UNCHANGED}")


def _target(path: Path | str | None) -> Path:
    """The file to change: a symlink's target, so the link keeps pointing at the new file."""
    db = Path(path) if path is not None else default_db_path()
    return db.resolve() if db.is_symlink() else db


def _own_copies(db: Path) -> list[Path]:
    """Private copies left by crashed loads of this warehouse only (never of another file)."""
    pattern = re.compile(rf"^\.{re.escape(db.name)}\.\d+\.loading(?:\.wal)?$")
    return [p for p in db.parent.iterdir() if pattern.match(p.name)]


def _checkpoint_wal(db: Path) -> None:
    """Fold a WAL left beside the warehouse into it, so the copy holds its committed data."""
    if not _wal_of(db).exists():
        return
    try:
        con = duckdb.connect(str(db), config=_SAFE_CONFIG)
        try:
            con.execute("CHECKPOINT")
        finally:
            con.close()
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _wal_error(db, first) from exc


def _wal_of(db: Path) -> Path:
    """The write-ahead log DuckDB keeps beside a database file."""
    return db.with_name(db.name + ".wal")


def _wal_error(db: Path, why: str) -> CspkitError:
    wal = _wal_of(db).name
    return CspkitError(
        f"{db}: its write-ahead log {wal} cannot be applied ({why}); open the "
        f"warehouse once with the duckdb command ('duckdb {db} \"CHECKPOINT\"') or move "
        f"{wal} aside to use the warehouse as last published; {_UNCHANGED}"
    )


@contextlib.contextmanager
def writing(path: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Change the warehouse at ``path`` and publish the result atomically.

    The block receives a connection to a private copy with migrations applied. If the block
    raises (also on Ctrl-C or a full disk), the copy is discarded and the published warehouse
    is exactly as it was. A symlinked ``path`` publishes to its target; the file's permission
    bits are kept.
    """
    db = _target(path)
    check_warehouse(db)
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _os_error(db, exc, "create its folder") from exc
    with _exclusive_lock(db):
        yield from _publish(db)


def _publish(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    # Holding the lock, any private copy left beside the file is from a crashed load.
    for stale in _own_copies(db):
        stale.unlink(missing_ok=True)
    _checkpoint_wal(db)
    work = db.with_name(f".{db.name}.{os.getpid()}.loading")
    con: duckdb.DuckDBPyConnection | None = None
    try:
        mode = stat.S_IMODE(db.stat().st_mode) if db.exists() else None
        try:
            if db.exists():
                shutil.copyfile(db, work)
        except OSError as exc:
            raise _os_error(db, exc, "copy it to change the copy") from exc
        con = duckdb.connect(str(work), config=_SAFE_CONFIG)
        migrate(con)
        yield con
        con.execute("CHECKPOINT")
        con.close()
        try:
            with open(work, "rb+") as handle:
                os.fsync(handle.fileno())
            if mode is not None:
                os.chmod(work, mode)
            os.replace(work, db)
            _fsync_dir(db.parent)
        except OSError as exc:
            raise _os_error(db, exc, "publish the loaded copy") from exc
    except (
        duckdb.IOException,
        duckdb.FatalException,
        duckdb.OutOfMemoryException,
        duckdb.TransactionException,  # a COMMIT that could not write its log
    ) as exc:
        # The file system or memory failed under DuckDB (a full disk, a file size limit).
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        first = first.replace(str(work), "its private copy")
        raise CspkitError(f"{db}: cannot write the loaded copy ({first}); {_UNCHANGED}") from exc
    finally:
        if con is not None:
            with contextlib.suppress(duckdb.Error):
                con.close()
        if work.exists():
            work.unlink(missing_ok=True)
        _wal_of(work).unlink(missing_ok=True)
