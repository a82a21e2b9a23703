"""Reading CSV and XLSX tables for the partner and population loaders.

Cells are read as text, numbers or dates with their sheet row, so every problem can be
reported with the file, sheet, row and column, and nothing is written until a whole file
has been checked.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import duckdb
import openpyxl

from cspkit.errors import InputError

#: What every load error adds: a failed load writes nothing.
NOTHING_WRITTEN = "nothing from this file was written; the warehouse is unchanged"
CSV_SUFFIXES = (".csv",)
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")

Cell = str | int | float | date | None
"""A cell as read: text from CSV; text, number or date from XLSX; None when empty."""


@dataclass(frozen=True)
class Sheet:
    """The non-blank rows of a CSV file or worksheet, each with its row number (header = 1)."""

    file: str
    name: str | None
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]

    @property
    def where(self) -> str:
        """The file, and the worksheet for XLSX, as named in messages."""
        return f"{self.file} (sheet '{self.name}')" if self.name is not None else self.file


def text_of(cell: Cell) -> str:
    """A cell as trimmed text ('' for an empty cell)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, date):
        return (cell.date() if isinstance(cell, datetime) else cell).isoformat()
    return str(cell).strip()


def number_of(cell: Cell) -> float | None:
    """A finite number from a numeric cell or text such as '12', '3.5' or '1,234'."""
    if isinstance(cell, bool | date):
        return None
    if isinstance(cell, int | float):
        value = float(cell)
    else:
        text = text_of(cell)
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        try:
            value = float(text)
        except ValueError:
            return None
    return value if math.isfinite(value) else None


def date_of(cell: Cell) -> date | None:
    """A date from a spreadsheet date cell or ISO text (YYYY-MM-DD)."""
    if isinstance(cell, datetime):
        return cell.date() if cell.time() == time() else None
    if isinstance(cell, date):
        return cell
    if not isinstance(cell, str):
        return None
    text = cell.strip()
    try:
        return date.fromisoformat(text) if _ISO_DATE.match(text) else None
    except ValueError:
        return None


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def describe(cell: Cell) -> str:
    """How a found value is quoted in a message."""
    text = text_of(cell)
    if not text:
        return "a blank cell"
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return f"the number {text}"
    return repr(text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell."""

    row: int
    column: str | None
    expected: str
    found: str


class Problems:
    """Collects every problem in a file, then reports the first (by row) and how many more."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Problem] = []

    def add(self, row: int, column: str | None, expected: str, found: Cell) -> None:
        self.items.append(Problem(row, column, expected, describe(found)))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        first = min(self.items, key=lambda p: p.row)
        more = len(self.items) - 1
        suffix = f" ({more} more problem{'s' if more > 1 else ''} in the file)" if more else ""
        raise InputError(
            f"expected {first.expected}; found {first.found}{suffix}",
            file=self.file,
            row=first.row,
            column=first.column,
            kept=NOTHING_WRITTEN,
        )


def _read_csv(path: Path) -> list[Sheet]:
    """The rows of a CSV file numbered by the line each starts on.

    Quoting is read strictly, and a value may not run over several lines: in a table of
    figures that is a badly quoted value swallowing the rows after it, never data.
    """
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            "expected UTF-8 text; found bytes that are not (save the file as 'CSV UTF-8')",
            file=path.name,
            row=data[: exc.start].count(b"\n") + 1,
            kept=NOTHING_WRITTEN,
        ) from exc
    rows: list[tuple[int, tuple[Cell, ...]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for cells in reader:
            if any("\n" in c or "\r" in c for c in cells):
                raise InputError(
                    "expected one row per line; found a value running over several lines "
                    f"(to line {reader.line_num}): a badly quoted value?",
                    file=path.name,
                    row=start,
                    kept=NOTHING_WRITTEN,
                )
            if any(c.strip() for c in cells):
                rows.append((start, tuple(c.strip() or None for c in cells)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(
            f"expected CSV; {exc} (a badly quoted value?)",
            file=path.name,
            row=start,
            kept=NOTHING_WRITTEN,
        ) from exc
    return [Sheet(path.name, None, tuple(rows))]


def _xlsx_cell(value: object) -> Cell:
    if value is None or isinstance(value, str | int | float | date):
        return value.strip() or None if isinstance(value, str) else value
    return str(value)


def _read_xlsx(path: Path) -> list[Sheet]:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(
            f"expected an .xlsx workbook; the file cannot be opened as one ({exc})",
            file=path.name,
            kept=NOTHING_WRITTEN,
        ) from exc
    sheets: list[Sheet] = []
    try:
        for ws in book.worksheets:
            ws.reset_dimensions()
            rows: list[tuple[int, tuple[Cell, ...]]] = []
            for number, values in enumerate(ws.iter_rows(min_row=1, values_only=True), 1):
                cells = tuple(_xlsx_cell(v) for v in values)
                if any(c is not None for c in cells):
                    rows.append((number, cells))
            sheets.append(Sheet(path.name, str(ws.title), tuple(rows)))
    finally:
        book.close()
    return sheets


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of a CSV (one) or XLSX file, blank rows left out."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError("expected a file; there is none at this path", file=str(path))
    if suffix in CSV_SUFFIXES:
        return _read_csv(path)
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path)
    hint = " (save an .xls workbook as .xlsx)" if suffix == ".xls" else ""
    raise InputError(
        f"expected a .csv or .xlsx file; found {suffix or 'no extension'}{hint}",
        file=path.name,
        kept=NOTHING_WRITTEN,
    )


def choose_sheet(
    sheets: list[Sheet], name: str | None, holds_data: Callable[[Sheet], bool]
) -> list[Sheet]:
    """The sheet named ``name``, or the one sheet of a workbook that ``holds_data``.

    A workbook with several sheets of data is refused unless ``name`` says which, so a
    second sheet is never silently left out.
    """
    titled = [s for s in sheets if s.name is not None]
    if name is not None:
        if not titled:
            raise InputError(
                "--sheet applies to .xlsx workbooks; a CSV file has no sheets",
                file=sheets[0].file if sheets else None,
                kept=NOTHING_WRITTEN,
            )
        for wanted in (name, name.strip().casefold()):
            match = [s for s in titled if (s.name or "").casefold() == wanted.casefold()]
            if match:
                return match[:1]
        raise InputError(
            f"expected a sheet named {name!r}; the workbook has "
            + ", ".join(repr(s.name) for s in titled),
            file=titled[0].file,
            kept=NOTHING_WRITTEN,
        )
    candidates = [s for s in sheets if holds_data(s)]
    if len(candidates) > 1:
        raise InputError(
            "the workbook has several sheets of data ("
            + ", ".join(repr(s.name) for s in candidates)
            + "); say which to load with --sheet NAME",
            file=candidates[0].file,
            kept=NOTHING_WRITTEN,
        )
    return candidates or sheets


def _header_name(cell: Cell) -> str:
    return re.sub(r"[\s-]+", "_", text_of(cell).lower())


@dataclass(frozen=True)
class Table:
    """A sheet whose first row is a header with exactly the expected columns."""

    file: str
    columns: dict[str, int]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]

    def records(self) -> list[tuple[int, Callable[[str], Cell]]]:
        """(row number, cell-by-column-name getter) for every data row."""

        def getter(cells: tuple[Cell, ...]) -> Callable[[str], Cell]:
            def get(column: str) -> Cell:
                i = self.columns.get(column)
                return cells[i] if i is not None and i < len(cells) else None

            return get

        return [(row, getter(cells)) for row, cells in self.rows]


def has_columns(sheet: Sheet, columns: tuple[str, ...]) -> bool:
    """Whether the sheet's first row names any of ``columns`` (a sheet of data, not notes)."""
    return bool(sheet.rows) and any(_header_name(c) in columns for c in sheet.rows[0][1])


def table_with_header(
    sheets: list[Sheet],
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    *,
    sheet_name: str | None = None,
) -> Table:
    """The sheet of data as a table; InputError unless row 1 holds the expected columns.

    A workbook with several sheets of data needs ``sheet_name``.
    """
    sheets = choose_sheet(sheets, sheet_name, lambda s: has_columns(s, required))
    sheet = sheets[0] if sheets else Sheet("", None, ())
    header_row, header = sheet.rows[0] if sheet.rows else (1, ())
    names = [_header_name(c) for c in header]
    expected = ", ".join(required) + (f" (optionally {', '.join(optional)})" if optional else "")
    found = ", ".join(text_of(c) for c in header) or "nothing"

    def fail(problem: str, column: str | None = None) -> InputError:
        return InputError(
            f"{problem}; expected the columns {expected} in row 1; found {found}",
            file=sheet.where,
            row=1,
            column=column,
            kept=NOTHING_WRITTEN,
        )

    if header_row != 1 or not names:
        raise fail("no header in row 1")
    for i, name in enumerate(names):
        if name and name not in required + optional:
            close = difflib.get_close_matches(name, required + optional, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise fail(f"unexpected column {text_of(header[i])!r}{hint}", text_of(header[i]))
        if name and names.index(name) != i:
            raise fail(f"column {name!r} appears twice", name)
    for name in required:
        if name not in names:
            raise fail(f"missing column {name!r}", name)
    columns = {name: i for i, name in enumerate(names) if name}
    for row, cells in sheet.rows[1:]:
        stray = next(
            (c for i, c in enumerate(cells) if c is not None and i not in columns.values()), None
        )
        if stray is not None:
            raise InputError(
                f"expected values only under the header's columns; found {describe(stray)} "
                "in a column without a heading",
                file=sheet.where,
                row=row,
                kept=NOTHING_WRITTEN,
            )
    return Table(sheet.where, columns, sheet.rows[1:])


def next_source_id(con: duckdb.DuckDBPyConnection) -> int:
    """A new id for a row of ``sources``."""
    row = con.execute("SELECT nextval('source_ids')").fetchone()
    assert row is not None
    return int(row[0])
