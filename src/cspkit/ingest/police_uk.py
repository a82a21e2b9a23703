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
from concurrent.futures import ThreadPoolExecutor
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
from cspkit.ingest.scan import FileScan, scan_file

_KEPT = "nothing was loaded; the warehouse is unchanged"

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
    """
    progress("checking files", 0, len(files))
    with ThreadPoolExecutor(max_workers=2) as pool:
        scans = list(pool.map(lambda f: scan_file(f.path, f.display_name), files))
        con.execute(f"SET memory_limit = '{INGEST_MEMORY_LIMIT}'")
        con.execute("BEGIN TRANSACTION")
        try:
            report = _load_in_transaction(con, files, scans, progress, replace_smaller)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
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
    scans: list[FileScan],
    progress: Progress,
    replace_smaller: bool,
) -> LoadReport:
    police_sql.prepare_lookups(con)
    results: list[FileLoad] = []
    by_kind: dict[str, list[tuple[PoliceFile, FileScan]]] = {}
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
    group: list[tuple[PoliceFile, FileScan]],
    new_ids: list[int],
    replace_smaller: bool,
) -> list[FileLoad]:
    new_ids.extend(police_sql.register_files(con, kind, group))
    _read_files(con, kind, group)
    police_checks.raise_on_rejects(con, group)
    con.execute(police_sql.FILE_ROWS_SQL)
    police_checks.raise_on_swallowed_rows(con, kind, group)
    if kind != STOP_SEARCH:
        police_checks.raise_on_other_forces(con, group)
    police_checks.raise_on_mislabelled(con)
    police_checks.raise_on_shrinking(con, kind, replace_smaller)
    if kind != STOP_SEARCH:
        con.execute(police_sql.PAIRS_SQL)
    replaced = police_sql.replace_earlier(con, kind)
    con.execute(police_sql.insert_valid_sql(kind))
    con.execute(police_sql.insert_quarantine_sql(kind))
    police_checks.correct_quarantine_lines(con, group)
    rows = con.execute(police_sql.file_counts_sql(kind)).fetchall()
    police_sql.record_counts(
        con, [(int(r[1]), int(r[2]), int(r[3]), int(r[4]), int(r[5])) for r in rows]
    )
    loads: list[FileLoad] = []
    names = {str(f.path): f for f, _ in group}
    for path, _source_id, read, loaded, quarantined, unassigned in rows:
        f = names[str(path)]
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


def _read_files(
    con: duckdb.DuckDBPyConnection, kind: str, group: list[tuple[PoliceFile, FileScan]]
) -> None:
    """Read every file of one kind; a file DuckDB cannot read is named in one line."""
    try:
        con.execute(
            police_sql.read_typed_sql(
                kind,
                [f.month for f, _ in group],
                [i for i, (_, scan) in enumerate(group) if scan.has_control_bytes],
            ),
            [[str(f.path) for f, _ in group]],
        )
    except duckdb.Error as exc:
        text = str(exc)
        culprit = next((f for f, _ in group if str(f.path) in text), None)
        first = text.splitlines()[0] if text else type(exc).__name__
        for f, _ in group:
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
