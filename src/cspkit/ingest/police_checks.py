"""Checks of a police.uk load that stop it with one clear line, and real line numbers.

Each check runs on the rows read into the load's temporary tables, before anything replaces
held data: unreadable rows, a value swallowing the rows after it, rows of another force, a
file whose rows are all for another month, and a reload that would empty or halve a held
force-month. Quarantined rows get the line numbers an editor shows.
"""

from __future__ import annotations

import csv

import duckdb

from cspkit.errors import InputError
from cspkit.ingest import police_sql
from cspkit.ingest.files import COLUMNS, PoliceFile, force_of_row, open_text
from cspkit.ingest.scan import FileScan

#: A reload keeping fewer than this share of the rows held for a force-month is refused unless
#: the user says ``replace_smaller`` (a download cut short is the usual cause).
SHRINK_RATIO = 0.5
_KEPT = "nothing was loaded; the warehouse is unchanged"


def with_extra_lines(
    con: duckdb.DuckDBPyConnection, group: list[tuple[PoliceFile, FileScan]]
) -> list[int]:
    """Files (by index) read into _typed with more lines than records: blank lines or values
    that span lines. Only these need the slower checks that look inside values for line
    breaks."""
    rows = con.execute("SELECT file_index, rows_read FROM _file_rows").fetchall()
    return sorted(int(i) for i, read in rows if lines_of(group[int(i)][1]) > int(read) + 1)


def lines_of(scan: FileScan) -> int:
    """How many lines a file has: its line feeds, and one more if its last line has none."""
    return scan.line_feeds + (0 if scan.ends_with_line_feed else 1)


def raise_on_swallowed_rows(
    con: duckdb.DuckDBPyConnection, kind: str, group: list[tuple[PoliceFile, FileScan]]
) -> None:
    """A value spanning lines that holds whole rows is a badly quoted value, never data."""
    enough_commas = len(COLUMNS[kind]) // 2
    suspects = with_extra_lines(con, group)
    if not suspects:
        return
    for file_index, record_line, column, value in con.execute(
        police_sql.multiline_values_sql(kind), [suspects]
    ).fetchall():
        pieces = str(value).splitlines()[1:]
        if any(p.count(",") >= enough_commas for p in pieces):
            f = group[int(file_index)][0]
            starts = record_start_lines(f)
            line = starts[int(record_line) - 2] if starts else int(record_line)
            raise InputError(
                f"a badly quoted value: it runs over {len(pieces) + 1} lines and swallows "
                "what look like whole rows",
                file=f.display_name,
                row=line,
                column=str(column),
                kept=_KEPT,
            )


def raise_on_other_forces(
    con: duckdb.DuckDBPyConnection, group: list[tuple[PoliceFile, FileScan]]
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


def raise_on_shrinking(con: duckdb.DuckDBPyConnection, kind: str, replace_smaller: bool) -> None:
    """Refuse to empty a held force-month, or to shrink it by more than half unless asked."""
    for display, slug, month, usable, held in con.execute(
        police_sql.held_counts_sql(kind)
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


def record_start_lines(f: PoliceFile) -> list[int] | None:
    """The line on which each data record of a file starts, or None when that is simply its
    position + 1 (no blank line and no value spanning lines)."""
    with open_text(f.path) as handle:
        reader = csv.reader(handle)
        starts: list[int] = []
        previous_end = 0
        for row in reader:
            if row:  # a blank line is no record (DuckDB skips it too)
                starts.append(previous_end + 1)
            previous_end = reader.line_num
    records = starts[1:]  # the header is no data record
    return None if records == list(range(2, len(records) + 2)) else records


def correct_quarantine_lines(
    con: duckdb.DuckDBPyConnection, group: list[tuple[PoliceFile, FileScan]]
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
    extra = {group[i][0].path for i in with_extra_lines(con, group)}
    for source_id, f in by_source.items():
        if f.path not in extra:
            continue
        starts = record_start_lines(f)
        if starts is None:
            continue
        con.execute(
            "UPDATE quarantine SET line = list_extract(?, (line - 1)::INTEGER) WHERE source_id = ?",
            [starts, source_id],
        )


def raise_on_mislabelled(con: duckdb.DuckDBPyConnection) -> None:
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


def raise_on_rejects(
    con: duckdb.DuckDBPyConnection, group: list[tuple[PoliceFile, FileScan]]
) -> None:
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
