"""Hostile inputs, run as a user runs them: every case ends in one line or a correct load.

Each case builds its inputs from the real bundled police.uk sample, runs the command line on a
copy of a warehouse holding two real Kent months, and checks the exit code, the one line of
error (never a traceback), a fingerprint of every warehouse table (unchanged unless the case
is a load that must succeed) and that no private copy or extracted file is left behind.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import openpyxl
import pytest

from cspkit.cli import main
from cspkit.ingest.police_uk import load_police_uk
from cspkit.reference import sample_police_uk_dir
from cspkit.warehouse.connection import writing
from tests.conftest import STREET_HEADER, sample_file, sample_lines

DATA = Path(__file__).resolve().parents[1] / "data" / "partner"
HELD_MONTH = "2025-05"  # held in the base warehouse, with 2025-06
KENT_ROWS_HELD = 16_276
UNCHANGED = "unchanged"
PROCESS_TIMEOUT = 120


#: A progress line printed when stderr is not a terminal, e.g. "loading street files (0/1)".
PROGRESS_LINE = re.compile(r"^[^:]+ \(\d+/\d+\)$")


def _messages(stderr: str) -> list[str]:
    """What the command said on stderr, without its plain progress lines and blank lines."""
    return [
        line
        for line in stderr.strip().splitlines()
        if line.strip() and not PROGRESS_LINE.match(line)
    ]


@dataclass(frozen=True)
class Case:
    """One hostile input: how to build it, and what must happen."""

    id: str
    build: Callable[[Path], list[str]]  # writes inputs under the folder; returns the arguments
    exit_code: int
    message: str  # a regular expression the one line of output must match
    effect: str = UNCHANGED  # or an SQL query whose single value must be true afterwards


# --------------------------------------------------------------------------------------------
# Building inputs from the real sample
# --------------------------------------------------------------------------------------------


def _lines(n: int | None = None, month: str = HELD_MONTH) -> list[str]:
    return sample_lines(month, n=n)


def _write(path: Path, lines: list[str], newline: str = "\n") -> Path:
    path.write_bytes((newline.join(lines) + newline).encode("utf-8"))
    return path


def _edit(lines: list[str], line: int, column: str, value: str) -> list[str]:
    """Set one field (by header name) of a 1-based line; the values here hold no commas."""
    header = STREET_HEADER.split(",")
    out = list(lines)
    fields = out[line - 1].split(",")
    fields[header.index(column)] = value
    out[line - 1] = ",".join(fields)
    return out


def _ingest(*paths: Path, extra: tuple[str, ...] = ()) -> list[str]:
    return ["ingest", "police-uk", *map(str, paths), *extra]


def _street(folder: Path, name: str, lines: list[str], newline: str = "\n") -> list[str]:
    return _ingest(_write(folder / name, lines, newline))


def _zip(folder: Path, name: str, members: dict[str, bytes]) -> Path:
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    return path


def _text(month: str = HELD_MONTH, n: int | None = None) -> bytes:
    return ("\n".join(_lines(n, month)) + "\n").encode()


def _july(n: int | None = None) -> bytes:
    """A real Kent month rewritten as 2025-07 (a month the base warehouse does not hold)."""
    return ("\n".join(_lines(n, "2025-04")) + "\n").replace("2025-04", "2025-07").encode()


def _gz_truncated(folder: Path) -> list[str]:
    data = sample_file(HELD_MONTH).read_bytes()
    path = folder / "2025-07-kent-street.csv.gz"
    path.write_bytes(gzip.compress(_july())[: len(data) // 2])
    return _ingest(path)


def _gz_corrupt(folder: Path) -> list[str]:
    data = bytearray(gzip.compress(_july()))
    middle = len(data) // 2
    data[middle : middle + 64] = b"\xff" * 64
    path = folder / "2025-07-kent-street.csv.gz"
    path.write_bytes(bytes(data))
    return _ingest(path)


def _zip_corrupt_member(folder: Path) -> list[str]:
    path = _zip(folder, "archive.zip", {"2025-07/2025-07-kent-street.csv": _july()})
    data = bytearray(path.read_bytes())
    start = data.index(b"2025-07-kent-street.csv") + 200  # inside the compressed member
    data[start : start + 64] = b"\x00" * 64
    path.write_bytes(bytes(data))
    return _ingest(path)


def _zip_truncated(folder: Path) -> list[str]:
    path = _zip(folder, "archive.zip", {"2025-07/2025-07-kent-street.csv": _july()})
    path.write_bytes(path.read_bytes()[:-300])
    return _ingest(path)


def _zip_encrypted(folder: Path) -> list[str]:
    # Python cannot write encrypted zips; set the "encrypted" flag bit the way zip tools do.
    path = _zip(folder, "archive.zip", {"2025-07/2025-07-kent-street.csv": _july(50)})
    data = bytearray(path.read_bytes())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature)
        data[at + flag_offset] |= 0x01
    path.write_bytes(bytes(data))
    return _ingest(path)


def _zip_same_month_twice(folder: Path) -> list[str]:
    return _ingest(
        _zip(
            folder,
            "two.zip",
            {
                "a/2025-07/2025-07-kent-street.csv": _july(),
                "b/2025-07/2025-07-kent-street.csv": _july(40),
            },
        )
    )


def _zip_in_folder(folder: Path) -> list[str]:
    inner = folder / "downloads"
    inner.mkdir()
    _zip(inner, "2025-07.zip", {"2025-07/2025-07-kent-street.csv": _july()})
    return _ingest(inner)


def _macos_archive(folder: Path) -> list[str]:
    return _ingest(
        _zip(
            folder,
            "mac.zip",
            {
                "2025-07/2025-07-kent-street.csv": _july(),
                "__MACOSX/2025-07/._2025-07-kent-street.csv": b"\x00\x05\x16\x07junk",
                "__MACOSX/._2025-07": b"\x00\x05\x16\x07",
            },
        )
    )


def _long_first_line(folder: Path) -> list[str]:
    return _street(folder, "2025-07-kent-street.csv", ["x" * 200_000, *_lines(5)[1:]])


def _not_pattern(folder: Path, name: str, lines: list[str]) -> list[str]:
    return _street(folder, name, lines)


def _xlsx_two_sheets(folder: Path, kind: str) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    if kind == "indicators":
        header = ["indicator", "area", "period_start", "period_end", "value"]
        rows = [["deliberate-fires", "E07000110", "2024-04-01", "2024-04-30", 12]]
    else:
        header = ["area_code", "year", "persons"]
        rows = [["E07000110", 2023, 180000]]
    for ws, title in ((first, "2023"), (book.create_sheet(), "2024")):
        ws.title = title
        ws.append(header)
        for row in rows:
            ws.append(row)
    path = folder / f"{kind}.xlsx"
    book.save(path)
    return path


def _indicators_registry(folder: Path, description: str, next_one: str = "") -> list[str]:
    registry = (DATA / "registry.csv").read_text().splitlines()
    registry[1] = registry[1].rsplit(",", 1)[0] + "," + description
    registry[2] = registry[2].rsplit(",", 1)[0] + "," + next_one
    reg = _write(folder / "registry.csv", registry)
    return ["ingest", "indicators", str(DATA / "indicators.csv"), "--registry", str(reg)]


def _badly_quoted_indicators(folder: Path) -> list[str]:
    lines = (DATA / "indicators.csv").read_text().splitlines()
    lines[2] = lines[2].replace("E07000110", '"E07000110')  # opens a quote never closed
    return ["ingest", "indicators", str(_write(folder / "values.csv", lines))]


def _sqlite(folder: Path) -> None:
    con = sqlite3.connect(folder / "w.duckdb")
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()


def _foreign_duckdb(folder: Path) -> None:
    con = duckdb.connect(str(folder / "w.duckdb"))
    con.execute("CREATE TABLE sales AS SELECT 1 AS x")
    con.close()


def _spoil(folder: Path, kind: str) -> None:
    """Replace the warehouse w.duckdb in ``folder`` by something that is not one."""
    db = folder / "w.duckdb"
    data = db.read_bytes()
    db.unlink()
    if kind == "text":
        db.write_text("area,count\nMaidstone,3\n")
    elif kind == "empty":
        db.write_bytes(b"")
    elif kind == "truncated":
        db.write_bytes(data[:6000])
    elif kind == "sqlite":
        _sqlite(folder)
    else:
        _foreign_duckdb(folder)


SPOILERS = ("text", "empty", "truncated", "sqlite", "other-duckdb")
COMMANDS_OPENING_A_WAREHOUSE: dict[str, Callable[[Path], list[str]]] = {
    "ingest": lambda d: _ingest(sample_file("2025-04")),
    "coverage": lambda d: ["coverage"],
    "assess": lambda d: ["assess", "--area", "Maidstone", "--period", "2025", "--out", str(d)],
    "serve": lambda d: ["serve", "--port", "1"],
}

REFUSED = "nothing was loaded"
KENT_MAY = "(SELECT count(*) FROM crimes WHERE force_slug = 'kent' AND month = DATE '2025-05-01')"
JULY = "(SELECT count(*) FROM crimes WHERE force_slug = 'kent' AND month = DATE '2025-07-01')"

CASES: tuple[Case, ...] = (
    # 1. One force, one name
    Case(
        "name-and-rows-disagree",
        lambda d: _street(
            d,
            "2025-07-kent-street.csv",
            [
                line.replace("Kent Police", "Essex Police")
                for line in _july(20).decode().splitlines()
            ],
        ),
        1,
        r"row 2, column 'Falls within': the file is for force 'kent'.*'Essex Police' \('essex'\)",
    ),
    Case(
        "force-name-with-police-suffix",
        lambda d: _street(d, "2025-05-kent-police-street.csv", _lines()),
        1,
        r"2025-05-kent-police-street.csv: the file name says force 'kent-police'.*did you mean "
        r"'kent'",
    ),
    Case(
        "full-name-file-replaces-not-doubles",
        lambda d: _not_pattern(d, "Kent Police May 2025.csv", _lines()),
        0,
        r"1 files: read 16,276 = loaded 16,276",
        f"{KENT_MAY} = {KENT_ROWS_HELD} AND (SELECT count(DISTINCT force_slug) FROM crimes) = 1",
    ),
    Case(
        "unknown-falls-within",
        lambda d: _street(
            d, "2025-05-kent-street.csv", _edit(_lines(), 5, "Falls within", "Kent Constabulary")
        ),
        1,
        r"row 5, column 'Falls within': 'Falls within' is 'Kent Constabulary', not a police.uk "
        r"force \(did you mean 'kent'",
    ),
    Case(
        "blank-falls-within",
        lambda d: _not_pattern(d, "may.csv", _edit(_lines(30), 2, "Falls within", "")),
        1,
        r"may.csv, row 2, column 'Falls within': 'Falls within' is blank",
    ),
    # 2. A held month is never emptied or shrunk by accident
    Case(
        "header-only-reload",
        lambda d: _street(d, "2025-05-kent-street.csv", _lines(1)),
        1,
        r"no row of the file can be loaded, and 16,276 rows of kent street 2025-05 are held",
    ),
    Case(
        "every-month-unparseable",
        lambda d: _street(
            d,
            "2025-05-kent-street.csv",
            [_lines(1)[0]] + [line.replace(",2025-05,", ",May 2025,") for line in _lines()[1:]],
        ),
        1,
        r"no row of the file can be loaded, and 16,276 rows",
    ),
    Case(
        "cut-short-reload",
        lambda d: _street(d, "2025-05-kent-street.csv", _lines(5001)),
        1,
        r"the file has 5,000 usable rows for kent street 2025-05 but 16,276 are held.*"
        r"--replace-smaller",
    ),
    Case(
        "cut-short-reload-replace-smaller",
        lambda d: _ingest(
            _write(d / "2025-05-kent-street.csv", _lines(5001)), extra=("--replace-smaller",)
        ),
        0,
        r"1 files: read 5,000 = loaded 5,000",
        f"{KENT_MAY} = 5000",
    ),
    # 3. Nothing is silently dropped
    Case(
        "zip-members-same-force-month",
        _zip_same_month_twice,
        1,
        r"two files hold kent street data for 2025-07: .*a/2025-07/.* and .*b/2025-07/",
    ),
    Case("zip-inside-folder", _zip_in_folder, 0, r"1 files: read 14,991", f"{JULY} = 14991"),
    Case("macos-archive", _macos_archive, 0, r"1 files: read 14,991", f"{JULY} = 14991"),
    Case(
        "badly-quoted-ignored-column",
        lambda d: _street(d, "2025-05-kent-street.csv", _edit(_lines(), 7, "Context", '"x"y')),
        1,
        r"row 7, column 'Context': a badly quoted value",
    ),
    Case(
        "quote-swallowing-rows",
        lambda d: _street(
            d,
            "2025-05-kent-street.csv",
            _edit(_edit(_lines(), 7, "Context", '"opens'), 11, "Context", 'closes"'),
        ),
        1,
        r"row 7, column 'Context': a badly quoted value: it runs over 5 lines",
    ),
    Case(
        "indicators-two-sheets",
        lambda d: ["ingest", "indicators", str(_xlsx_two_sheets(d, "indicators"))],
        1,
        r"several sheets of data \('2023', '2024'\); say which to load with --sheet NAME",
    ),
    Case(
        "indicators-sheet-chosen",
        lambda d: [
            "ingest",
            "indicators",
            str(_xlsx_two_sheets(d, "indicators")),
            "--sheet",
            "2024",
            "--registry",
            str(DATA / "registry.csv"),
        ],
        0,
        r"read 1 = loaded 1",
        "(SELECT count(*) FROM indicators) = 1",
    ),
    Case(
        "population-two-sheets",
        lambda d: ["ingest", "population", str(_xlsx_two_sheets(d, "population"))],
        1,
        r"several sheets of data \('2023', '2024'\)",
    ),
    Case(
        "population-year-disagrees",
        lambda d: ["ingest", "population", str(DATA / "population.csv"), "--year", "2024"],
        1,
        r"population.csv, row 2, column 'year': expected the year given with --year \(2024\)",
    ),
    Case(
        "registry-description-badly-quoted",
        lambda d: _indicators_registry(d, '"Fires "attended" by crews'),
        1,
        r"registry.csv, row 2: expected CSV; .*a badly quoted value",
    ),
    Case(
        "registry-description-swallows-rows",
        lambda d: _indicators_registry(d, '"Fires attended', 'by crews"'),
        1,
        r"registry.csv, row 2: expected one row per line; found a value running over",
    ),
    Case("indicators-badly-quoted", _badly_quoted_indicators, 1, r"values.csv, row 3: expected"),
    # 6. One line, never a traceback
    Case("gz-truncated", _gz_truncated, 1, r"2025-07-kent-street.csv.gz: cannot be read"),
    Case("gz-corrupt", _gz_corrupt, 1, r"2025-07-kent-street.csv.gz: cannot be read \(corrupt"),
    Case("zip-member-corrupt", _zip_corrupt_member, 1, r"archive.zip:2025-07/2025-07-kent-st"),
    Case("zip-member-encrypted", _zip_encrypted, 1, r"archive.zip:2025-07/.*(encrypted|password)"),
    Case("zip-truncated", _zip_truncated, 1, r"archive.zip: not a readable zip archive"),
    Case(
        "file-month-13",
        lambda d: _street(d, "2025-13-kent-street.csv", _lines(20)),
        1,
        r"2025-13-kent-street.csv: expected a month like 2025-01, found '2025-13'",
    ),
    Case(
        "row-month-00-without-name",
        lambda d: _not_pattern(d, "kent.csv", _edit(_lines(20), 2, "Month", "2025-00")),
        1,
        r"kent.csv, row 2, column 'Month': expected a month like 2025-01, found '2025-00'",
    ),
    Case(
        "cr-only-line-endings",
        lambda d: _street(d, "2025-05-kent-street.csv", _lines(), newline="\r"),
        1,
        r"carriage return only",
    ),
    Case("first-line-too-long", _long_first_line, 1, r"row 1: line 1 is longer than 65,536"),
    Case(
        "mistyped-path",
        lambda d: _ingest(d / "2025-05-kent-stret.csv"),
        1,
        r"2025-05-kent-stret.csv: no such file or folder",
    ),
)


# --------------------------------------------------------------------------------------------
# Running a case
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("base") / "w.duckdb"
    with writing(db) as con:
        load_police_uk(con, [sample_file("2025-05"), sample_file("2025-06")])
    return db


def fingerprint(db: Path) -> dict[str, object]:
    """Every table's row count and order-free content hash, or the bytes' hash of a file
    that is not a database."""
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return {"bytes": hashlib.sha256(db.read_bytes()).hexdigest()}
    try:
        tables = [
            str(r[0])
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                "ORDER BY 1"
            ).fetchall()
        ]
        return {
            t: con.execute(f'SELECT count(*), coalesce(sum(hash(t)), 0) FROM "{t}" t').fetchone()
            for t in tables
        }
    finally:
        con.close()


def _extractions() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).iterdir()}


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> Outcome:
    """Run the command line in this process exactly as the console script does."""
    old = sys.argv
    sys.argv = ["cspkit", *args]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = old
    out = capsys.readouterr()
    return Outcome(code, out.out, out.err)


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield attempts


@pytest.fixture()
def case_dirs(
    tmp_path: Path, base_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path]:
    store = tmp_path / "store"
    inputs = tmp_path / "inputs"
    scratch = tmp_path / "scratch"  # where zip members are extracted during a load
    for folder in (store, inputs, scratch):
        folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    shutil.copy2(base_warehouse, store / "w.duckdb")
    return store, inputs


def _check_one_line(outcome: Outcome, case: Case) -> str:
    text = outcome.stderr if case.exit_code else outcome.stdout
    assert "Traceback" not in outcome.stderr + outcome.stdout
    if case.exit_code:
        lines = _messages(outcome.stderr)
        assert len(lines) == 1, outcome.stderr
        assert lines[0].startswith("Error: ")
        text = lines[0]
    assert re.search(case.message, text), text
    return text


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(
    case: Case,
    case_dirs: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    no_network: list[object],
) -> None:
    store, inputs = case_dirs
    db = store / "w.duckdb"
    args = case.build(inputs)
    before = fingerprint(db)
    extractions = _extractions()
    outcome = run_cli([*args, "--db", str(db)], capsys)
    assert outcome.code == case.exit_code, outcome.stderr + outcome.stdout
    text = _check_one_line(outcome, case)
    if case.effect == UNCHANGED:
        assert fingerprint(db) == before
        if "ingest police-uk" in " ".join(args[:2]):
            assert REFUSED in text
    else:
        con = duckdb.connect(str(db), read_only=True)
        try:
            assert con.execute(f"SELECT {case.effect}").fetchone() == (True,)
        finally:
            con.close()
    assert sorted(p.name for p in store.iterdir()) == ["w.duckdb", "w.duckdb.lock"] or sorted(
        p.name for p in store.iterdir()
    ) == ["w.duckdb"]
    assert _extractions() == extractions == set()
    assert no_network == []


@pytest.mark.parametrize("spoiler", SPOILERS)
@pytest.mark.parametrize("command", list(COMMANDS_OPENING_A_WAREHOUSE))
def test_a_file_that_is_not_a_warehouse_is_named_by_every_command(
    command: str,
    spoiler: str,
    case_dirs: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    no_network: list[object],
) -> None:
    store, inputs = case_dirs
    _spoil(store, spoiler)
    line = _refused_by(command, store, inputs, capsys)
    assert line.startswith(f"Error: {store / 'w.duckdb'} is not a cspkit warehouse (")
    assert sorted(p.name for p in store.iterdir()) == ["w.duckdb"]
    assert no_network == []


def _refused_by(command: str, store: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Run a command that opens the warehouse in ``store``; it must fail with one line and
    leave the file's bytes as they were. The line."""
    db = store / "w.duckdb"
    before = db.read_bytes()
    outcome = run_cli([*COMMANDS_OPENING_A_WAREHOUSE[command](inputs), "--db", str(db)], capsys)
    assert outcome.code == 1
    lines = _messages(outcome.stderr)
    assert len(lines) == 1, outcome.stderr
    assert db.read_bytes() == before
    return lines[0]


_FOREIGN_WAL = """
import os, sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("SET checkpoint_threshold = '1GB'")
con.execute("CREATE TABLE t AS SELECT 1 AS a")
os._exit(0)  # committed, but only in the write-ahead log
"""


@pytest.mark.parametrize("command", list(COMMANDS_OPENING_A_WAREHOUSE))
def test_a_write_ahead_log_that_cannot_be_applied_is_named_by_every_command(
    command: str,
    case_dirs: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    no_network: list[object],
) -> None:
    store, inputs = case_dirs
    other = tmp_path / "other.duckdb"
    subprocess.run([sys.executable, "-c", _FOREIGN_WAL, str(other)], check=True)
    shutil.copy(other.with_name(other.name + ".wal"), store / "w.duckdb.wal")
    line = _refused_by(command, store, inputs, capsys)
    assert line.startswith(f"Error: {store / 'w.duckdb'}: its write-ahead log w.duckdb.wal ")
    assert "cannot be applied" in line and "move w.duckdb.wal aside" in line
    assert sorted(p.name for p in store.iterdir()) == ["w.duckdb", "w.duckdb.wal"]
    assert no_network == []


def test_the_quarantine_keeps_control_characters_with_real_line_numbers(
    case_dirs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    store, inputs = case_dirs
    lines = _july(40).decode().splitlines()
    lines = _edit(lines, 5, "Location", "On or near\x00 Park")
    lines = _edit(lines, 9, "Location", "On or near\x07 Road")
    lines = _edit(lines, 3, "Location", '"On or near\nHigh Street"')  # one value, two lines
    lines.insert(12, "")  # a blank line: every later row is one line further down
    lines = _edit(lines, 21, "Month", "2025-13")
    path = _write(inputs / "2025-07-kent-street.csv", lines)
    outcome = run_cli(["ingest", "police-uk", str(path), "--db", str(store / "w.duckdb")], capsys)
    assert outcome.code == 0, outcome.stderr
    con = duckdb.connect(str(store / "w.duckdb"), read_only=True)
    try:
        held = con.execute(
            "SELECT line, reason FROM quarantine WHERE file_name LIKE '%2025-07%' ORDER BY line"
        ).fetchall()
        location = con.execute(
            "SELECT location FROM crimes WHERE contains(location, chr(10))"
        ).fetchall()
    finally:
        con.close()
    # The lines as an editor numbers them: the quoted line break and the blank line count.
    physical = path.read_text(encoding="utf-8").split("\n")
    where = {m: next(i for i, t in enumerate(physical, 1) if m in t) for m in ("\x00", "\x07")}
    month_line = next(i for i, t in enumerate(physical, 1) if ",2025-13," in t)
    assert held == [
        (where["\x00"], "control character (such as NUL) in Location"),
        (where["\x07"], "control character (such as NUL) in Location"),
        (month_line, "unparseable month '2025-13'"),
    ]
    assert where["\x00"] == 6 and month_line == 22
    assert location == [("On or near\nHigh Street",)]


# --------------------------------------------------------------------------------------------
# Faults of the machine: Ctrl-C, a full disk, a read-only file system (separate processes)
# --------------------------------------------------------------------------------------------


def _spawn(args: list[str], *, file_size_limit: int | None = None) -> subprocess.Popen[str]:
    def limit() -> None:  # pragma: no cover - runs in the child
        if file_size_limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.Popen(
        [sys.executable, "-m", "cspkit", *args],
        env={**os.environ, "TMPDIR": tempfile.gettempdir()},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=limit,
    )


def _finish(process: subprocess.Popen[str]) -> Outcome:
    out, err = process.communicate(timeout=PROCESS_TIMEOUT)
    return Outcome(process.returncode, out, err)


def _assert_refused_cleanly(outcome: Outcome, store: Path, before: bytes, pattern: str) -> None:
    assert "Traceback" not in outcome.stderr
    lines = _messages(outcome.stderr)
    assert len(lines) == 1 and lines[0].startswith("Error: "), outcome.stderr
    assert re.search(pattern, lines[0]), lines[0]
    assert outcome.code != 0
    assert (store / "w.duckdb").read_bytes() == before
    assert {p.name for p in store.iterdir()} <= {"w.duckdb", "w.duckdb.lock"}
    assert list((store.parent / "scratch").iterdir()) == []  # no extracted member left


def test_ctrl_c_during_a_load_leaves_the_warehouse_unchanged(
    case_dirs: tuple[Path, Path],
) -> None:
    store, _ = case_dirs
    db = store / "w.duckdb"
    before = db.read_bytes()
    process = _spawn(["ingest", "police-uk", str(sample_police_uk_dir()), "--db", str(db)])
    deadline = time.monotonic() + PROCESS_TIMEOUT
    while not list(store.glob(".w.duckdb.*.loading")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # inside the load, past the copy
    process.send_signal(signal.SIGINT)
    outcome = _finish(process)
    _assert_refused_cleanly(outcome, store, before, r"^Error: interrupted; the warehouse is unch")
    assert outcome.code == 130


@pytest.mark.parametrize(
    ("stage", "limit", "pattern"),
    [
        # Below the warehouse's size: the private copy cannot be made.
        ("copy", 1_000_000, r"w.duckdb: cannot copy it.*(no space|too large).*unchanged"),
        # Room for the copy but not for the month the load adds to it.
        ("load", None, r"w.duckdb: .*(space|too large).*the warehouse is unchanged"),
        # Below the size of the zip member being extracted.
        ("extraction", 200_000, r"cannot be extracted to a temporary folder"),
    ],
)
def test_a_full_disk_ends_in_one_line_and_removes_the_partial_copy(
    stage: str, limit: int | None, pattern: str, case_dirs: tuple[Path, Path]
) -> None:
    store, inputs = case_dirs
    db = store / "w.duckdb"
    before = db.read_bytes()
    if stage == "extraction":
        source = _zip(inputs, "2025-07.zip", {"2025-07/2025-07-kent-street.csv": _july()})
    else:
        source = sample_file("2025-04")
    size = limit if limit is not None else len(before) + 64 * 1024
    outcome = _finish(
        _spawn(["ingest", "police-uk", str(source), "--db", str(db)], file_size_limit=size)
    )
    _assert_refused_cleanly(outcome, store, before, pattern)


#: Run inside a private mount namespace: mount small file systems (tmpfs) for the warehouse
#: and the temporary folder, fill them with a load, and report what was left behind.
_ON_A_SMALL_FILE_SYSTEM = """
import hashlib, json, os, shutil, subprocess, sys
base, store, store_size, scratch, scratch_size, source = sys.argv[1:7]
for folder, size in ((store, store_size), (scratch, scratch_size)):
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", folder], check=True)
db = os.path.join(store, "w.duckdb")
shutil.copyfile(base, db)
before = hashlib.sha256(open(db, "rb").read()).hexdigest()
run = subprocess.run(
    [sys.executable, "-m", "cspkit", "ingest", "police-uk", source, "--db", db],
    capture_output=True, text=True, env={**os.environ, "TMPDIR": scratch},
)
print(json.dumps({
    "code": run.returncode, "stderr": run.stderr,
    "unchanged": hashlib.sha256(open(db, "rb").read()).hexdigest() == before,
    "store": sorted(os.listdir(store)), "scratch": sorted(os.listdir(scratch)),
}))
"""
_NAMESPACE = ["unshare", "--user", "--map-root-user", "--mount"]


def _can_mount_in_a_namespace() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        [*_NAMESPACE, "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


@pytest.mark.skipif(
    not _can_mount_in_a_namespace(),
    reason="needs 'unshare' and user namespaces to mount a small file system; the "
    "file-size-limit test of the same faults runs everywhere",
)
@pytest.mark.parametrize(
    ("stage", "pattern"),
    [
        ("copy", r"w.duckdb: cannot copy it.*no space.*unchanged"),
        ("load", r"w.duckdb: .*(space|disk).*the warehouse is unchanged"),
        ("extraction", r"cannot be extracted to a temporary folder.*(space|full)"),
    ],
)
def test_a_really_full_file_system_ends_in_one_line_and_loses_nothing(
    stage: str, pattern: str, case_dirs: tuple[Path, Path], tmp_path: Path
) -> None:
    store, inputs = case_dirs
    base = store / "w.duckdb"
    size = base.stat().st_size
    full_store, full_scratch = tmp_path / "full-store", tmp_path / "full-scratch"
    full_store.mkdir()
    full_scratch.mkdir()
    if stage == "extraction":
        source = _zip(inputs, "2025-07.zip", {"2025-07/2025-07-kent-street.csv": _july()})
        store_size, scratch_size = 3 * size, 200 * 1024
    else:
        source = sample_file("2025-04")
        store_size = size + 256 * 1024 if stage == "copy" else 2 * size + 256 * 1024
        scratch_size = 16 * 1024 * 1024
    args = [base, full_store, store_size, full_scratch, scratch_size, source]
    run = subprocess.run(
        [*_NAMESPACE, sys.executable, "-c", _ON_A_SMALL_FILE_SYSTEM, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=PROCESS_TIMEOUT,
        check=True,
    )
    found = json.loads(run.stdout)
    assert "Traceback" not in found["stderr"], found["stderr"]
    lines = _messages(found["stderr"])
    assert len(lines) == 1 and lines[0].startswith("Error: "), found["stderr"]
    assert re.search(pattern, lines[0], re.IGNORECASE), lines[0]
    assert found["code"] == 1
    assert found["unchanged"]
    assert set(found["store"]) <= {"w.duckdb", "w.duckdb.lock"}  # no partial copy left
    assert found["scratch"] == []  # no extracted member left


@pytest.fixture()
def read_only_store(case_dirs: tuple[Path, Path]) -> Iterator[Path]:
    """The warehouse's folder made read-only: a read-only mount where the tests may mount
    (root ignores permission bits), else the folder's permission bits."""
    store, _ = case_dirs
    if os.geteuid() == 0:
        mount = subprocess.run(
            ["mount", "-o", "bind,ro", str(store), str(store)], capture_output=True, check=False
        )
        if mount.returncode == 0:
            subprocess.run(
                ["mount", "-o", "remount,bind,ro", str(store)], capture_output=True, check=False
            )
            try:
                yield store
            finally:
                subprocess.run(["umount", str(store)], check=True)
            return
    store.chmod(0o555)
    try:
        yield store
    finally:
        store.chmod(0o755)


def test_a_read_only_folder_ends_in_one_line(read_only_store: Path) -> None:
    db = read_only_store / "w.duckdb"
    before = db.read_bytes()
    probe = read_only_store / "probe"
    with pytest.raises(OSError):
        probe.write_text("x")  # the folder really is read-only
    outcome = _finish(_spawn(["ingest", "police-uk", str(sample_file("2025-04")), "--db", str(db)]))
    assert "Traceback" not in outcome.stderr
    lines = _messages(outcome.stderr)
    assert len(lines) == 1 and re.search(r"read-only or not writable.*unchanged", lines[0])
    assert outcome.code == 1
    assert db.read_bytes() == before
    assert sorted(p.name for p in read_only_store.iterdir()) == ["w.duckdb"]


def test_a_mistyped_path_fails_before_the_warehouse_is_copied(
    case_dirs: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, inputs = case_dirs
    copies: list[object] = []
    monkeypatch.setattr(shutil, "copyfile", lambda *a, **k: copies.append(a))
    for args in (
        _ingest(inputs / "2025-04-kent-stret.csv"),
        _street(inputs, "2025-04-kent-street.csv", ["Crime ID,Month", "1,2025-04"]),
    ):
        outcome = run_cli([*args, "--db", str(store / "w.duckdb")], capsys)
        assert outcome.code == 1
    assert copies == []
    assert sorted(p.name for p in store.iterdir()) == ["w.duckdb"]  # not even a lock file
