"""The SQL behind a police.uk load, one statement per step, per kind of file.

Steps: register the files as sources; read every file as text with DuckDB's CSV reader
(rows that break the CSV structure or UTF-8 are recorded as rejects and stop the load);
type the values and give each unusable row its reason; replace earlier loads of the same
force-months; insert the valid rows with their district; quarantine the rest; count.
"""

from __future__ import annotations

from datetime import date

import duckdb

from cspkit.ingest.files import COLUMNS, OUTCOMES, STOP_SEARCH, STREET, PoliceFile
from cspkit.warehouse.registry import KNOWN_CATEGORIES

#: Coordinates outside this box (the UK with a margin) are impossible for police.uk records.
LATITUDE_RANGE = (49.0, 61.0)
LONGITUDE_RANGE = (-9.0, 2.5)

TARGET_TABLE = {STREET: "crimes", OUTCOMES: "outcomes", STOP_SEARCH: "stop_search"}
PER_KIND_TEMP_TABLES = ("_files", "_raw", "_typed", "_rejects", "_reject_scans")
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


def register_files(
    con: duckdb.DuckDBPyConnection, kind: str, group: list[tuple[PoliceFile, str]]
) -> list[int]:
    """Add a sources row per file and a temp table mapping file paths to source ids."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _files (path VARCHAR, source_id INTEGER, "
        "file_month DATE, force_slug VARCHAR, display VARCHAR)"
    )
    ids: list[int] = []
    for f, digest in group:
        row = con.execute("SELECT nextval('source_ids')").fetchone()
        assert row is not None
        source_id = int(row[0])
        ids.append(source_id)
        con.execute(
            "INSERT INTO sources (source_id, kind, file_name, sha256, force_slug, month, "
            "rows_read, rows_loaded, rows_quarantined) VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0)",
            [source_id, kind, f.display_name, digest, f.force_slug, f.month],
        )
        con.execute(
            "INSERT INTO _files VALUES (?, ?, ?, ?, ?)",
            [str(f.path), source_id, f.month, f.force_slug, f.display_name],
        )
    return ids


def read_raw_sql(kind: str) -> str:
    """Read every file of one kind as text; structural problems go to _rejects."""
    columns = "{" + ", ".join(f"{_quote(c)}: 'VARCHAR'" for c in COLUMNS[kind]) + "}"
    return (
        "CREATE OR REPLACE TEMP TABLE _raw AS SELECT * FROM read_csv(?, header = true, "
        f"columns = {columns}, filename = true, auto_detect = false, delim = ',', "
        "quote = '\"', escape = '\"', strict_mode = true, encoding = 'utf-8', "
        "store_rejects = true, rejects_table = '_rejects', rejects_scan = '_reject_scans')"
    )


FIRST_REJECT_SQL = """
SELECT s.file_path, e.line, e.column_name, e.error_type, e.error_message,
       count(DISTINCT (e.file_id, e.line)) OVER () AS problems
FROM _rejects e JOIN _reject_scans s USING (scan_id, file_id)
ORDER BY s.file_path, e.line
LIMIT 1
"""


def _coordinate_reason(lon_text: str, lat_text: str) -> str:
    lat_lo, lat_hi = LATITUDE_RANGE
    lon_lo, lon_hi = LONGITUDE_RANGE
    return f"""
        WHEN ({lon_text} IS NOT NULL AND lon IS NULL) OR ({lat_text} IS NOT NULL AND lat IS NULL)
            THEN 'unparseable coordinates'
        WHEN (lon IS NULL) <> (lat IS NULL) THEN 'only one of longitude and latitude given'
        WHEN lon IS NOT NULL AND NOT (lon BETWEEN {lon_lo} AND {lon_hi}
                                      AND lat BETWEEN {lat_lo} AND {lat_hi})
            THEN 'impossible coordinates (outside the United Kingdom)'
    """


def _month_reason(month_text: str) -> str:
    return f"""
        WHEN month_value IS NULL
            THEN 'unparseable month ' || coalesce('''' || {month_text} || '''', '(blank)')
        WHEN month_value <> file_month
            THEN 'month ' || strftime(month_value, '%Y-%m') || ' differs from the file''s month '
                 || strftime(file_month, '%Y-%m')
    """


def typed_sql(kind: str) -> str:
    """Type the text values and give each unusable row its reason (NULL = usable)."""
    categories = ", ".join(_quote(c) for c in sorted(KNOWN_CATEGORIES))
    if kind == STOP_SEARCH:
        month_expr = "date_trunc('month', try_cast(r.\"Date\" AS TIMESTAMPTZ))::DATE"
        month_text = 'r."Date"'
    else:
        month_expr = "try_strptime(r.\"Month\", '%Y-%m')::DATE"
        month_text = 'r."Month"'
    category_reason = (
        f"""WHEN r."Crime type" IS NULL OR r."Crime type" NOT IN ({categories})
            THEN 'unknown category ' || coalesce('''' || r."Crime type" || '''', '(blank)')"""
        if kind == STREET
        else ""
    )
    return f"""
    CREATE OR REPLACE TEMP TABLE _typed AS
    SELECT *, CASE
        {_month_reason(month_text.replace("r.", ""))}
        {category_reason.replace("r.", "")}
        {_coordinate_reason('"Longitude"', '"Latitude"')}
        ELSE NULL END AS reason
    FROM (
        SELECT f.source_id, f.display, f.force_slug, f.file_month,
               r.rowid - min(r.rowid) OVER (PARTITION BY r.filename) + 2 AS line,
               r.* EXCLUDE (filename),
               {month_expr} AS month_value,
               try_cast(r."Longitude" AS DOUBLE) AS lon,
               try_cast(r."Latitude" AS DOUBLE) AS lat
        FROM _raw r JOIN _files f ON f.path = r.filename
    )
    """


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
            f"WHERE {table}.force_slug = f.force_slug AND {table}.month = f.file_month"
        )
    return {(str(slug), month) for _, slug, month, _ in rows}


_DISTRICT_JOIN = f"""
    LEFT JOIN _lsoa_code_map c ON c.lsoa_code = t."LSOA code"
    LEFT JOIN _lsoa_prefix_map n
        ON n.prefix = lower(regexp_replace(t."LSOA name", '{_LSOA_SUFFIX}', ''))
"""
_DISTRICT_COLUMNS = """
    coalesce(c.lad_code, n.lad_code),
    CASE WHEN c.lad_code IS NOT NULL THEN 'code' WHEN n.lad_code IS NOT NULL THEN 'name' END
"""


def insert_valid_sql(kind: str) -> str:
    """Insert the usable rows into the kind's table, with district and force."""
    if kind == STREET:
        return f"""
        INSERT INTO crimes
        SELECT t.source_id, t."Crime ID", t.month_value,
               coalesce(t."Falls within", t.force_slug), t."Reported by", t.force_slug,
               t.lon, t.lat, t."Location", t."LSOA code", t."LSOA name", t."Crime type",
               t."Last outcome category", t."Context", {_DISTRICT_COLUMNS}
        FROM _typed t {_DISTRICT_JOIN}
        WHERE t.reason IS NULL
        """
    if kind == OUTCOMES:
        return f"""
        INSERT INTO outcomes
        SELECT t.source_id, t."Crime ID", t.month_value,
               coalesce(t."Falls within", t.force_slug), t."Reported by", t.force_slug,
               t.lon, t.lat, t."Location", t."LSOA code", t."LSOA name",
               coalesce(t."Outcome type", 'Not recorded'), {_DISTRICT_COLUMNS}
        FROM _typed t {_DISTRICT_JOIN}
        WHERE t.reason IS NULL
        """
    return """
    INSERT INTO stop_search
    SELECT t.source_id, t.force_slug, t.month_value, t."Type", try_cast(t."Date" AS TIMESTAMPTZ),
           try_cast(t."Part of a policing operation" AS BOOLEAN), t."Policing operation",
           t.lat, t.lon, t."Gender", t."Age range", t."Self-defined ethnicity",
           t."Officer-defined ethnicity", t."Legislation", t."Object of search", t."Outcome",
           try_cast(t."Outcome linked to object of search" AS BOOLEAN),
           try_cast(t."Removal of more than just outer clothing" AS BOOLEAN)
    FROM _typed t WHERE t.reason IS NULL
    """


def insert_quarantine_sql(kind: str) -> str:
    """Keep every unusable row with its reason and the values as read (JSON)."""
    fields = ", ".join(f"{_ident(c)} := {_ident(c)}" for c in COLUMNS[kind])
    return (
        "INSERT INTO quarantine SELECT source_id, display, line, reason, "
        f"to_json(struct_pack({fields}))::VARCHAR FROM _typed WHERE reason IS NOT NULL"
    )


def file_counts_sql(kind: str) -> str:
    """Per file: path, source id, rows read, loaded, quarantined, without a district."""
    table = TARGET_TABLE[kind]
    unassigned = (
        f"SELECT source_id, count(*) AS n FROM {table} "
        "WHERE lad_code IS NULL AND source_id IN (SELECT source_id FROM _files) GROUP BY 1"
        if kind != STOP_SEARCH
        else "SELECT NULL::INTEGER AS source_id, 0 AS n WHERE false"
    )
    return f"""
    SELECT f.path, f.source_id, count(t.line),
           count(t.line) FILTER (WHERE t.reason IS NULL),
           count(t.line) FILTER (WHERE t.reason IS NOT NULL),
           coalesce(any_value(u.n), 0)
    FROM _files f
    LEFT JOIN _typed t ON t.source_id = f.source_id
    LEFT JOIN ({unassigned}) u ON u.source_id = f.source_id
    GROUP BY f.path, f.source_id
    ORDER BY f.path
    """


def record_counts(
    con: duckdb.DuckDBPyConnection, counts: list[tuple[int, int, int, int, int]]
) -> None:
    """Store rows read/loaded/quarantined/unassigned on each file's sources row."""
    con.executemany(
        "UPDATE sources SET rows_read = ?, rows_loaded = ?, rows_quarantined = ?, "
        "rows_unassigned = ? WHERE source_id = ?",
        [
            [read, loaded, quarantined, unassigned, sid]
            for sid, read, loaded, quarantined, unassigned in counts
        ],
    )


WRONG_MONTH_FILES_SQL = """
SELECT display, strftime(file_month, '%Y-%m'), strftime(mode(month_value), '%Y-%m'), count(*)
FROM _typed
GROUP BY display, file_month
HAVING count(*) > 0 AND count(*) = count(*) FILTER (
    WHERE month_value IS NOT NULL AND month_value <> file_month
)
ORDER BY display
"""
"""Files in which every row belongs to another month than the file's: a mislabelled file."""
