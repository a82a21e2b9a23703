"""The indicator registry: what each partner indicator is, loaded from a CSV or XLSX file.

Columns: indicator, name, unit (count, percent, rate), polarity (higher-is-worse,
higher-is-better, neutral), denominator_basis (persons, households, adults-18-plus, none),
source_agency, and optionally description. Every row is checked before anything is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from cspkit.ingest.files import sha256_of
from cspkit.ingest.tabular import (
    Cell,
    Problems,
    Table,
    next_source_id,
    read_sheets,
    table_with_header,
    text_of,
)
from cspkit.stats.polarity import Polarity
from cspkit.stats.rates import DenominatorBasis
from cspkit.warehouse.registry import police_indicators, slugify
from cspkit.warehouse.transaction import transaction

REGISTRY_COLUMNS: tuple[str, ...] = (
    "indicator",
    "name",
    "unit",
    "polarity",
    "denominator_basis",
    "source_agency",
)
OPTIONAL_REGISTRY_COLUMNS: tuple[str, ...] = ("description",)

COUNT, PERCENT, RATE = "count", "percent", "rate"
UNITS: tuple[str, ...] = (COUNT, PERCENT, RATE)

REGISTRY_SOURCE_KIND = "indicator-registry"

#: Indicator ids are lower-case words joined by hyphens, like the police.uk ones.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


@dataclass(frozen=True)
class RegistryEntry:
    """One row of an indicator registry file, checked."""

    row: int
    indicator_id: str
    name: str
    unit: str
    polarity: Polarity
    denominator_basis: DenominatorBasis
    source_agency: str
    description: str


@dataclass(frozen=True)
class RegistryLoadReport:
    """What a registry file changed: ids newly registered, updated, or already as given."""

    file: str
    sha256: str
    rows_read: int
    registered: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]


def _choice(problems: Problems, row: int, column: str, cell: Cell, allowed: tuple[str, ...]) -> str:
    text = text_of(cell).lower()
    if text not in allowed:
        problems.add(row, column, f"one of {', '.join(allowed)}", cell)
    return text


def _parse_registry(con: duckdb.DuckDBPyConnection, table: Table) -> tuple[RegistryEntry, ...]:
    problems = Problems(table.file)
    police = {i.id for i in police_indicators()}
    stored_units = dict(
        con.execute(
            "SELECT r.indicator_id, r.unit FROM indicator_registry r "
            "WHERE r.indicator_id IN (SELECT DISTINCT indicator_id FROM indicators)"
        ).fetchall()
    )
    entries: list[RegistryEntry] = []
    first_row: dict[str, int] = {}
    for row, get in table.records():
        before = len(problems.items)
        ind = text_of(get("indicator"))
        if not ID_PATTERN.match(ind):
            example = slugify(ind) or "deliberate-fires"
            problems.add(
                row,
                "indicator",
                f"an id of lower-case letters, digits and hyphens, e.g. {example!r}",
                get("indicator"),
            )
        elif ind in police:
            problems.add(
                row,
                "indicator",
                f"an id that is not a police.uk indicator (police.uk "
                f"indicators are counted from police.uk records), e.g. '{ind}-partner'",
                ind,
            )
        elif ind in first_row:
            problems.add(
                row, "indicator", f"each indicator once (also in row {first_row[ind]})", ind
            )
        first_row.setdefault(ind, row)
        for column in ("name", "source_agency"):
            if not text_of(get(column)):
                problems.add(row, column, "a non-blank value", get(column))
        unit = _choice(problems, row, "unit", get("unit"), UNITS)
        polarity = _choice(problems, row, "polarity", get("polarity"), tuple(Polarity))
        basis = _choice(
            problems, row, "denominator_basis", get("denominator_basis"), tuple(DenominatorBasis)
        )
        if ind in stored_units and unit in UNITS and stored_units[ind] != unit:
            problems.add(
                row,
                "unit",
                f"'{stored_units[ind]}', the unit of the values the warehouse "
                "already holds for this indicator (register a new id for a different unit)",
                unit,
            )
        if len(problems.items) > before:
            continue
        entries.append(
            RegistryEntry(
                row=row,
                indicator_id=ind,
                name=text_of(get("name")),
                unit=unit,
                polarity=Polarity(polarity),
                denominator_basis=DenominatorBasis(basis),
                source_agency=text_of(get("source_agency")),
                description=text_of(get("description")),
            )
        )
    problems.raise_if_any()
    return tuple(entries)


def _write_registry(
    con: duckdb.DuckDBPyConnection, entries: tuple[RegistryEntry, ...]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Insert or update the entries; return the ids registered, updated and unchanged."""
    registered: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    for e in entries:
        fields = [
            e.name,
            e.unit,
            e.polarity.value,
            e.denominator_basis.value,
            e.source_agency,
            e.description,
        ]
        old = con.execute(
            "SELECT name, unit, polarity, denominator_basis, source_agency, description "
            "FROM indicator_registry WHERE indicator_id = ?",
            [e.indicator_id],
        ).fetchone()
        if old is None:
            con.execute(
                "INSERT INTO indicator_registry VALUES (?, ?, ?, ?, ?, ?, ?)",
                [e.indicator_id, *fields],
            )
            registered.append(e.indicator_id)
        elif list(old) != fields:
            con.execute(
                "UPDATE indicator_registry SET name = ?, unit = ?, polarity = ?, "
                "denominator_basis = ?, source_agency = ?, description = ? "
                "WHERE indicator_id = ?",
                [*fields, e.indicator_id],
            )
            updated.append(e.indicator_id)
        else:
            unchanged.append(e.indicator_id)
    return tuple(registered), tuple(updated), tuple(unchanged)


def _read_registry(path: Path) -> Table:
    return table_with_header(read_sheets(path), REGISTRY_COLUMNS, OPTIONAL_REGISTRY_COLUMNS)


def _registry_in_transaction(
    con: duckdb.DuckDBPyConnection, path: Path, table: Table, entries: tuple[RegistryEntry, ...]
) -> RegistryLoadReport:
    digest = sha256_of(path)
    registered, updated, unchanged = _write_registry(con, entries)
    n = len(entries)
    con.execute(
        "INSERT INTO sources (source_id, kind, file_name, sha256, rows_read, rows_loaded, "
        "rows_quarantined) VALUES (?, ?, ?, ?, ?, ?, 0)",
        [next_source_id(con), REGISTRY_SOURCE_KIND, table.file, digest, n, n],
    )
    return RegistryLoadReport(table.file, digest, n, registered, updated, unchanged)


def load_registry(con: duckdb.DuckDBPyConnection, path: Path | str) -> RegistryLoadReport:
    """Register or update the indicators listed in a registry file (CSV or XLSX)."""
    path = Path(path)
    table = _read_registry(path)
    entries = _parse_registry(con, table)
    with transaction(con):
        report = _registry_in_transaction(con, path, table, entries)
    return report
