"""Loading police.uk street, outcomes and stop-and-search files into the warehouse.

One load is one transaction: every file is read and checked, rows that cannot be used go to
the quarantine table with the reason, and loading a force-month again replaces it. A file that
is malformed (bad header, a truncated row, bytes that are not UTF-8) stops the whole load with
a message naming the file, line and column, and the warehouse is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from cspkit.config import INGEST_MEMORY_LIMIT
from cspkit.errors import InputError
from cspkit.ingest import police_checks, police_sql
from cspkit.ingest.files import (
    COLUMNS,
    STOP_SEARCH,
    STREET,
    PoliceFile,
    discover,
)
from cspkit.ingest.forces import force_by_name
from cspkit.ingest.scan import FileScan, scan_file
from cspkit.warehouse.transaction import transaction

_KEPT = "nothing was loaded; the warehouse is unchanged"
#: Threads hashing and scanning files while DuckDB reads them.
SCAN_THREADS = 2

Progress = Callable[[str, int, int], None]
"""Called as progress(step, done, total) while a load runs."""


@dataclass(frozen=True)
class FileLoad:
    """What happened to one file: rows read = loaded + quarantined."""

    file: str
    kind: str
    force_slug: str
    month: date
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_unassigned: int
    replaced_earlier_load: bool

    @property
    def balanced(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_quarantined


@dataclass(frozen=True)
class LoadReport:
    """The outcome of one police.uk load."""

    files: tuple[FileLoad, ...]
    quarantine_reasons: tuple[tuple[str, int], ...]

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)

    @property
    def rows_unassigned(self) -> int:
        return sum(f.rows_unassigned for f in self.files)


def _noop(step: str, done: int, total: int) -> None:
    return None


@contextlib.contextmanager
def prepared(paths: Sequence[Path | str]) -> Iterator[list[PoliceFile]]:
    """Find, extract and check every file named by ``paths``, before any warehouse is opened.

    So a mistyped path or a bad header fails at once, without copying a large warehouse.
    Extracted zip members live until the block ends.
    """
    with tempfile.TemporaryDirectory(prefix="cspkit-extract-") as tmp:
        files = discover([Path(p) for p in paths], Path(tmp))
        _check_duplicates(files)
        yield files


def load_police_uk(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[Path | str],
    *,
    progress: Progress = _noop,
    replace_smaller: bool = False,
) -> LoadReport:
    """Load police.uk files (CSV, CSV.GZ, folders, zip archives) in one transaction."""
    with prepared(paths) as files:
        return load_files(con, files, progress=progress, replace_smaller=replace_smaller)


def load_files(
    con: duckdb.DuckDBPyConnection,
    files: list[PoliceFile],
    *,
    progress: Progress = _noop,
    replace_smaller: bool = False,
) -> LoadReport:
    """Load files found by :func:`prepared` in one transaction.

    A held force-month is never emptied by a reload in which no row is usable, and never
    shrunk below ``police_checks.SHRINK_RATIO`` of its rows unless ``replace_smaller`` is set.
    Each file's bytes are scanned (hash, gzip integrity, line feeds, control bytes) while
    DuckDB reads the files, so the scan costs little time of its own.
    """
    progress("checking files", 0, len(files))
    with ThreadPoolExecutor(max_workers=SCAN_THREADS) as pool:
        scans = [pool.submit(scan_file, f.path, f.display_name) for f in files]
        con.execute(f"SET memory_limit = '{INGEST_MEMORY_LIMIT}'")
        try:
            with transaction(con):
                report = _load_in_transaction(con, files, scans, progress, replace_smaller)
        except BaseException:
            for future in scans:
                future.cancel()
            raise
        finally:
            with contextlib.suppress(duckdb.Error):  # the copy is thrown away after a fault
                for table in police_sql.TEMP_TABLES:
                    con.execute(f"DROP TABLE IF EXISTS {table}")
    return report


def _check_duplicates(files: list[PoliceFile]) -> None:
    seen: dict[tuple[str, str, date], str] = {}
    for f in files:
        key = (f.kind, f.force_slug, f.month)
        if key in seen:
            raise InputError(
                f"two files hold {f.force_slug} {f.kind} data for {f.month:%Y-%m}: "
                f"{seen[key]} and {f.display_name}; give one of them",
                file=f.display_name,
                kept="nothing was loaded",
            )
        seen[key] = f.display_name


def _load_in_transaction(
    con: duckdb.DuckDBPyConnection,
    files: list[PoliceFile],
    scans: list[Future[FileScan]],
    progress: Progress,
    replace_smaller: bool,
) -> LoadReport:
    police_sql.prepare_lookups(con)
    results: list[FileLoad] = []
    by_kind: dict[str, list[tuple[PoliceFile, Future[FileScan]]]] = {}
    for f, scan in zip(files, scans, strict=True):
        by_kind.setdefault(f.kind, []).append((f, scan))
    done = 0
    new_ids: list[int] = []
    for kind, group in by_kind.items():
        progress(f"loading {kind} files", done, len(files))
        results.extend(_load_kind(con, kind, group, new_ids, replace_smaller))
        done += len(group)
        progress(f"loaded {kind} files", done, len(files))
    reasons = con.execute(
        "SELECT reason, count(*) FROM quarantine WHERE list_contains(?, source_id) "
        "GROUP BY reason ORDER BY 2 DESC, 1",
        [new_ids],
    ).fetchall()
    return LoadReport(tuple(results), tuple((str(r), int(n)) for r, n in reasons))


def _load_kind(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    pending: list[tuple[PoliceFile, Future[FileScan]]],
    new_ids: list[int],
    replace_smaller: bool,
) -> list[FileLoad]:
    files = [f for f, _ in pending]
    ids = police_sql.register_files(con, files)
    new_ids.extend(ids)
    everything = list(range(len(files)))
    months = [f.month for f in files]
    try:
        _read(con, police_sql.insert_valid_sql(kind, _rows(kind, months, [], everything)), files)
    except InputError:
        _results(pending)  # a scan's message (a corrupt .gz) names the fault more precisely
        raise
    group = list(zip(files, _results(pending), strict=True))
    police_checks.raise_on_rejects(con, group)
    again = _to_read_again(con, kind, group)
    con.execute(police_sql.FILE_ROWS_SQL_EMPTY)
    if again:
        again_ids = [ids[i] for i in again]
        con.execute(
            f"DELETE FROM {police_sql.TARGET_TABLE[kind]} WHERE list_contains(?, source_id)",
            [again_ids],
        )
        _check_and_quarantine(con, kind, group, again)
    if kind != STOP_SEARCH:
        con.execute(police_sql.assign_by_name_sql(kind))
    police_checks.raise_on_shrinking(con, kind, replace_smaller)
    replaced = police_sql.replace_earlier(con, kind)
    con.execute(police_sql.count_files_sql(kind))
    police_sql.record_sources(con, kind, [scan for _, scan in group])
    rows = con.execute(
        "SELECT file_index, rows_read, rows_loaded, rows_quarantined, rows_unassigned FROM _counts"
    ).fetchall()
    loads: list[FileLoad] = []
    for index, read, loaded, quarantined, unassigned in sorted(
        rows, key=lambda r: str(files[int(r[0])].path)
    ):
        f = files[int(index)]
        loads.append(
            FileLoad(
                file=f.display_name,
                kind=kind,
                force_slug=f.force_slug,
                month=f.month,
                rows_read=int(read),
                rows_loaded=int(loaded),
                rows_quarantined=int(quarantined),
                rows_unassigned=int(unassigned),
                replaced_earlier_load=(f.force_slug, f.month) in replaced,
            )
        )
    for table in police_sql.PER_KIND_TEMP_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return loads


def _rows(kind: str, months: list[date], control_files: list[int], indexes: list[int]) -> str:
    return "(" + police_sql.typed_rows_sql(kind, months, control_files, indexes) + ")"


def _results(pending: list[tuple[PoliceFile, Future[FileScan]]]) -> list[FileScan]:
    """The scans of the files, waiting for them; a scan's InputError is raised."""
    return [future.result() for _, future in pending]


def _to_read_again(
    con: duckdb.DuckDBPyConnection, kind: str, group: list[tuple[PoliceFile, FileScan]]
) -> list[int]:
    """Files (by index) whose single read cannot be trusted as it stands.

    A file was loaded whole and clean when every line of it is a record and every record was
    usable: its text ends with a line feed, it has exactly one line feed more (the header's)
    than usable rows, no control byte, and only its own force's name in "Falls within". Any
    other file is read again to find, with their line numbers, the rows that were not usable,
    values over several lines, control characters or rows of another force.
    """
    usable: dict[int, int] = {}
    own_force: dict[int, bool] = {}
    for index, name, n in con.execute(police_sql.loaded_counts_sql(kind)).fetchall():
        i = int(index)
        usable[i] = usable.get(i, 0) + int(n)
        f = group[i][0]
        force = force_by_name(str(name)) if name is not None else None
        mine = name is None or (force is not None and force.id == f.force_slug)
        own_force[i] = own_force.get(i, True) and mine
    return [
        i
        for i, (_, scan) in enumerate(group)
        if scan.has_control_bytes
        or not scan.ends_with_line_feed
        or scan.line_feeds != usable.get(i, 0) + 1
        or not own_force.get(i, True)
    ]


def _check_and_quarantine(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    group: list[tuple[PoliceFile, FileScan]],
    again: list[int],
) -> None:
    """Read the files ``again`` into ``_typed``: check them, load their usable rows and
    quarantine the rest with their line numbers."""
    controls = [i for i in again if group[i][1].has_control_bytes]
    months = [f.month for f, _ in group]
    _read(
        con, police_sql.read_typed_sql(kind, months, controls, again), [group[i][0] for i in again]
    )
    con.execute(police_sql.FILE_ROWS_SQL)
    police_checks.raise_on_swallowed_rows(con, kind, group)
    if kind != STOP_SEARCH:
        police_checks.raise_on_other_forces(con, group)
    police_checks.raise_on_mislabelled(con)
    con.execute(police_sql.insert_valid_sql(kind, "_typed"))
    con.execute(police_sql.insert_quarantine_sql(kind))
    police_checks.correct_quarantine_lines(con, group)


def _read(con: duckdb.DuckDBPyConnection, sql: str, files: list[PoliceFile]) -> None:
    """Run a statement reading ``files`` (their paths as its parameter); a file DuckDB cannot
    read is named in one line."""
    try:
        con.execute(sql, [[str(f.path) for f in files]])
    except duckdb.Error as exc:
        text = str(exc)
        culprit = next((f for f in files if str(f.path) in text), None)
        first = text.splitlines()[0] if text else type(exc).__name__
        for f in files:
            first = first.replace(str(f.path), f.display_name)
        if "GZIP" in first.upper() or "gzip" in first:
            first = f"corrupt or truncated gzip data ({first})"
        raise InputError(
            f"cannot be read: {first}",
            file=culprit.display_name if culprit else None,
            kept=_KEPT,
        ) from exc


__all__ = [
    "COLUMNS",
    "STOP_SEARCH",
    "STREET",
    "FileLoad",
    "LoadReport",
    "load_files",
    "load_police_uk",
    "prepared",
]
