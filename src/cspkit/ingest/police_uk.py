"""Loading police.uk street, outcomes and stop-and-search files into the warehouse.

One load is one transaction: every file is read and checked, rows that cannot be used go to
the quarantine table with the reason, and loading a force-month again replaces it. A file that
is malformed (bad header, a truncated row, bytes that are not UTF-8) stops the whole load with
a message naming the file, line and column, and the warehouse is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import csv
import io
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from cspkit.config import INGEST_MEMORY_LIMIT
from cspkit.errors import InputError
from cspkit.ingest import police_sql
from cspkit.ingest.files import (
    COLUMNS,
    STOP_SEARCH,
    STREET,
    PoliceFile,
    check_gzip,
    discover,
    force_of_row,
    open_text,
    sha256_of,
)

#: A reload keeping fewer than this share of the rows held for a force-month is refused unless
#: the user says ``replace_smaller`` (a download cut short is the usual cause).
SHRINK_RATIO = 0.5
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
    shrunk below ``SHRINK_RATIO`` of its rows unless ``replace_smaller`` is set.
    """
    progress("checking files", 0, len(files))
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda f: check_gzip(f.path, f.display_name), files))
        hashes = pool.map(sha256_of, [f.path for f in files])
        con.execute(f"SET memory_limit = '{INGEST_MEMORY_LIMIT}'")
        con.execute("BEGIN TRANSACTION")
        try:
            report = _load_in_transaction(con, files, list(hashes), progress, replace_smaller)
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
    hashes: list[str],
    progress: Progress,
    replace_smaller: bool,
) -> LoadReport:
    police_sql.prepare_lookups(con)
    results: list[FileLoad] = []
    by_kind: dict[str, list[tuple[PoliceFile, str]]] = {}
    for f, digest in zip(files, hashes, strict=True):
        by_kind.setdefault(f.kind, []).append((f, digest))
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
    group: list[tuple[PoliceFile, str]],
    new_ids: list[int],
    replace_smaller: bool,
) -> list[FileLoad]:
    new_ids.extend(police_sql.register_files(con, kind, group))
    _read_files(con, kind, group)
    _raise_on_rejects(con, group)
    con.execute(police_sql.FILE_ROWS_SQL)
    _raise_on_swallowed_rows(con, kind, group)
    if kind != STOP_SEARCH:
        _raise_on_other_forces(con, group)
    _raise_on_mislabelled(con)
    _raise_on_shrinking(con, kind, replace_smaller)
    if kind != STOP_SEARCH:
        con.execute(police_sql.PAIRS_SQL)
    replaced = police_sql.replace_earlier(con, kind)
    con.execute(police_sql.insert_valid_sql(kind))
    con.execute(police_sql.insert_quarantine_sql(kind))
    _correct_quarantine_lines(con, group)
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
    con: duckdb.DuckDBPyConnection, kind: str, group: list[tuple[PoliceFile, str]]
) -> None:
    """Read every file of one kind; a file DuckDB cannot read is named in one line."""
    try:
        con.execute(
            police_sql.read_typed_sql(kind, [f.month for f, _ in group]),
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


def _raise_on_swallowed_rows(
    con: duckdb.DuckDBPyConnection, kind: str, group: list[tuple[PoliceFile, str]]
) -> None:
    """A value spanning lines that holds whole rows is a badly quoted value, never data."""
    enough_commas = len(COLUMNS[kind]) // 2
    for file_index, record_line, column, value in con.execute(
        police_sql.multiline_values_sql(kind)
    ).fetchall():
        pieces = str(value).splitlines()[1:]
        if any(p.count(",") >= enough_commas for p in pieces):
            f = group[int(file_index)][0]
            starts = _record_start_lines(f)
            line = starts[int(record_line) - 2] if starts else int(record_line)
            raise InputError(
                f"a badly quoted value: it runs over {len(pieces) + 1} lines and swallows "
                "what look like whole rows",
                file=f.display_name,
                row=line,
                column=str(column),
                kept=_KEPT,
            )


def _raise_on_other_forces(
    con: duckdb.DuckDBPyConnection, group: list[tuple[PoliceFile, str]]
) -> None:
    """Every row's "Falls within" must name the file's own force."""
    rows = con.execute(police_sql.FORCE_NAMES_SQL).fetchall()
    for file_index, name, line in rows:
        f = group[int(file_index)][0]
        force = force_of_row(str(name or ""), f.display_name, int(line))
        if force.id != f.force_slug:
            raise InputError(
                f"the file is for force '{f.force_slug}' but this row falls within "
                f"'{force.name}' ('{force.id}'); load each force's rows from its own file",
                file=f.display_name,
                row=int(line),
                column="Falls within",
                kept=_KEPT,
            )


def _raise_on_shrinking(con: duckdb.DuckDBPyConnection, kind: str, replace_smaller: bool) -> None:
    """Refuse to empty a held force-month, or to shrink it by more than half unless asked."""
    for display, slug, month, usable, held in con.execute(
        police_sql.HELD_COUNTS_SQL, [kind]
    ).fetchall():
        what = f"{slug} {kind} {month:%Y-%m}"
        if int(usable) == 0 and int(held) > 0:
            raise InputError(
                f"no row of the file can be loaded, and {int(held):,} rows of {what} are held; "
                "the held month is kept",
                file=str(display),
                kept=_KEPT,
            )
        if not replace_smaller and int(usable) < SHRINK_RATIO * int(held):
            raise InputError(
                f"the file has {int(usable):,} usable rows for {what} but {int(held):,} are "
                "held (a download cut short?); give --replace-smaller to replace them anyway",
                file=str(display),
                kept=_KEPT,
            )


def _record_start_lines(f: PoliceFile) -> list[int] | None:
    """The line on which each data record of a file starts, or None when that is simply its
    position + 1 (no blank line and no value spanning lines)."""
    with open_text(f.path) as handle:
        text = handle.read()
    records = sum(1 for _ in csv.reader(io.StringIO(text)))
    if text.count("\n") + (0 if text.endswith("\n") else 1) == records:
        return None
    starts: list[int] = []
    reader = csv.reader(io.StringIO(text))
    previous_end = 0
    for row in reader:
        if row:
            starts.append(previous_end + 1)
        previous_end = reader.line_num
    return starts[1:]


def _correct_quarantine_lines(
    con: duckdb.DuckDBPyConnection, group: list[tuple[PoliceFile, str]]
) -> None:
    """Give quarantined rows their real line numbers in files with blank lines or values that
    span lines (DuckDB numbers records, not lines). Only files with quarantined rows are read."""
    by_source = {
        int(sid): group[int(index)][0]
        for sid, index in con.execute(
            "SELECT DISTINCT f.source_id, f.file_index FROM quarantine q "
            "JOIN _files f USING (source_id)"
        ).fetchall()
    }
    for source_id, f in by_source.items():
        starts = _record_start_lines(f)
        if starts is None:
            continue
        con.execute(
            "UPDATE quarantine SET line = list_extract(?, (line - 1)::INTEGER) WHERE source_id = ?",
            [starts, source_id],
        )


def _raise_on_mislabelled(con: duckdb.DuckDBPyConnection) -> None:
    row = con.execute(police_sql.WRONG_MONTH_FILES_SQL).fetchone()
    if row is None:
        return
    display, file_month, found, n = row
    raise InputError(
        f"the file is for {file_month} but all {int(n):,} of its rows are for other months "
        f"(mostly {found}); is it mislabelled?",
        file=str(display),
        row=2,
        column="Month",
        kept="nothing was loaded; the warehouse is unchanged",
    )


def _raise_on_rejects(con: duckdb.DuckDBPyConnection, group: list[tuple[PoliceFile, str]]) -> None:
    row = con.execute(police_sql.FIRST_REJECT_SQL).fetchone()
    if row is None:
        return
    path, line, column, error_type, message, count = row
    display = next((f.display_name for f, _ in group if str(f.path) == str(path)), str(path))
    what = {
        "INVALID ENCODING": "bytes that are not UTF-8 text",
        "MISSING COLUMNS": "too few fields (a truncated row?)",
        "TOO MANY COLUMNS": "too many fields",
        "UNQUOTED VALUE": "a badly quoted value",
    }.get(str(error_type), str(error_type).lower())
    more = f"; {int(count) - 1} more problem rows in the load" if int(count) > 1 else ""
    raise InputError(
        f"{what}: {str(message).splitlines()[0]}{more}",
        file=display,
        row=int(line),
        column=None if error_type in ("MISSING COLUMNS", "TOO MANY COLUMNS") else str(column),
        kept="nothing was loaded; the warehouse is unchanged",
    )


__all__ = [
    "COLUMNS",
    "SHRINK_RATIO",
    "STOP_SEARCH",
    "STREET",
    "FileLoad",
    "LoadReport",
    "load_files",
    "load_police_uk",
    "prepared",
]
