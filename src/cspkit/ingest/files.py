"""Finding police.uk files and checking their headers before anything is loaded.

Accepts single CSV files (plain or gzipped, LF or CRLF), folders searched recursively, and
zip archives in the layout data.police.uk publishes
(``YYYY-MM/YYYY-MM-<force>-street.csv``, ``-outcomes.csv``, ``-stop-and-search.csv``).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, cast

from cspkit.errors import InputError
from cspkit.ingest.forces import Force, force_by_id, force_by_name, nearest_force_ids

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
ZIP_SUFFIX = ".zip"
HASH_CHUNK = 1 << 20
_NOTHING = "nothing was loaded"
#: A police.uk header is about 150 bytes; a first line longer than this is not one.
MAX_HEAD_LINE_BYTES = 64 * 1024
#: Folders and files macOS adds to archives and folders it copies: never data.
_MACOS_ARTEFACTS = re.compile(r"(^|/)(__MACOSX/|\._[^/]*$|\.DS_Store$)")


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


def _decode(raw: bytes, number: int, display_name: str) -> str:
    try:
        return raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"bytes that are not UTF-8 text ({exc.reason})",
            file=display_name,
            row=number,
            kept="nothing was loaded",
        ) from exc


def open_text(path: Path) -> IO[str]:
    """A police.uk file (plain or gzipped) as UTF-8 text, newlines untranslated."""
    return io.TextIOWrapper(_open_binary(path), encoding="utf-8-sig", newline="")


def read_head(path: Path, display_name: str, rows: int = 2) -> list[list[str]]:
    """The header and first data row(s) of a CSV file, with a clear error if unreadable.

    Only those lines are decoded, so a bad byte further down is left for the full read to
    report with its own line number.
    """
    lines: list[str] = []
    try:
        with _open_binary(path) as handle:
            for number in range(1, rows + 1):
                raw = handle.readline(MAX_HEAD_LINE_BYTES)
                if not raw:
                    break
                if not raw.endswith(b"\n") and len(raw) >= MAX_HEAD_LINE_BYTES:
                    problem = (
                        "lines end with a carriage return only (old Mac format); save it with "
                        "LF or CRLF line endings"
                        if b"\r" in raw
                        else f"line {number} is longer than {MAX_HEAD_LINE_BYTES:,} bytes; "
                        "this is not a police.uk CSV file"
                    )
                    raise InputError(problem, file=display_name, row=number, kept=_NOTHING)
                lines.append(_decode(raw, number, display_name))
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(
            f"cannot be read ({_reason(exc)})", file=display_name, kept=_NOTHING
        ) from exc
    if lines and "\r" in lines[0].rstrip("\r\n"):
        raise InputError(
            "lines end with a carriage return only (old Mac format); save it with LF or CRLF "
            "line endings",
            file=display_name,
            row=1,
            kept=_NOTHING,
        )
    try:
        head = list(csv.reader(lines))
    except csv.Error as exc:
        raise InputError(
            f"not a readable CSV header ({exc})", file=display_name, row=1, kept=_NOTHING
        ) from exc
    if not head:
        raise InputError("the file is empty (no header line)", file=display_name, row=1)
    return head


def _reason(exc: BaseException) -> str:
    """A short, one-line description of why a file could not be read."""
    if isinstance(exc, EOFError):
        return "the file is truncated"
    if isinstance(exc, gzip.BadGzipFile | zlib.error):
        return f"corrupt gzip data: {exc}"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


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


def _month_of(text: str, display_name: str, *, row: int | None, column: str | None) -> date:
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if match is None or not 1 <= int(match[2]) <= 12:
        raise InputError(
            f"expected a month like 2025-01, found {text!r}",
            file=display_name,
            row=row,
            column=column,
            kept=_NOTHING,
        )
    return date(int(match[1]), int(match[2]), 1)


def _suggest(text: str) -> str:
    near = nearest_force_ids(text)
    return f" (did you mean {', '.join(repr(n) for n in near)}?)" if near else ""


def force_of_row(name: str, display_name: str, row: int) -> Force:
    """The force a "Falls within" value names; InputError for a blank or unknown one."""
    force = force_by_name(name)
    if force is None:
        what = "is blank" if not name.strip() else f"is {name!r}, not a police.uk force"
        raise InputError(
            f"'Falls within' {what}{_suggest(name)}",
            file=display_name,
            row=row,
            column="Falls within",
            kept=_NOTHING,
        )
    return force


def _force_of_name(force_id: str, display_name: str) -> Force:
    force = force_by_id(force_id)
    if force is None:
        raise InputError(
            f"the file name says force {force_id!r}, which is not a police.uk force id"
            f"{_suggest(force_id)}; name files like 2025-01-kent-street.csv",
            file=display_name,
            kept=_NOTHING,
        )
    return force


def _describe(path: Path, display_name: str) -> PoliceFile:
    head = read_head(path, display_name)
    match = FILE_NAME_PATTERN.match(path.name.lower())
    if match:
        kind = match["kind"]
        month = _month_of(match["month"], display_name, row=None, column=None)
        force = _force_of_name(match["force"], display_name)
        check_header(head[0], kind, display_name)
        return PoliceFile(path, display_name, kind, force.id, month)
    kind_found = kind_from_header(head[0])
    if kind_found is None or kind_found == STOP_SEARCH or len(head) < 2:
        raise InputError(
            "cannot tell which police.uk file this is: name it like "
            "'2025-01-kent-street.csv' ('-outcomes.csv', '-stop-and-search.csv') or give a "
            "street or outcomes file with its standard header and at least one row",
            file=display_name,
            kept=_NOTHING,
        )
    first = dict(zip(COLUMNS[kind_found], head[1], strict=False))
    month = _month_of(first.get("Month", ""), display_name, row=2, column="Month")
    force = force_of_row(first.get("Falls within", ""), display_name, 2)
    return PoliceFile(path, display_name, kind_found, force.id, month)


def discover(paths: list[Path], extract_to: Path) -> list[PoliceFile]:
    """Every police.uk CSV under ``paths`` (files, folders, zip archives), headers checked.

    Zip members, also of archives found in folders, are extracted under ``extract_to``;
    macOS's ``__MACOSX/`` and ``._`` artefacts are ignored. Raises InputError for a path that
    does not exist, a non-CSV file given by name, or a file whose header is wrong.
    """
    found: list[PoliceFile] = []
    for given in paths:
        if not given.exists():
            raise InputError("no such file or folder", file=str(given), kept=_NOTHING)
        if given.is_dir():
            members = sorted(
                p
                for p in given.rglob("*")
                if p.is_file()
                and not _MACOS_ARTEFACTS.search(p.relative_to(given).as_posix())
                and (_is_csv(p.name) or p.name.lower().endswith(ZIP_SUFFIX))
            )
            for member in members:
                if member.name.lower().endswith(ZIP_SUFFIX):
                    found.extend(_extract_zip(member, extract_to))
                else:
                    found.append(_describe(member, str(member)))
        elif given.name.lower().endswith(ZIP_SUFFIX):
            found.extend(_extract_zip(given, extract_to))
        elif _is_csv(given.name):
            found.append(_describe(given, str(given)))
        else:
            raise InputError(
                "expected a .csv, .csv.gz or .zip file, or a folder of them",
                file=str(given),
                kept=_NOTHING,
            )
    if not found:
        raise InputError(
            "no police.uk CSV files found in " + ", ".join(map(str, paths)), kept=_NOTHING
        )
    seen: dict[Path, str] = {}
    unique: list[PoliceFile] = []
    for item in found:
        key = item.path.resolve()
        if key not in seen:
            seen[key] = item.display_name
            unique.append(item)
    return unique


def _extract_zip(archive: Path, extract_to: Path) -> list[PoliceFile]:
    """Extract every CSV member to its own folder (so equal names never overwrite)."""
    target = extract_to / f"{len(list(extract_to.iterdir()))}-{archive.stem}"
    result: list[PoliceFile] = []
    try:
        with zipfile.ZipFile(archive) as zf:
            members = sorted(zf.infolist(), key=lambda i: i.filename)
            for index, info in enumerate(members):
                if (
                    info.is_dir()
                    or not _is_csv(info.filename)
                    or _MACOS_ARTEFACTS.search(info.filename)
                ):
                    continue
                display = f"{archive}:{info.filename}"
                out = target / str(index) / Path(info.filename).name
                out.parent.mkdir(parents=True, exist_ok=True)
                try:
                    with zf.open(info) as src, open(out, "wb") as dst:
                        while chunk := src.read(HASH_CHUNK):
                            dst.write(chunk)
                except RuntimeError as exc:  # an encrypted member
                    raise InputError(
                        f"cannot be read ({str(exc).splitlines()[0]})", file=display, kept=_NOTHING
                    ) from exc
                except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
                    raise InputError(
                        f"a damaged zip member ({_reason(exc)})", file=display, kept=_NOTHING
                    ) from exc
                except OSError as exc:
                    if out.exists():
                        out.unlink()
                    raise InputError(
                        f"cannot be extracted to a temporary folder ({_reason(exc)})",
                        file=display,
                        kept=_NOTHING,
                    ) from exc
                result.append(_describe(out, display))
    except (zipfile.BadZipFile, EOFError) as exc:
        raise InputError(
            f"not a readable zip archive ({_reason(exc)})", file=str(archive), kept=_NOTHING
        ) from exc
    return result


def check_gzip(path: Path, display_name: str) -> None:
    """Decompress a .gz file to its end, so corrupt or truncated data is named before loading."""
    if not path.name.lower().endswith(".gz"):
        return
    try:
        with gzip.open(path, "rb") as handle:
            while handle.read(HASH_CHUNK * 4):
                pass
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(
            f"cannot be read (corrupt or truncated gzip data: {_reason(exc)})",
            file=display_name,
            kept=_NOTHING,
        ) from exc


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes as stored (a gzipped file is hashed compressed)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
