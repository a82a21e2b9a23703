"""Finding police.uk files and checking their headers before anything is loaded.

Accepts single CSV files (plain or gzipped, LF or CRLF), folders searched recursively, and
zip archives in the layout data.police.uk publishes
(``YYYY-MM/YYYY-MM-<force>-street.csv``, ``-outcomes.csv``, ``-stop-and-search.csv``).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, cast

from cspkit.errors import InputError

STREET = "street"
OUTCOMES = "outcomes"
STOP_SEARCH = "stop-and-search"

#: The columns street and outcomes files share: where and by whom a crime was recorded.
_RECORD_COLUMNS: tuple[str, ...] = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
)

COLUMNS: dict[str, tuple[str, ...]] = {
    STREET: (*_RECORD_COLUMNS, "Crime type", "Last outcome category", "Context"),
    OUTCOMES: (*_RECORD_COLUMNS, "Outcome type"),
    STOP_SEARCH: (
        "Type",
        "Date",
        "Part of a policing operation",
        "Policing operation",
        "Latitude",
        "Longitude",
        "Gender",
        "Age range",
        "Self-defined ethnicity",
        "Officer-defined ethnicity",
        "Legislation",
        "Object of search",
        "Outcome",
        "Outcome linked to object of search",
        "Removal of more than just outer clothing",
    ),
}

FILE_NAME_PATTERN = re.compile(
    r"^(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9][a-z0-9-]*?)-"
    r"(?P<kind>street|outcomes|stop-and-search)\.csv(?:\.gz)?$"
)
CSV_SUFFIXES = (".csv", ".csv.gz")
HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class PoliceFile:
    """One police.uk file ready to load: where to read it and what it holds."""

    path: Path
    display_name: str
    kind: str
    force_slug: str
    month: date


def _is_csv(name: str) -> bool:
    return name.lower().endswith(CSV_SUFFIXES)


def _open_binary(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path, "rb")


def read_head(path: Path, display_name: str, rows: int = 2) -> list[list[str]]:
    """The header and first data row(s) of a CSV file, with a clear error if unreadable.

    Only those lines are decoded, so a bad byte further down is left for the full read to
    report with its own line number.
    """
    lines: list[str] = []
    try:
        with _open_binary(path) as handle:
            for number in range(1, rows + 1):
                raw = handle.readline()
                if not raw:
                    break
                try:
                    lines.append(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
                except UnicodeDecodeError as exc:
                    raise InputError(
                        f"bytes that are not UTF-8 text ({exc.reason})",
                        file=display_name,
                        row=number,
                        kept="nothing was loaded",
                    ) from exc
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"cannot be read: {exc}", file=display_name) from exc
    head = list(csv.reader(lines))
    if not head:
        raise InputError("the file is empty (no header line)", file=display_name, row=1)
    return head


def kind_from_header(header: list[str]) -> str | None:
    """Which police.uk file a header belongs to, or None."""
    for kind, columns in COLUMNS.items():
        if tuple(h.strip() for h in header) == columns:
            return kind
    return None


def check_header(header: list[str], kind: str, display_name: str) -> None:
    """Raise an InputError naming the missing and unexpected columns, if any."""
    expected = COLUMNS[kind]
    found = tuple(h.strip() for h in header)
    if found == expected:
        return
    missing = [c for c in expected if c not in found]
    unexpected = [c for c in found if c not in expected]
    parts = []
    if missing:
        parts.append("missing " + ", ".join(repr(c) for c in missing))
    if unexpected:
        parts.append("unexpected " + ", ".join(repr(c) for c in unexpected))
    if not parts:
        parts.append("columns are in a different order from the police.uk layout")
    raise InputError(
        f"header does not match a police.uk {kind} file: {'; '.join(parts)}. "
        f"Expected: {', '.join(expected)}",
        file=display_name,
        row=1,
        kept="nothing was loaded",
    )


def _slug(text: str) -> str:
    text = re.sub(r"\s+police$", "", text.strip().lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _describe(path: Path, display_name: str) -> PoliceFile:
    head = read_head(path, display_name)
    match = FILE_NAME_PATTERN.match(path.name.lower())
    if match:
        kind = match["kind"]
        check_header(head[0], kind, display_name)
        year, month = (int(p) for p in match["month"].split("-"))
        return PoliceFile(path, display_name, kind, match["force"], date(year, month, 1))
    kind_found = kind_from_header(head[0])
    if kind_found is None or kind_found == STOP_SEARCH or len(head) < 2:
        raise InputError(
            "cannot tell which police.uk file this is: name it like "
            "'2025-01-kent-street.csv' ('-outcomes.csv', '-stop-and-search.csv') or give a "
            "street or outcomes file with its standard header and at least one row",
            file=display_name,
        )
    first = dict(zip(COLUMNS[kind_found], head[1], strict=False))
    month_text = first.get("Month", "")
    if not re.fullmatch(r"\d{4}-\d{2}", month_text):
        raise InputError(
            f"expected a month like 2025-01, found {month_text!r}",
            file=display_name,
            row=2,
            column="Month",
        )
    year, month = (int(p) for p in month_text.split("-"))
    force = _slug(first.get("Falls within", ""))
    return PoliceFile(path, display_name, kind_found, force, date(year, month, 1))


def discover(paths: list[Path], extract_to: Path) -> list[PoliceFile]:
    """Every police.uk CSV under ``paths`` (files, folders, zip archives), headers checked.

    Zip members are extracted under ``extract_to``. Raises InputError for a path that does
    not exist, a non-CSV file given by name, or a file whose header is wrong.
    """
    found: list[PoliceFile] = []
    for given in paths:
        if not given.exists():
            raise InputError("no such file or folder", file=str(given))
        if given.is_dir():
            members = sorted(p for p in given.rglob("*") if p.is_file() and _is_csv(p.name))
            found.extend(_describe(p, str(p)) for p in members)
        elif given.name.lower().endswith(".zip"):
            found.extend(_extract_zip(given, extract_to))
        elif _is_csv(given.name):
            found.append(_describe(given, str(given)))
        else:
            raise InputError(
                "expected a .csv, .csv.gz or .zip file, or a folder of them", file=str(given)
            )
    if not found:
        raise InputError("no police.uk CSV files found in " + ", ".join(map(str, paths)))
    seen: dict[Path, str] = {}
    unique: list[PoliceFile] = []
    for item in found:
        key = item.path.resolve()
        if key not in seen:
            seen[key] = item.display_name
            unique.append(item)
    return unique


def _extract_zip(archive: Path, extract_to: Path) -> list[PoliceFile]:
    target = extract_to / f"{len(list(extract_to.iterdir()))}-{archive.stem}"
    result: list[PoliceFile] = []
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in sorted(zf.infolist(), key=lambda i: i.filename):
                if info.is_dir() or not _is_csv(info.filename):
                    continue
                name = Path(info.filename).name
                out = target / Path(info.filename).parent.name / name
                out.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(out, "wb") as dst:
                    while chunk := src.read(HASH_CHUNK):
                        dst.write(chunk)
                result.append(_describe(out, f"{archive}:{info.filename}"))
    except zipfile.BadZipFile as exc:
        raise InputError(f"not a readable zip archive ({exc})", file=str(archive)) from exc
    return result


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes as stored (a gzipped file is hashed compressed)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
