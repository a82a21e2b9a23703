"""Loading a user's own population table (e.g. ONS mid-year estimates) from CSV or XLSX.

Accepted layouts (header names are matched ignoring case, spaces and punctuation):

* long: ``area_code, year, persons`` and optionally ``households, adults``;
* ONS spellings: the code column may be ``Code``, ``LAD 2021 Code``, ``LSOA 2021 Code``,
  ``LAD22CD`` ...; persons may be ``All ages``, ``Population`` or ``Total``; the year may be
  ``Mid-2022`` or ``2022``;
* ONS wide time series: ``Code`` with one ``Mid-YYYY`` column of persons per year;
* ONS single-year-of-age sheets (``All ages``, ``0`` ... ``90`` or ``90+``): adults 18+ are
  the sum of the columns 18 and over. A sheet without a year column takes its year from
  ``year=``, else from a single "Mid-YYYY" in the title rows above its header.

The header may sit below title rows: the first worksheet with a recognised area-code header in
its first rows is used. Other columns (names, ages of other sheets) are ignored. When a file
holds two code columns (ONS LSOA tables also carry the district code), the LSOA code is used.

Codes decide the area type: E06/E07/E08/E09/W06 districts ('lad', checked against the shipped
districts), E01/W01 LSOAs (checked against the LSOA lookup; the vintage is 2021 for years from
2021 when the code exists in both vintages, else the vintage holding the code), E05/W05 wards
(checked for form only: the shipped ward lookup covers few areas). Rows for countries, regions,
counties, Scotland and Northern Ireland are skipped and counted, so an ONS file loads as
published. Rows replace earlier user-supplied rows for the same area and year.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from cspkit.errors import InputError
from cspkit.ingest.files import sha256_of
from cspkit.ingest.tabular import (
    NOTHING_WRITTEN,
    Cell,
    Problems,
    Sheet,
    choose_sheet,
    describe,
    next_source_id,
    number_of,
    read_sheets,
    text_of,
)
from cspkit.warehouse.transaction import transaction

# --- population tables ------------------------------------------------------------------

SOURCE_KIND = "population"
#: How many rows from the top of a sheet are searched for the header.
HEADER_SEARCH_ROWS = 20
#: How many header names an error message lists.
MAX_COLUMNS_SHOWN = 8
YEAR_MIN, YEAR_MAX = 1900, 2100
ADULT_AGE = 18
#: The last single-year age column of ONS tables ("90" or "90+", meaning 90 and over).
TOP_AGE = 90
LSOA_2021_FIRST_YEAR = 2021
LAD, LSOA, WARD = "lad", "lsoa", "ward"

AREA_TYPES: dict[str, str] = {
    **dict.fromkeys(("E06", "E07", "E08", "E09", "W06"), LAD),
    **dict.fromkeys(("E01", "W01"), LSOA),
    **dict.fromkeys(("E05", "W05"), WARD),
}
#: Code prefixes of geographies cspkit does not hold populations for, with what they are.
SKIPPED_AREAS: dict[str, str] = {
    "K02": "United Kingdom total",
    "K03": "Great Britain total",
    "K04": "England and Wales total",
    "E92": "country total",
    "W92": "country total",
    "E12": "region",
    "E10": "county",
    "E11": "metropolitan county",
    "E13": "Inner or Outer London",
    "S": "Scotland (outside England and Wales)",
    "N": "Northern Ireland (outside England and Wales)",
}
_CODE = re.compile(r"^[A-Z][0-9]{8}$")
_CODE_HEADER = re.compile(r"^(area|lad|la|lsoa|ward|wd)?(\d{2}|\d{4})?(code|cd)(\d{2}|\d{4})?$")
_CODE_PREFERENCE = ("lsoa", "ward", "wd")
_WIDE_YEAR = re.compile(r"^mid(\d{4})$")
_TITLE_YEAR = re.compile(r"\bmid[\s-]?(\d{4})\b", re.IGNORECASE)
_YEAR_TEXT = re.compile(r"^(?:mid[\s-]?)?(\d{4})$", re.IGNORECASE)
YEAR_HEADERS = ("year", "midyear")
PERSONS_HEADERS = ("persons", "allages", "population", "allpersons", "total")
HOUSEHOLDS_HEADERS = ("households",)
ADULTS_HEADERS = ("adults", "adults18plus", "adults18", "aged18andover", "aged18plus")


@dataclass(frozen=True)
class PopulationLoadReport:
    """The outcome of one population load: rows read = loaded + skipped."""

    file: str
    sha256: str
    source_id: int
    sheet: str | None
    rows_read: int
    rows_loaded: int
    rows_skipped: int
    skipped_reasons: tuple[tuple[str, int], ...]
    records_loaded: int
    records_replaced: int
    years: tuple[int, ...]
    area_types: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class PopulationRecord:
    """One area-year of a user's population table, checked."""

    row: int
    area_code: str
    area_type: str
    lsoa_vintage: int | None
    year: int
    persons: float
    households: float | None
    adults: float | None


@dataclass(frozen=True)
class _Layout:
    """Where each field is in a sheet (column indexes) and the header's row number."""

    sheet: Sheet
    header_row: int
    names: tuple[str, ...]
    code: int
    year: int | None
    persons: int | None
    households: int | None
    adults: int | None
    wide_years: tuple[tuple[int, int], ...]
    adult_ages: tuple[int, ...]


def _norm(cell: Cell) -> str:
    return re.sub(r"[^a-z0-9]", "", text_of(cell).lower())


def _first(normed: list[str], aliases: tuple[str, ...]) -> int | None:
    return next((normed.index(a) for a in aliases if a in normed), None)


def _code_column(normed: list[str]) -> int | None:
    matches = [(i, m) for i, h in enumerate(normed) if (m := _CODE_HEADER.match(h))]
    if not matches:
        return None
    preferred = [i for i, m in matches if m.group(1) in _CODE_PREFERENCE]
    return (preferred or [i for i, _ in matches])[0]


def _layout(sheet: Sheet, row: int, cells: tuple[Cell, ...], code: int) -> _Layout:
    normed = [_norm(c) for c in cells]
    ages = {int(h): i for i, h in enumerate(normed) if h.isdigit() and int(h) <= TOP_AGE}
    adult_ages = range(ADULT_AGE, TOP_AGE + 1)
    return _Layout(
        sheet=sheet,
        header_row=row,
        names=tuple(text_of(c) for c in cells),
        code=code,
        year=_first(normed, YEAR_HEADERS),
        persons=_first(normed, PERSONS_HEADERS),
        households=_first(normed, HOUSEHOLDS_HEADERS),
        adults=_first(normed, ADULTS_HEADERS),
        wide_years=tuple(
            (int(m.group(1)), i) for i, h in enumerate(normed) if (m := _WIDE_YEAR.match(h))
        ),
        adult_ages=tuple(ages[a] for a in adult_ages) if all(a in ages for a in adult_ages) else (),
    )


def _has_code_header(sheet: Sheet) -> bool:
    return any(
        _code_column([_norm(c) for c in cells]) is not None
        for _, cells in sheet.rows[:HEADER_SEARCH_ROWS]
    )


def _find_layout(sheets: list[Sheet], year: int | None, sheet_name: str | None) -> _Layout:
    sheets = choose_sheet(sheets, sheet_name, _has_code_header)
    for sheet in sheets:
        for row, cells in sheet.rows[:HEADER_SEARCH_ROWS]:
            code = _code_column([_norm(c) for c in cells])
            if code is not None:
                layout = _layout(sheet, row, cells, code)
                _check_layout(layout, year if year is not None else title_year(sheet, row))
                return layout
    first = sheets[0].rows[0] if sheets and sheets[0].rows else (1, ())
    raise InputError(
        f"expected a header with an 'area_code' (or ONS 'Code') column within the first "
        f"{HEADER_SEARCH_ROWS} rows; found {', '.join(text_of(c) for c in first[1]) or 'nothing'}",
        file=sheets[0].where if sheets else None,
        row=first[0],
        kept=NOTHING_WRITTEN,
    )


def title_year(sheet: Sheet, header_row: int) -> int | None:
    """The year of an ONS sheet named once in the title rows above its header ("Mid-2022")."""
    titles = " ".join(text_of(c) for r, cells in sheet.rows if r < header_row for c in cells)
    years = {int(y) for y in _TITLE_YEAR.findall(titles)}
    return years.pop() if len(years) == 1 else None


def _check_layout(layout: _Layout, year: int | None) -> None:
    names = [n for n in layout.names if n]
    shown = ", ".join(names[:MAX_COLUMNS_SHOWN]) + (
        ", ..." if len(names) > MAX_COLUMNS_SHOWN else ""
    )
    found = f"found columns {shown}"
    problem = None
    if layout.wide_years and (layout.persons is not None or layout.year is not None):
        problem = "either a year and a persons column, or 'Mid-YYYY' columns, not both"
    elif not layout.wide_years and layout.persons is None:
        problem = "a 'persons' column (or ONS 'All ages'), or ONS 'Mid-YYYY' columns"
    elif not layout.wide_years and layout.year is None and year is None:
        problem = "a 'year' column (or give the year of a sheet whose year is only in its title)"
    if problem is not None:
        raise InputError(
            f"expected {problem}; {found}",
            file=layout.sheet.where,
            row=layout.header_row,
            kept=NOTHING_WRITTEN,
        )


def _year_of(cell: Cell) -> int | None:
    number = number_of(cell)
    if number is not None and number.is_integer():
        value = int(number)
    elif (m := _YEAR_TEXT.match(text_of(cell))) is not None:
        value = int(m.group(1))
    else:
        return None
    return value if YEAR_MIN <= value <= YEAR_MAX else None


def _area_type(code: str) -> tuple[str | None, str | None]:
    """(area type, None) for a code cspkit stores, (None, reason) for one it skips."""
    if code[:3] in AREA_TYPES and _CODE.match(code):
        return AREA_TYPES[code[:3]], None
    skip = SKIPPED_AREAS.get(code[:3]) or SKIPPED_AREAS.get(code[:1])
    return None, skip


class _RowReader:
    """Reads the figures of one data row, recording problems against its columns."""

    def __init__(self, layout: _Layout, problems: Problems, row: int, cells: tuple[Cell, ...]):
        self.layout, self.problems, self.row, self.cells = layout, problems, row, cells

    def cell(self, index: int | None) -> Cell:
        return self.cells[index] if index is not None and index < len(self.cells) else None

    def figure(self, index: int | None, *, required: bool) -> float | None:
        cell = self.cell(index)
        value = number_of(cell)
        if index is None or (not text_of(cell) and not required):
            return None
        if value is None or value <= 0:
            self.problems.add(self.row, self.layout.names[index], "a number above 0", cell)
            return None
        return value

    def adults(self) -> float | None:
        if self.layout.adults is not None or not self.layout.adult_ages:
            return self.figure(self.layout.adults, required=False)
        ages = [number_of(self.cell(i)) for i in self.layout.adult_ages]
        for i, value in zip(self.layout.adult_ages, ages, strict=True):
            if value is None or value < 0:
                self.problems.add(
                    self.row, self.layout.names[i], "a number, 0 or more", self.cell(i)
                )
        return sum(a for a in ages if a is not None) if None not in ages else None


def _parse(
    con: duckdb.DuckDBPyConnection, layout: _Layout, year: int | None
) -> tuple[list[PopulationRecord], int, Counter[str]]:
    """Check every row; return the records, rows used and skipped rows by reason."""
    problems = Problems(layout.sheet.where)
    code_name = layout.names[layout.code] or "area_code"
    rows = [(r, c) for r, c in layout.sheet.rows if r > layout.header_row]
    codes = {text_of(c[layout.code]).upper() for _, c in rows if layout.code < len(c)}
    known_lads = {
        str(r[0])
        for r in con.execute(
            "SELECT lad_code FROM districts WHERE list_contains(?, lad_code)", [sorted(codes)]
        ).fetchall()
    }
    vintages: dict[str, list[int]] = {}
    for code, vintage in con.execute(
        "SELECT DISTINCT lsoa_code, vintage FROM lsoa_lookup WHERE list_contains(?, lsoa_code)",
        [sorted(codes)],
    ).fetchall():
        vintages.setdefault(str(code), []).append(int(vintage))
    records: list[PopulationRecord] = []
    skipped: Counter[str] = Counter()
    first_row: dict[tuple[str, int], int] = {}
    used = 0
    for row, cells in rows:
        read = _RowReader(layout, problems, row, cells)
        code = text_of(read.cell(layout.code)).upper()
        area_type, skip = _area_type(code)
        if skip is not None:
            skipped[skip] += 1
            continue
        if (
            area_type is None
            or (area_type == LAD and code not in known_lads)
            or (area_type == LSOA and code not in vintages)
        ):
            problems.add(
                row,
                code_name,
                "the ONS code of a current district (E06, E07, E08, E09, W06), "
                "an LSOA (E01, W01) or a ward (E05, W05)",
                read.cell(layout.code),
            )
            continue
        figures: list[tuple[int, float, float | None, float | None]]
        if layout.wide_years:
            years = [(y, read.figure(i, required=False), i) for y, i in layout.wide_years]
            figures = [(y, p, None, None) for y, p, i in years if p is not None]
        else:
            y = year if layout.year is None else _year_of(read.cell(layout.year))
            if y is not None and year is not None and y != year:
                problems.add(
                    row,
                    layout.names[layout.year or 0],
                    f"the year given with --year ({year}); give the right --year or none",
                    read.cell(layout.year),
                )
                continue
            if y is None:
                problems.add(
                    row,
                    layout.names[layout.year or 0],
                    f"a year from {YEAR_MIN} to {YEAR_MAX}",
                    read.cell(layout.year),
                )
                continue
            persons = read.figure(layout.persons, required=True)
            households = read.figure(layout.households, required=False)
            adults = read.adults()
            for name, part in (("adults", adults), ("households", households)):
                if part is not None and persons is not None and part > persons:
                    problems.add(row, name, f"no more than persons ({persons:g})", part)
            figures = [(y, persons, households, adults)] if persons is not None else []
        used += 1
        for y, persons, households, adults in figures:
            assert persons is not None
            if (code, y) in first_row:
                problems.add(
                    row,
                    code_name,
                    f"one row per area and year (row {first_row[code, y]} also has {code} for {y})",
                    code,
                )
            first_row.setdefault((code, y), row)
            vintage = None
            if area_type == LSOA:
                options = vintages[code]
                vintage = (
                    (LSOA_2021_FIRST_YEAR if y >= LSOA_2021_FIRST_YEAR else min(options))
                    if len(options) > 1
                    else options[0]
                )
            records.append(
                PopulationRecord(row, code, area_type, vintage, y, persons, households, adults)
            )
    problems.raise_if_any()
    return records, used, skipped


def _write(con: duckdb.DuckDBPyConnection, records: list[PopulationRecord], source: str) -> int:
    """Replace earlier user-supplied rows for the same areas and years; return how many."""
    frame = pd.DataFrame(
        {
            "area_code": [r.area_code for r in records],
            "area_type": [r.area_type for r in records],
            "lsoa_vintage": pd.Series([r.lsoa_vintage for r in records], dtype="Int16"),
            "year": pd.Series([r.year for r in records], dtype="int16"),
            "persons": pd.Series([r.persons for r in records], dtype="float64"),
            "households": pd.Series([r.households for r in records], dtype="Float64"),
            "adults": pd.Series([r.adults for r in records], dtype="Float64"),
        }
    )
    con.register("_user_population", frame)
    try:
        match = (
            "FROM population p, _user_population n WHERE p.user_supplied "
            "AND p.area_code = n.area_code AND p.year = n.year"
        )
        row = con.execute(f"SELECT count(*) {match}").fetchone()
        con.execute(
            "DELETE FROM population USING _user_population n WHERE population.user_supplied "
            "AND population.area_code = n.area_code AND population.year = n.year"
        )
        con.execute(
            "INSERT INTO population SELECT area_code, area_type, lsoa_vintage, year, persons, "
            "households, adults, ?, true FROM _user_population",
            [source],
        )
    finally:
        con.unregister("_user_population")
    return int(row[0]) if row else 0


def load_population(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    *,
    year: int | None = None,
    sheet: str | None = None,
) -> PopulationLoadReport:
    """Load a population table (CSV or XLSX) as user-supplied figures, in one transaction.

    ``year`` is used only for a sheet without a year column (e.g. an ONS table whose year is
    in its title, whose year it overrides); a year column that says another year is refused.
    ``sheet`` names the sheet of a workbook with several sheets of figures. Every row is
    checked before anything is written.
    """
    path = Path(path)
    if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
        raise InputError(f"expected a year from {YEAR_MIN} to {YEAR_MAX}; found {year}")
    layout = _find_layout(read_sheets(path), year, sheet)
    if year is None and layout.year is None:
        year = title_year(layout.sheet, layout.header_row)
    records, used, skipped = _parse(con, layout, year)
    digest = sha256_of(path)
    file = layout.sheet.file
    rows_read = sum(1 for r, _ in layout.sheet.rows if r > layout.header_row)
    with transaction(con):
        source_id = next_source_id(con)
        con.execute(
            "INSERT INTO sources (source_id, kind, file_name, sha256, rows_read, rows_loaded, "
            "rows_quarantined) VALUES (?, ?, ?, ?, ?, ?, 0)",
            [source_id, SOURCE_KIND, file, digest, rows_read, used],
        )
        replaced = _write(con, records, f"{file} (user-supplied)") if records else 0
    return PopulationLoadReport(
        file=file,
        sha256=digest,
        source_id=source_id,
        sheet=layout.sheet.name,
        rows_read=rows_read,
        rows_loaded=used,
        rows_skipped=sum(skipped.values()),
        skipped_reasons=tuple(sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0]))),
        records_loaded=len(records),
        records_replaced=replaced,
        years=tuple(sorted({r.year for r in records})),
        area_types=tuple(sorted(Counter(r.area_type for r in records).items())),
    )


__all__ = [
    "AREA_TYPES",
    "SKIPPED_AREAS",
    "PopulationLoadReport",
    "PopulationRecord",
    "describe",
    "load_population",
]
