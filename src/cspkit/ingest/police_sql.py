"""The SQL behind a police.uk load, one statement per step, per kind of file.

Steps: register the files as sources; read every file once with DuckDB's CSV reader straight
into the kind's table, typing the values, giving each row its reason to be unusable and
keeping the usable ones (rows that break the CSV structure or UTF-8 are recorded as rejects
and stop the load). A file whose counts show it needs more (some row unusable, a value over
several lines, control bytes, another force's name) is read again into a temporary table,
where its rows get their line numbers, its checks and its quarantine. Then districts are
given by LSOA name where the code is unknown, earlier loads of the same force-months are
replaced, and every file is counted.
"""

from __future__ import annotations

from datetime import date

import duckdb

from cspkit.ingest.files import COLUMNS, OUTCOMES, STOP_SEARCH, STREET, PoliceFile
from cspkit.ingest.scan import FileScan
from cspkit.warehouse.registry import KNOWN_CATEGORIES

#: Coordinates outside this box (the UK with a margin) are impossible for police.uk records.
LATITUDE_RANGE = (49.0, 61.0)
LONGITUDE_RANGE = (-9.0, 2.5)

TARGET_TABLE = {STREET: "crimes", OUTCOMES: "outcomes", STOP_SEARCH: "stop_search"}
PER_KIND_TEMP_TABLES = ("_files", "_typed", "_file_rows", "_counts", "_rejects", "_reject_scans")
TEMP_TABLES = (*PER_KIND_TEMP_TABLES, "_lsoa_code_map", "_lsoa_prefix_map")

# LSOA names are "<district> <MSOA number><letter>", e.g. "Maidstone 012A".
_LSOA_SUFFIX = r"\s+[0-9]{3}[A-Z]$"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def prepare_lookups(con: duckdb.DuckDBPyConnection) -> None:
    """LSOA code -> district, and LSOA-name prefix -> district for unknown codes."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _lsoa_code_map AS "
        "SELECT lsoa_code, arg_max(lad_code, vintage) AS lad_code "
        "FROM lsoa_lookup GROUP BY lsoa_code"
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _lsoa_prefix_map AS
        WITH p AS (
            SELECT lower(regexp_replace(lsoa_name, '{_LSOA_SUFFIX}', '')) AS prefix, lad_code
            FROM lsoa_lookup
        ), unique_prefix AS (
            SELECT prefix, min(lad_code) AS lad_code FROM p
            GROUP BY prefix HAVING count(DISTINCT lad_code) = 1
        )
        SELECT * FROM unique_prefix
        UNION ALL
        SELECT lower(lad_name), lad_code FROM districts
        WHERE lower(lad_name) NOT IN (SELECT prefix FROM p)
        """
    )


def register_files(con: duckdb.DuckDBPyConnection, group: list[PoliceFile]) -> list[int]:
    """Give each file a source id, in a temp table mapping file paths to source ids.

    Their sources rows are written by :func:`record_sources` once they are loaded."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _files (file_index BIGINT, path VARCHAR, "
        "source_id INTEGER, file_month DATE, force_slug VARCHAR, display VARCHAR, sha256 VARCHAR)"
    )
    ids = [
        int(r[0])
        for r in con.execute("SELECT nextval('source_ids') FROM range(?)", [len(group)]).fetchall()
    ]
    rows = [
        (index, str(f.path), source_id, f.month, f.force_slug, f.display_name, "")
        for index, (f, source_id) in enumerate(zip(group, ids, strict=True))
    ]
    placeholders = ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * len(rows))
    con.execute(
        f"INSERT INTO _files VALUES {placeholders}", [value for row in rows for value in row]
    )
    return ids


def typed_rows_sql(
    kind: str, file_months: list[date], control_files: list[int], indexes: list[int]
) -> str:
    """Read files of one kind (the paths as a list parameter) as text plus typed month and
    coordinates, each row with its file's index and its reason to be unusable (NULL if none).

    ``indexes`` are the files' indexes in the load's ``_files`` table, in the order of the
    paths; ``file_months`` the months of all the load's files. Values are searched for
    control characters only in ``control_files`` (file indexes whose bytes hold some). No join
    or window here: the rows come in the files' row order (DuckDB preserves insertion order),
    which gives quarantined rows their line numbers. Rows that break the CSV structure or
    UTF-8 go to _rejects instead.
    """
    columns = "{" + ", ".join(f"{_quote(c)}: 'VARCHAR'" for c in COLUMNS[kind]) + "}"
    if kind == STOP_SEARCH:
        month_expr = "date_trunc('month', try_cast(\"Date\" AS TIMESTAMPTZ))::DATE"
    else:
        month_expr = "try_strptime(\"Month\", '%Y-%m')::DATE"
    months = "[" + ", ".join(f"DATE '{m.isoformat()}'" for m in file_months) + "]"
    if indexes == list(range(len(file_months))):
        index_expr = "file_index::BIGINT"
    else:
        index_expr = "[" + ", ".join(str(int(i)) for i in indexes) + "][file_index::BIGINT + 1]"
    return (
        f"SELECT t.*, {reason_sql(kind, control_files)} AS reason "
        f"FROM (SELECT *, {index_expr} AS file_index, "
        f"{month_expr} AS month_value, {months}[{index_expr} + 1] AS file_month, "
        'try_cast("Longitude" AS DOUBLE) AS lon, try_cast("Latitude" AS DOUBLE) AS lat '
        f"FROM read_csv(?, header = true, columns = {columns}, auto_detect = false, "
        "delim = ',', quote = '\"', escape = '\"', strict_mode = true, encoding = 'utf-8', "
        "store_rejects = true, rejects_table = '_rejects', rejects_scan = '_reject_scans')) t"
    )


def read_typed_sql(
    kind: str, file_months: list[date], control_files: list[int], indexes: list[int]
) -> str:
    """Read files into the temporary table ``_typed`` (see :func:`typed_rows_sql`), for the
    checks and the quarantine that need every row and its line number."""
    return "CREATE OR REPLACE TEMP TABLE _typed AS " + typed_rows_sql(
        kind, file_months, control_files, indexes
    )


FILE_ROWS_SQL = """
CREATE OR REPLACE TEMP TABLE _file_rows AS
SELECT file_index, min(rowid) AS first_rowid, count(*) AS rows_read
FROM _typed GROUP BY file_index
"""
"""Each file's first row in _typed and its number of rows (for line numbers and counts)."""

FILE_ROWS_SQL_EMPTY = """
CREATE OR REPLACE TEMP TABLE _file_rows (file_index BIGINT, first_rowid BIGINT, rows_read BIGINT)
"""
"""_file_rows before any file is read into _typed: files read once are counted by their
usable rows."""


FIRST_REJECT_SQL = """
SELECT s.file_path, e.line, e.column_name, e.error_type, e.error_message,
       count(DISTINCT (e.file_id, e.line)) OVER () AS problems
FROM _rejects e JOIN _reject_scans s USING (scan_id, file_id)
ORDER BY s.file_path, e.line
LIMIT 1
"""


FORCE_NAMES_SQL = """
SELECT t.file_index, t."Falls within", min(t.rowid) - r.first_rowid + 2 AS line
FROM _typed t JOIN _file_rows r USING (file_index)
GROUP BY t.file_index, t."Falls within", r.first_rowid
ORDER BY 1, 3
"""
"""Each file's distinct "Falls within" values, with the first line holding each."""


def held_counts_sql(kind: str) -> str:
    """Per file replacing a held force-month: display, force, month, usable rows (those in the
    kind's table), rows held."""
    return f"""
    WITH usable AS (
        SELECT source_id, count(*) AS n FROM {TARGET_TABLE[kind]}
        WHERE source_id IN (SELECT source_id FROM _files) GROUP BY source_id
    )
    SELECT f.display, f.force_slug, f.file_month, coalesce(u.n, 0), s.rows_loaded
    FROM _files f
    JOIN sources s ON s.force_slug = f.force_slug AND s.month = f.file_month
    LEFT JOIN usable u ON u.source_id = f.source_id
    WHERE s.kind = {_quote(kind)} AND s.replaced_by IS NULL
      AND s.source_id NOT IN (SELECT source_id FROM _files)
    ORDER BY f.display
    """


def loaded_counts_sql(kind: str) -> str:
    """Per file of the load: its index, each "Falls within" value of its usable rows (NULL for
    stop-and-search, which has none) and how many usable rows hold it."""
    force = "t.force" if kind != STOP_SEARCH else "NULL"
    return f"""
    SELECT f.file_index, {force}, count(*)
    FROM {TARGET_TABLE[kind]} t JOIN _files f ON f.source_id = t.source_id
    GROUP BY ALL
    """


def _coordinate_reason(lon_text: str, lat_text: str) -> str:
    lat_lo, lat_hi = LATITUDE_RANGE
    lon_lo, lon_hi = LONGITUDE_RANGE
    return f"""
        WHEN ({lon_text} IS NOT NULL AND t.lon IS NULL)
             OR ({lat_text} IS NOT NULL AND t.lat IS NULL)
            THEN 'unparseable coordinates'
        WHEN (t.lon IS NULL) <> (t.lat IS NULL) THEN 'only one of longitude and latitude given'
        WHEN t.lon IS NOT NULL AND NOT (t.lon BETWEEN {lon_lo} AND {lon_hi}
                                        AND t.lat BETWEEN {lat_lo} AND {lat_hi})
            THEN 'impossible coordinates (outside the United Kingdom)'
    """


def _month_reason(month_text: str) -> str:
    return f"""
        WHEN t.month_value IS NULL
            THEN 'unparseable month ' || coalesce('''' || {month_text} || '''', '(blank)')
        WHEN t.month_value <> t.file_month
            THEN 'month ' || strftime(t.month_value, '%Y-%m') || ' differs from the file''s month '
                 || strftime(t.file_month, '%Y-%m')
    """


#: Control characters (NUL, bell, escape...; tab, line feed and carriage return allowed): they
#: have no meaning in a police.uk value and cannot be written to a Word report.
CONTROL_CHARACTERS = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]"


def multiline_values_sql(kind: str) -> str:
    """Rows with a value running over several lines (in the files given as a list parameter):
    file, record line, column, value."""
    columns = COLUMNS[kind]
    anywhere = "concat_ws('', " + ", ".join(f"t.{_ident(c)}" for c in columns) + ")"
    unpivot = ", ".join(f"({_quote(c)}, t.{_ident(c)})" for c in columns)
    return f"""
    SELECT t.file_index, t.rowid - r.first_rowid + 2 AS line, v.col, v.val
    FROM _typed t JOIN _file_rows r USING (file_index),
         LATERAL (SELECT * FROM (VALUES {unpivot}) AS u(col, val)) v
    WHERE list_contains(?, t.file_index) AND contains({anywhere}, chr(10))
      AND contains(v.val, chr(10))
    ORDER BY 1, 2
    LIMIT 100
    """


def _control_reason(kind: str, control_files: list[int]) -> str:
    if not control_files:
        return ""
    files = ", ".join(str(int(i)) for i in control_files)
    columns = COLUMNS[kind]
    anywhere = "concat_ws('', " + ", ".join(f"t.{_ident(c)}" for c in columns) + ")"
    which = " ".join(
        f"WHEN regexp_matches(t.{_ident(c)}, {_quote(CONTROL_CHARACTERS)}) THEN {_quote(c)}"
        for c in columns
    )
    return f"""
        WHEN t.file_index IN ({files}) AND regexp_matches({anywhere}, {_quote(CONTROL_CHARACTERS)})
            THEN 'control character (such as NUL) in ' || (CASE {which} END)
    """


def reason_sql(kind: str, control_files: list[int]) -> str:
    """Why a row t (typed values and its file's month) is unusable; NULL when usable."""
    categories = ", ".join(_quote(c) for c in sorted(KNOWN_CATEGORIES))
    month_text = 't."Date"' if kind == STOP_SEARCH else 't."Month"'
    category_reason = (
        f"""WHEN t."Crime type" IS NULL OR t."Crime type" NOT IN ({categories})
            THEN 'unknown category ' || coalesce('''' || t."Crime type" || '''', '(blank)')"""
        if kind == STREET
        else ""
    )
    return f"""(CASE
        {_control_reason(kind, control_files)}
        {_month_reason(month_text)}
        {category_reason}
        {_coordinate_reason('t."Longitude"', 't."Latitude"')}
        ELSE NULL END)"""


def replace_earlier(con: duckdb.DuckDBPyConnection, kind: str) -> set[tuple[str, date]]:
    """Remove earlier loads of the same force-months; return which force-months they were."""
    table = TARGET_TABLE[kind]
    rows = con.execute(
        """
        SELECT DISTINCT s.source_id, s.force_slug, s.month, f.source_id
        FROM sources s JOIN _files f ON s.force_slug = f.force_slug AND s.month = f.file_month
        WHERE s.kind = ? AND s.replaced_by IS NULL
          AND s.source_id NOT IN (SELECT source_id FROM _files)
        """,
        [kind],
    ).fetchall()
    for old_id, _slug, _month, new_id in rows:
        con.execute("UPDATE sources SET replaced_by = ? WHERE source_id = ?", [new_id, old_id])
        con.execute("DELETE FROM quarantine WHERE source_id = ?", [old_id])
    if rows:
        con.execute(
            f"DELETE FROM {table} USING _files f "
            f"WHERE {table}.force_slug = f.force_slug AND {table}.month = f.file_month "
            f"AND {table}.source_id NOT IN (SELECT source_id FROM _files)"
        )
    return {(str(slug), month) for _, slug, month, _ in rows}


#: The district of a row by its LSOA code. A scalar subquery, not a join: in DuckDB a join
#: between the CSV reader and the table insert slows the insert threefold.
_DISTRICT_BY_CODE = (
    '(SELECT m.lad_code FROM _lsoa_code_map m WHERE m.lsoa_code = s."LSOA code") AS lad_code'
)
_DISTRICT_COLUMNS = "t.lad_code, CASE WHEN t.lad_code IS NOT NULL THEN 'code' END"


def assign_by_name_sql(kind: str) -> str:
    """Give this load's rows without a district by LSOA code the district named in their LSOA
    name ("Maidstone 012A" -> Maidstone), where that name is unique to one district."""
    table = TARGET_TABLE[kind]
    return f"""
    UPDATE {table} SET lad_code = n.lad_code, lad_method = 'name'
    FROM _lsoa_prefix_map n
    WHERE {table}.source_id IN (SELECT source_id FROM _files) AND {table}.lad_code IS NULL
      AND {table}.lsoa_name IS NOT NULL
      AND n.prefix = lower(regexp_replace({table}.lsoa_name, '{_LSOA_SUFFIX}', ''))
    """


def insert_valid_sql(kind: str, rows: str) -> str:
    """Insert the usable rows of ``rows`` (``_typed``, or a :func:`typed_rows_sql` query in
    brackets) into the kind's table, with district (by LSOA code) and force.

    A blank "Falls within" is kept as '' (the column is NOT NULL) so that the force check
    finds it; such a load never commits."""
    if kind == STREET:
        return f"""
        INSERT INTO crimes
        SELECT f.source_id, t."Crime ID", t.month_value,
               coalesce(t."Falls within", ''), t."Reported by", f.force_slug,
               t.lon, t.lat, t."Location", t."LSOA code", t."LSOA name", t."Crime type",
               t."Last outcome category", t."Context", {_DISTRICT_COLUMNS}
        FROM (SELECT s.*, {_DISTRICT_BY_CODE} FROM {rows} s WHERE s.reason IS NULL) t
        JOIN _files f USING (file_index)
        """
    if kind == OUTCOMES:
        return f"""
        INSERT INTO outcomes
        SELECT f.source_id, t."Crime ID", t.month_value,
               coalesce(t."Falls within", ''), t."Reported by", f.force_slug,
               t.lon, t.lat, t."Location", t."LSOA code", t."LSOA name",
               coalesce(t."Outcome type", 'Not recorded'), {_DISTRICT_COLUMNS}
        FROM (SELECT s.*, {_DISTRICT_BY_CODE} FROM {rows} s WHERE s.reason IS NULL) t
        JOIN _files f USING (file_index)
        """
    return f"""
    INSERT INTO stop_search
    SELECT f.source_id, f.force_slug, t.month_value, t."Type", try_cast(t."Date" AS TIMESTAMPTZ),
           try_cast(t."Part of a policing operation" AS BOOLEAN), t."Policing operation",
           t.lat, t.lon, t."Gender", t."Age range", t."Self-defined ethnicity",
           t."Officer-defined ethnicity", t."Legislation", t."Object of search", t."Outcome",
           try_cast(t."Outcome linked to object of search" AS BOOLEAN),
           try_cast(t."Removal of more than just outer clothing" AS BOOLEAN)
    FROM {rows} t JOIN _files f USING (file_index)
    WHERE t.reason IS NULL
    """


def insert_quarantine_sql(kind: str) -> str:
    """Keep every unusable row with its line number, reason and the values as read (JSON)."""
    fields = ", ".join(f"{_ident(c)} := t.{_ident(c)}" for c in COLUMNS[kind])
    return f"""
    INSERT INTO quarantine
    SELECT f.source_id, f.display, t.rowid - r.first_rowid + 2, t.reason,
           to_json(struct_pack({fields}))::VARCHAR
    FROM _typed t JOIN _files f USING (file_index) JOIN _file_rows r USING (file_index)
    WHERE t.reason IS NOT NULL
    """


def count_files_sql(kind: str) -> str:
    """Count every file of the load into ``_counts``: rows read, loaded, quarantined and
    loaded without a district."""
    table = TARGET_TABLE[kind]
    district = "count(*) FILTER (WHERE lad_code IS NULL)" if kind != STOP_SEARCH else "0"
    return f"""
    CREATE OR REPLACE TEMP TABLE _counts AS
    WITH loaded AS (
        SELECT source_id, count(*) AS n, {district} AS unassigned FROM {table}
        WHERE source_id IN (SELECT source_id FROM _files) GROUP BY source_id
    ), quarantined AS (
        SELECT source_id, count(*) AS n FROM quarantine
        WHERE source_id IN (SELECT source_id FROM _files) GROUP BY source_id
    )
    SELECT f.file_index, f.source_id,
           -- a file read only once (none of its rows unusable) has read = loaded
           coalesce(r.rows_read, l.n, 0) AS rows_read, coalesce(l.n, 0) AS rows_loaded,
           coalesce(q.n, 0) AS rows_quarantined, coalesce(l.unassigned, 0) AS rows_unassigned
    FROM _files f
    LEFT JOIN _file_rows r USING (file_index)
    LEFT JOIN loaded l ON l.source_id = f.source_id
    LEFT JOIN quarantined q ON q.source_id = f.source_id
    """


def record_sources(con: duckdb.DuckDBPyConnection, kind: str, scans: list[FileScan]) -> None:
    """Write each file's sources row: name, SHA-256 of its bytes as stored, force, month and
    the counts of :func:`count_files_sql`."""
    con.execute(
        "INSERT INTO sources (source_id, kind, file_name, sha256, force_slug, month, "
        "rows_read, rows_loaded, rows_quarantined, rows_unassigned) "
        "SELECT f.source_id, ?, f.display, h.sha256, f.force_slug, f.file_month, "
        "c.rows_read, c.rows_loaded, c.rows_quarantined, c.rows_unassigned "
        "FROM _files f JOIN _counts c USING (file_index) "
        "JOIN (SELECT unnest(?::BIGINT[]) AS file_index, unnest(?::VARCHAR[]) AS sha256) h "
        "USING (file_index) ORDER BY f.file_index",
        [kind, list(range(len(scans))), [scan.sha256 for scan in scans]],
    )


WRONG_MONTH_FILES_SQL = """
SELECT f.display, strftime(f.file_month, '%Y-%m'), strftime(mode(t.month_value), '%Y-%m'),
       count(*)
FROM _typed t JOIN _files f USING (file_index)
GROUP BY f.display, f.file_month
HAVING count(*) > 0 AND count(*) = count(*) FILTER (
    WHERE t.month_value IS NOT NULL AND t.month_value <> t.file_month
)
ORDER BY f.display
"""
"""Files in which every row belongs to another month than the file's: a mislabelled file."""
