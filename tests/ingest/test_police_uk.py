"""police.uk ingest: reconciliation with the raw files, idempotence, quarantine, errors."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cspkit.errors import InputError
from cspkit.ingest.police_uk import load_police_uk
from cspkit.reference import read_table, sample_police_uk_dir
from tests.conftest import STREET_HEADER, edited_row, sample_file, sample_lines, table_digest

MAIDSTONE = "E07000110"


def _raw_counts() -> Counter[tuple[str, str, str]]:
    """(district, category, month) counted straight from the sample's street files."""
    lookup = read_table("lsoa_district.parquet")
    by_code = dict(zip(lookup["lsoa_code"], lookup["lad_code"], strict=True))
    counts: Counter[tuple[str, str, str]] = Counter()
    for path in sorted(sample_police_uk_dir().rglob("*-street.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                lad = by_code.get(row["LSOA code"])
                if lad is not None:
                    counts[(lad, row["Crime type"], row["Month"])] += 1
    return counts


def test_every_district_category_and_month_reconciles_with_the_raw_files(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    expected = _raw_counts()
    rows = sample_con.execute(
        "SELECT lad_code, category, strftime(month, '%Y-%m'), count(*) FROM crimes "
        "WHERE lad_method = 'code' GROUP BY ALL"
    ).fetchall()
    got = {(lad, cat, month): n for lad, cat, month, n in rows}
    assert got == dict(expected)
    assert len({k[0] for k in got}) >= 20  # 13 Kent + 7 Lincolnshire districts at least


def test_maidstone_2025_matches_the_published_row_count(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    # The source's own table: 16,619 rows in Maidstone LSOAs in 2025 (LSOA name "Maidstone ...").
    by_name = 0
    asb = 0
    for month in range(1, 13):
        for line in csv.DictReader(io.StringIO("\n".join(sample_lines(f"2025-{month:02d}")))):
            if line["LSOA name"].startswith("Maidstone"):
                by_name += 1
                asb += line["Crime type"] == "Anti-social behaviour"
    assert by_name == 16_619
    all_crime, asb_wh = sample_con.execute(
        "SELECT count(*) FILTER (WHERE category <> 'Anti-social behaviour'), "
        "count(*) FILTER (WHERE category = 'Anti-social behaviour') FROM crimes "
        "WHERE lad_code = ? AND year(month) = 2025",
        [MAIDSTONE],
    ).fetchone() or (0, 0)
    assert all_crime + asb_wh == by_name
    assert asb_wh == asb


def test_rows_read_equal_loaded_plus_quarantined_for_every_file(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    rows = sample_con.execute(
        "SELECT kind, force_slug, sum(rows_read), sum(rows_loaded), sum(rows_quarantined) "
        "FROM sources WHERE replaced_by IS NULL GROUP BY ALL ORDER BY 1, 2"
    ).fetchall()
    totals = {(k, f): (r, lo, q) for k, f, r, lo, q in rows}
    # Row totals from the sources' own documentation of the sample files.
    assert totals[("street", "kent")][0] == 60_021 + 180_022
    assert totals[("street", "lincolnshire")][0] == 201_960
    assert totals[("outcomes", "lincolnshire")][0] == 131_061
    for read, loaded, quarantined in totals.values():
        assert read == loaded + quarantined


def test_loading_the_same_files_again_changes_nothing(con: duckdb.DuckDBPyConnection) -> None:
    files = [sample_file("2025-01"), sample_file("2025-02")]
    load_police_uk(con, files)
    before = table_digest(con)
    before.pop("sources")
    report = load_police_uk(con, files)
    after = table_digest(con)
    after.pop("sources")
    assert after == before
    assert all(f.replaced_earlier_load for f in report.files)
    live = con.execute("SELECT count(*) FROM sources WHERE replaced_by IS NULL").fetchone()
    assert live == (2,)


def _write(path: Path, lines: list[str], *, newline: str = "\n", raw: bytes | None = None) -> Path:
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text(newline.join(lines) + newline, encoding="utf-8", newline="")
    return path


def _assert_unchanged_after_error(
    con: duckdb.DuckDBPyConnection, path: Path, *, row: int | None, column: str | None
) -> InputError:
    load_police_uk(con, [sample_file("2025-03")])
    before = table_digest(con)
    with pytest.raises(InputError) as info:
        load_police_uk(con, [sample_file("2025-04"), path])
    assert table_digest(con) == before
    err = info.value
    assert err.file is not None and path.name in err.file
    assert err.row == row
    assert err.column == column
    assert "nothing was loaded" in str(err)
    return err


def test_bad_header_names_missing_and_unexpected_columns(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    lines = sample_lines("2025-01", n=20)
    lines[0] = lines[0].replace("Crime type", "Offence")
    err = _assert_unchanged_after_error(
        con, _write(tmp_path / "2025-01-kent-street.csv", lines), row=1, column=None
    )
    assert "missing 'Crime type'" in str(err) and "unexpected 'Offence'" in str(err)


def test_truncated_row_is_named_by_line(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    lines = sample_lines("2025-01", n=30)
    lines[11] = ",".join(lines[11].split(",")[:5])
    err = _assert_unchanged_after_error(
        con, _write(tmp_path / "2025-01-kent-street.csv", lines), row=12, column=None
    )
    assert "too few fields" in str(err)


def test_non_utf8_bytes_are_named_by_line_and_column(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    lines = sample_lines("2025-01", n=30)
    text = "\n".join(lines) + "\n"
    data = text.encode("utf-8").replace(
        lines[7].split(",")[6].encode(), b"On or near Caf\xe9 Row", 1
    )
    err = _assert_unchanged_after_error(
        con, _write(tmp_path / "2025-01-kent-street.csv", [], raw=data), row=8, column="Location"
    )
    assert "not UTF-8" in str(err)


def test_file_whose_rows_are_all_for_another_month_is_refused(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    lines = sample_lines("2025-02", n=40)
    err = _assert_unchanged_after_error(
        con, _write(tmp_path / "2025-01-kent-street.csv", lines), row=2, column="Month"
    )
    assert "2025-02" in str(err)


def test_unusable_rows_are_quarantined_with_reason_and_line(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    lines = sample_lines("2025-01", n=12)

    def row(i: int, **changes: str) -> str:
        return edited_row(lines[i + 1], **changes)

    bad = [
        row(0, Month="2025-13"),
        row(1, Month="2024-12"),
        row(2, Latitude="0.0", Longitude="0.0"),
        row(3, **{"Crime type": "Jaywalking"}),
        row(4, Latitude="north"),
    ]
    path = _write(tmp_path / "2025-01-kent-street.csv", [lines[0], *bad, *lines[6:]])
    report = load_police_uk(con, [path])
    (f,) = report.files
    assert (f.rows_read, f.rows_loaded, f.rows_quarantined) == (11, 6, 5)
    got = con.execute("SELECT line, reason FROM quarantine ORDER BY line").fetchall()
    assert got == [
        (2, "unparseable month '2025-13'"),
        (3, "month 2024-12 differs from the file's month 2025-01"),
        (4, "impossible coordinates (outside the United Kingdom)"),
        (5, "unknown category 'Jaywalking'"),
        (6, "unparseable coordinates"),
    ]
    record = con.execute("SELECT record FROM quarantine WHERE line = 5").fetchone()
    assert record is not None and '"Crime type":"Jaywalking"' in record[0]


def test_unknown_lsoa_code_falls_back_to_the_lsoa_name_and_unresolved_rows_are_kept(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    header = STREET_HEADER
    base = ",2025-01,Kent Police,Kent Police,0.52,51.27,On or near X,{code},{name},Burglary,,"
    lines = [
        header,
        base.format(code="E01999999", name="Maidstone 012A"),
        base.format(code="", name=""),
        base.format(code="E01999998", name="Nowhere 001A"),
    ]
    report = load_police_uk(con, [_write(tmp_path / "2025-01-kent-street.csv", lines)])
    assert report.rows_loaded == 3 and report.rows_unassigned == 2
    got = con.execute(
        "SELECT lsoa_code, lad_code, lad_method FROM crimes ORDER BY lsoa_code NULLS LAST"
    ).fetchall()
    assert got == [("E01999998", None, None), ("E01999999", MAIDSTONE, "name"), (None, None, None)]


def test_zip_archive_layout_crlf_and_gzip(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    archive = tmp_path / "download.zip"
    jan = sample_lines("2025-01")
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("2025-01/2025-01-kent-street.csv", "\r\n".join(jan) + "\r\n")
        zf.writestr(
            "2017-02/2017-02-lincolnshire-outcomes.csv",
            gzip.decompress(sample_file("2017-02", "lincolnshire", "outcomes").read_bytes()),
        )
    gz = tmp_path / "2025-02-kent-street.csv.gz"
    gz.write_bytes(sample_file("2025-02").read_bytes())
    report = load_police_uk(con, [archive, gz])
    by_file = {Path(f.file.split(":")[-1]).name: f for f in report.files}
    assert by_file["2025-01-kent-street.csv"].rows_loaded == 14_201
    assert by_file["2025-02-kent-street.csv.gz"].rows_loaded == 13_305
    assert by_file["2017-02-lincolnshire-outcomes.csv"].rows_loaded == 1_189
    assert con.execute("SELECT count(*) FROM outcomes").fetchone() == (1_189,)


def test_lincolnshire_2011_lsoas_resolve_to_the_seven_districts(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    rows = sample_con.execute(
        "SELECT d.lad_name, count(*) FROM crimes c JOIN districts d USING (lad_code) "
        "WHERE c.force_slug = 'lincolnshire' GROUP BY 1 ORDER BY 2 DESC"
    ).fetchall()
    top = [name for name, _ in rows[:7]]
    assert set(top) == {
        "Boston",
        "East Lindsey",
        "Lincoln",
        "North Kesteven",
        "South Holland",
        "South Kesteven",
        "West Lindsey",
    }
    # SOURCES: 201,571 of 201,960 rows fall in the seven districts.
    assert sum(n for _, n in rows[:7]) == 201_571


def test_two_files_for_the_same_force_month_are_refused(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    plain = _write(tmp_path / "2025-01-kent-street.csv", sample_lines("2025-01", n=5))
    with pytest.raises(InputError, match="two files hold kent street data for 2025-01"):
        load_police_uk(con, [plain, sample_file("2025-01")])


_REASONLESS = st.sampled_from(["Burglary", "Drugs", "Anti-social behaviour", "Jaywalking"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            _REASONLESS,
            st.sampled_from(["2025-01", "2025-02", "bad"]),
            st.sampled_from(["E01024406", "E01999999", ""]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_reingesting_any_file_twice_equals_once(
    rows: list[tuple[str, str, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("prop")
    lines = [STREET_HEADER] + [
        f",{month},Kent Police,Kent Police,0.5,51.2,On or near Y,{code},Maidstone 001A,{cat},,"
        for cat, month, code in rows
    ]
    path = _write(folder / "2025-01-kent-street.csv", lines)
    once = duckdb.connect()
    from cspkit.warehouse.schema import migrate

    migrate(once)
    try:
        load_police_uk(once, [path])
    except InputError:
        return  # a file all for another month is refused whole; nothing to compare
    first = table_digest(once)
    load_police_uk(once, [path])
    second = table_digest(once)
    first.pop("sources")
    second.pop("sources")
    assert first == second


def test_stop_and_search_rows_are_typed_and_checked(con: duckdb.DuckDBPyConnection) -> None:
    path = Path(__file__).resolve().parents[1] / "data" / "police_uk"
    report = load_police_uk(con, [path / "2018-06-leicestershire-stop-and-search.csv"])
    (f,) = report.files
    assert (f.kind, f.force_slug, f.rows_read, f.rows_loaded, f.rows_quarantined) == (
        "stop-and-search",
        "leicestershire",
        4,
        3,
        1,
    )
    rows = con.execute(
        "SELECT search_type, part_of_operation, outcome_linked_to_object, latitude, "
        "strftime(month, '%Y-%m') FROM stop_search ORDER BY occurred_at"
    ).fetchall()
    assert rows == [
        ("Person search", None, None, 52.63625, "2018-06"),
        ("Person and Vehicle search", False, True, 52.63625, "2018-06"),
        ("Vehicle search", False, False, None, "2018-06"),
    ]
    reason = con.execute("SELECT line, reason FROM quarantine").fetchall()
    assert reason == [(4, "month 2018-07 differs from the file's month 2018-06")]
