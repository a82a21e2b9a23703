"""Loading partners' indicator values, and the registry that says what each indicator is.

Partners (fire service, road safety, health, probation, the council's ASB team) send
aggregate values in long format, one value a row, as CSV or XLSX (the first worksheet):

    indicator, area, period_start, period_end, value [, denominator]

``area`` is an ONS code of a district, ward or LSOA known to the warehouse, or a district name.
Dates are ISO (YYYY-MM-DD) or spreadsheet dates; ``period_end`` is the last day of the period.
Each indicator must be registered first, from a registry file with the columns

    indicator, name, unit, polarity, denominator_basis, source_agency [, description]

Every row is checked before anything is written, and one problem stops the load with a
message naming the file, row (header = row 1; for XLSX the sheet row) and column; the warehouse
is then exactly as it was. A load is one transaction. Loading a file again replaces the values
of the same (indicator, area, period), so a reload changes nothing.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from cspkit.errors import UnknownAreaError
from cspkit.ingest.files import sha256_of
from cspkit.ingest.indicator_registry import (
    COUNT,
    OPTIONAL_REGISTRY_COLUMNS,
    PERCENT,
    RATE,
    REGISTRY_COLUMNS,
    UNITS,
    RegistryEntry,
    RegistryLoadReport,
    _parse_registry,
    _read_registry,
    _registry_in_transaction,
    load_registry,
)
from cspkit.ingest.tabular import (
    NOTHING_WRITTEN,
    Cell,
    Problems,
    Table,
    date_of,
    next_source_id,
    number_of,
    read_sheets,
    table_with_header,
    text_of,
)
from cspkit.warehouse.registry import police_indicators
from cspkit.warehouse.series import resolve_district
from cspkit.warehouse.transaction import transaction

VALUE_COLUMNS: tuple[str, ...] = ("indicator", "area", "period_start", "period_end", "value")
OPTIONAL_VALUE_COLUMNS: tuple[str, ...] = ("denominator",)
PERCENT_MIN, PERCENT_MAX = 0.0, 100.0

SOURCE_KIND = "indicators"
_ONS_CODE = re.compile(r"^[A-Z][0-9]{8}$")

REGISTER_HINT = (
    "register it in an indicator registry file (columns "
    + ", ".join(REGISTRY_COLUMNS)
    + ") and give that file with the values, e.g. "
    "'cspkit ingest indicators VALUES.csv --registry REGISTRY.csv'"
)


@dataclass(frozen=True)
class IndicatorValue:
    """One checked row of a values file, its area resolved to an ONS code."""

    row: int
    indicator_id: str
    area_code: str
    period_start: date
    period_end: date
    value: float
    denominator: float | None


@dataclass(frozen=True)
class IndicatorLoadReport:
    """The outcome of one values load (and of its registry file, when one was given)."""

    file: str
    sha256: str
    source_id: int
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    values_replaced: int
    indicators: tuple[str, ...]
    areas: int
    registry: RegistryLoadReport | None

    @property
    def balanced(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_quarantined


# --- the values ----------------------------------------------------------------------------


def _resolve_areas(con: duckdb.DuckDBPyConnection, texts: set[str]) -> dict[str, str]:
    """Area text as given -> ONS code, for the texts that name a known area."""
    rows = con.execute(
        """
        SELECT t.txt, coalesce(any_value(a.area_code), any_value(d.lad_code))
        FROM unnest(?::VARCHAR[]) AS t(txt)
        LEFT JOIN areas a ON upper(a.area_code) = upper(trim(t.txt))
        LEFT JOIN districts d ON lower(d.lad_name) = lower(trim(t.txt))
        GROUP BY t.txt
        """,
        [sorted(texts)],
    ).fetchall()
    return {str(t): str(code) for t, code in rows if code is not None}


def _unknown_area(con: duckdb.DuckDBPyConnection, text: str) -> str:
    if _ONS_CODE.match(text.upper()):
        return "the ONS code of a district, ward or LSOA in the reference data"
    try:
        resolve_district(con, text)
    except UnknownAreaError as exc:
        return f"an ONS area code or a district name ({exc})"
    return "an ONS area code or a district name"


def _check_value(
    problems: Problems, row: int, unit: str | None, cell: Cell, value: float | None
) -> None:
    if value is None:
        problems.add(row, "value", "a number", cell)
    elif unit == COUNT and (value < 0 or not value.is_integer()):
        problems.add(row, "value", "a count: a whole number, 0 or more", cell)
    elif unit == PERCENT and not PERCENT_MIN <= value <= PERCENT_MAX:
        problems.add(row, "value", f"a percentage from {PERCENT_MIN:g} to {PERCENT_MAX:g}", cell)
    elif unit == RATE and value < 0:
        problems.add(row, "value", "a rate: a number, 0 or more", cell)


def _indicator_problem(ind: str, known: dict[str, str], police: set[str]) -> str:
    if ind in police:
        return (
            "an indicator registered for partner values; police.uk indicators are counted "
            "from police.uk records (register the partner's series under its own id)"
        )
    close = difflib.get_close_matches(ind, sorted(known), n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return f"a registered indicator{hint}; {REGISTER_HINT}"


def _parse_values(
    con: duckdb.DuckDBPyConnection, table: Table, units: dict[str, str]
) -> tuple[IndicatorValue, ...]:
    """Check every row; ``units`` maps each registered partner indicator to its unit."""
    problems = Problems(table.file)
    police = {i.id for i in police_indicators()}
    records = table.records()
    areas = _resolve_areas(con, {text_of(get("area")) for _, get in records})
    values: list[IndicatorValue] = []
    first_row: dict[tuple[str, str, date, date], int] = {}
    for row, get in records:
        ind = text_of(get("indicator"))
        if ind not in units:
            problems.add(row, "indicator", _indicator_problem(ind, units, police), ind)
        area_text = text_of(get("area"))
        area = areas.get(area_text)
        if area is None:
            problems.add(row, "area", _unknown_area(con, area_text), get("area"))
        start, end = date_of(get("period_start")), date_of(get("period_end"))
        if start is None:
            problems.add(row, "period_start", "a date as YYYY-MM-DD", get("period_start"))
        if end is None:
            problems.add(row, "period_end", "a date as YYYY-MM-DD", get("period_end"))
        elif start is not None and end < start:
            problems.add(row, "period_end", f"a date on or after period_start {start}", end)
        value = number_of(get("value"))
        _check_value(problems, row, units.get(ind), get("value"), value)
        denominator = number_of(get("denominator"))
        if text_of(get("denominator")) and (denominator is None or denominator <= 0):
            problems.add(row, "denominator", "a number above 0, or blank", get("denominator"))
        if area is None or start is None or end is None or value is None:
            continue
        key = (ind, area, start, end)
        if key in first_row:
            problems.add(
                row,
                "indicator",
                f"one value per indicator, area and period (row "
                f"{first_row[key]} has {ind} for {area} {start} to {end})",
                ind,
            )
        first_row.setdefault(key, row)
        values.append(IndicatorValue(row, ind, area, start, end, value, denominator))
    problems.raise_if_any()
    return tuple(values)


_REPLACE_SQL = """
DELETE FROM indicators USING _partner_values v
WHERE indicators.indicator_id = v.indicator_id AND indicators.area_code = v.area_code
  AND indicators.period_start = v.period_start::DATE AND indicators.period_end = v.period_end::DATE
"""
_AFFECTED_SQL = f"""
SELECT indicators.source_id, count(*) FROM indicators, _partner_values v
WHERE {_REPLACE_SQL.split("WHERE", 1)[1]} GROUP BY ALL
"""


def _write_values(
    con: duckdb.DuckDBPyConnection, values: tuple[IndicatorValue, ...], source_id: int
) -> int:
    """Replace the same (indicator, area, period) values; return how many were replaced."""
    frame = pd.DataFrame(
        {
            "indicator_id": [v.indicator_id for v in values],
            "area_code": [v.area_code for v in values],
            "period_start": [v.period_start.isoformat() for v in values],
            "period_end": [v.period_end.isoformat() for v in values],
            "value": pd.Series([v.value for v in values], dtype="float64"),
            "denominator": pd.Series([v.denominator for v in values], dtype="Float64"),
        }
    )
    con.register("_partner_values", frame)
    try:
        affected = con.execute(_AFFECTED_SQL).fetchall()
        con.execute(_REPLACE_SQL)
        con.execute(
            "INSERT INTO indicators SELECT ?, indicator_id, area_code, period_start::DATE, "
            "period_end::DATE, value, denominator FROM _partner_values",
            [source_id],
        )
    finally:
        con.unregister("_partner_values")
    emptied = [
        int(sid)
        for sid, _ in affected
        if con.execute("SELECT count(*) FROM indicators WHERE source_id = ?", [sid]).fetchone()
        == (0,)
    ]
    if emptied:
        con.execute(
            "UPDATE sources SET replaced_by = ? WHERE list_contains(?, source_id)",
            [source_id, emptied],
        )
    return sum(int(n) for _, n in affected)


def load_indicators(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    *,
    registry_path: Path | str | None = None,
    sheet: str | None = None,
) -> IndicatorLoadReport:
    """Load a partner's indicator values (CSV or XLSX), registering indicators first from
    ``registry_path`` when given; ``sheet`` names the sheet of a workbook with several
    sheets of values. Every row is checked before anything is written."""
    path = Path(path)
    registry: tuple[Path, Table, tuple[RegistryEntry, ...]] | None = None
    units = dict(con.execute("SELECT indicator_id, unit FROM indicator_registry").fetchall())
    for police in police_indicators():
        units.pop(police.id, None)
    if registry_path is not None:
        reg_path = Path(registry_path)
        reg_table = _read_registry(reg_path)
        entries = _parse_registry(con, reg_table)
        registry = (reg_path, reg_table, entries)
        units.update({e.indicator_id: e.unit for e in entries})
    table = table_with_header(
        read_sheets(path), VALUE_COLUMNS, OPTIONAL_VALUE_COLUMNS, sheet_name=sheet
    )
    values = _parse_values(con, table, units)
    digest = sha256_of(path)
    with transaction(con):
        reg_report = _registry_in_transaction(con, *registry) if registry else None
        source_id = next_source_id(con)
        con.execute(
            "INSERT INTO sources (source_id, kind, file_name, sha256, rows_read, rows_loaded, "
            "rows_quarantined) VALUES (?, ?, ?, ?, ?, ?, 0)",
            [source_id, SOURCE_KIND, table.file, digest, len(values), len(values)],
        )
        replaced = _write_values(con, values, source_id) if values else 0
    return IndicatorLoadReport(
        file=table.file,
        sha256=digest,
        source_id=source_id,
        rows_read=len(values),
        rows_loaded=len(values),
        rows_quarantined=0,
        values_replaced=replaced,
        indicators=tuple(sorted(Counter(v.indicator_id for v in values))),
        areas=len({v.area_code for v in values}),
        registry=reg_report,
    )


__all__ = [
    "NOTHING_WRITTEN",
    "OPTIONAL_REGISTRY_COLUMNS",
    "OPTIONAL_VALUE_COLUMNS",
    "REGISTRY_COLUMNS",
    "UNITS",
    "VALUE_COLUMNS",
    "IndicatorLoadReport",
    "IndicatorValue",
    "RegistryEntry",
    "RegistryLoadReport",
    "load_indicators",
    "load_registry",
]
