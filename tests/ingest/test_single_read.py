"""A police.uk file is read once when it is clean, and again only when it needs checking.

Whichever way a file goes, the warehouse must hold exactly what an independent reading of
the file (Python's csv module) says: the usable rows in the kind's table, every other row in
the quarantine at the line an editor shows, and counts that balance.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cspkit.ingest.police_uk import load_police_uk
from cspkit.warehouse.connection import connect_memory
from tests.conftest import edited_row, sample_lines, table_digest

CLEAN = sample_lines("2025-01", n=30)


#: Ways to spoil one data line, each with the reason its row is quarantined.
SPOILERS = {
    "month": (lambda line: edited_row(line, Month="2025-13"), "unparseable month '2025-13'"),
    "category": (
        lambda line: edited_row(line, **{"Crime type": "Jaywalking"}),
        "unknown category 'Jaywalking'",
    ),
    "control": (
        lambda line: edited_row(line, Location="On or near \x07 Street"),
        "control character (such as NUL) in Location",
    ),
    "coordinates": (
        lambda line: edited_row(line, Latitude="north"),
        "unparseable coordinates",
    ),
}


def _load(text: str, folder: Path) -> tuple[duckdb.DuckDBPyConnection, Path]:
    path = folder / "2025-01-kent-street.csv"
    path.write_bytes(text.encode("utf-8"))
    con = connect_memory()
    load_police_uk(con, [path])
    return con, path


def _rows(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute(
        "SELECT crime_id, month, force, longitude, latitude, location, lsoa_code, category, "
        "lad_code, lad_method FROM crimes ORDER BY ALL"
    ).fetchall()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    spoiled=st.dictionaries(
        st.integers(min_value=1, max_value=len(CLEAN) - 1), st.sampled_from(sorted(SPOILERS))
    ),
    blank_after=st.sets(st.integers(min_value=0, max_value=len(CLEAN) - 1), max_size=3),
    crlf=st.booleans(),
    final_line_feed=st.booleans(),
)
# A blank line and a last line without a line feed: as many line feeds as records + header.
@example(spoiled={1: "category"}, blank_after={0}, crlf=False, final_line_feed=False)
def test_the_warehouse_holds_what_an_independent_reading_says(
    tmp_path: Path,
    spoiled: dict[int, str],
    blank_after: set[int],
    crlf: bool,
    final_line_feed: bool,
) -> None:
    lines: list[str] = []
    expected_quarantine: list[tuple[int, str]] = []
    usable: list[str] = []
    for i, line in enumerate(CLEAN):
        if i in spoiled:
            spoil, reason = SPOILERS[spoiled[i]]
            lines.append(spoil(line))
            expected_quarantine.append((len(lines), reason))
        else:
            lines.append(line)
            if i > 0:
                usable.append(line)
        if i in blank_after and i < len(CLEAN) - 1:
            lines.append("")
    newline = "\r\n" if crlf else "\n"
    text = newline.join(lines) + (newline if final_line_feed else "")

    con, _path = _load(text, tmp_path)
    quarantined = con.execute("SELECT line, reason FROM quarantine ORDER BY line").fetchall()
    assert quarantined == expected_quarantine
    ids = con.execute("SELECT coalesce(crime_id, '') FROM crimes ORDER BY ALL").fetchall()
    assert ids == sorted((next(csv.reader([u]))[0],) for u in usable)
    read, loaded, held = con.execute(
        "SELECT rows_read, rows_loaded, rows_quarantined FROM sources"
    ).fetchone() or (0, 0, 0)
    assert (read, loaded, held) == (len(CLEAN) - 1, len(usable), len(expected_quarantine))
    assert len(_rows(con)) == loaded
    con.close()


@pytest.mark.parametrize(
    "variant",
    ["no final line feed", "a blank line", "CRLF", "CRLF and no final line feed"],
)
def test_a_file_read_again_loads_exactly_what_a_file_read_once_loads(
    tmp_path: Path, variant: str
) -> None:
    lines = sample_lines("2025-01")
    clean = "\n".join(lines) + "\n"
    text = {
        "no final line feed": clean.rstrip("\n"),
        "a blank line": "\n".join([*lines[:100], "", *lines[100:]]) + "\n",
        "CRLF": clean.replace("\n", "\r\n"),
        "CRLF and no final line feed": clean.replace("\n", "\r\n").rstrip("\r\n"),
    }[variant]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    once, _ = _load(clean, tmp_path / "a")
    again, _ = _load(text, tmp_path / "b")
    assert _rows(again) == _rows(once)
    # Every data table alike; the sources differ only in the file's hash and load time.
    digests = [{k: v for k, v in table_digest(c).items() if k != "sources"} for c in (again, once)]
    assert digests[0] == digests[1]
    counts = "SELECT rows_read, rows_loaded, rows_quarantined, rows_unassigned FROM sources"
    assert again.execute(counts).fetchall() == once.execute(counts).fetchall()
    once.close()
    again.close()
