"""A user's own population table: layouts, read-back, errors, replacement of earlier rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cspkit.errors import InputError
from cspkit.ingest.population import load_population
from cspkit.ingest.tabular import NOTHING_WRITTEN
from cspkit.warehouse.connection import connect_memory
from cspkit.warehouse.series import district_population

DATA = Path(__file__).parents[1] / "data" / "partner"
MAIDSTONE, ASHFORD, LSOA = "E07000110", "E07000105", "E01024321"
HEADER = "area_code,year,persons,households,adults"
TABLES = ("population", "sources")
USER_ROWS = (
    "SELECT area_code, area_type, lsoa_vintage, year, persons, households, adults, source "
    "FROM population WHERE user_supplied ORDER BY ALL"
)


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect_memory()
    yield connection
    connection.close()


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


def write(tmp_path: Path, *lines: str, name: str = "population.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_long_csv_read_back(con: duckdb.DuckDBPyConnection) -> None:
    report = load_population(con, DATA / "population.csv")
    assert (report.rows_read, report.rows_loaded, report.records_loaded) == (4, 4, 4)
    assert report.area_types == (("lad", 2), ("lsoa", 1), ("ward", 1))
    assert report.years == (2023,) and report.records_replaced == 0
    source = "population.csv (user-supplied)"
    assert district_population(con, [MAIDSTONE, ASHFORD], "persons", 2023) == {
        MAIDSTONE: (180000.0, 2023, source),
        ASHFORD: (135000.0, 2023, source),
    }
    # The file gives no households for Ashford: the shipped Census 2021 figure is used.
    households = district_population(con, [MAIDSTONE, ASHFORD], "households", 2023)
    assert households[MAIDSTONE] == (75000.0, 2023, source)
    assert households[ASHFORD][:2] == (53583.0, 2021)
    assert "Census 2021" in households[ASHFORD][2]
    assert district_population(con, [MAIDSTONE], "adults-18-plus", 2023) == {
        MAIDSTONE: (140000.0, 2023, source)
    }
    rows = con.execute(USER_ROWS).fetchall()
    assert [r[:4] for r in rows] == [
        ("E01024321", "lsoa", 2021, 2023),
        ("E05009543", "ward", None, 2023),
        (ASHFORD, "lad", None, 2023),
        (MAIDSTONE, "lad", None, 2023),
    ]
    row = con.execute(
        "SELECT kind, file_name, sha256, rows_read, rows_loaded, rows_quarantined FROM sources"
    ).fetchone()
    assert row == ("population", "population.csv", report.sha256, 4, 4, 0)


def test_user_figures_preferred_on_the_same_year(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    shipped = district_population(con, [MAIDSTONE], "persons", 2019)[MAIDSTONE]
    load_population(con, DATA / "population.csv")
    assert district_population(con, [MAIDSTONE], "persons", 2019)[MAIDSTONE] == shipped
    load_population(con, write(tmp_path, "area_code,year,persons", f"{MAIDSTONE},2019,170000"))
    assert district_population(con, [MAIDSTONE], "persons", 2019)[MAIDSTONE] == (
        170000.0,
        2019,
        "population.csv (user-supplied)",
    )


def test_lsoa_vintage_follows_year(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    load_population(con, write(tmp_path, "area_code,year,persons", f"{LSOA},2019,1500"))
    vintage = con.execute(
        "SELECT lsoa_vintage FROM population WHERE user_supplied AND area_code = ?", [LSOA]
    ).fetchone()
    assert vintage == (2011,)


def test_ons_workbook_with_title_rows_and_ages(con: duckdb.DuckDBPyConnection) -> None:
    report = load_population(con, DATA / "population_ons.xlsx")
    assert report.sheet == "MYE2 - Persons" and report.years == (2022,)
    assert report.rows_read == 5 and report.rows_loaded == 2 and report.rows_skipped == 3
    assert dict(report.skipped_reasons) == {
        "England and Wales total": 1,
        "region": 1,
        "county": 1,
    }
    rows = con.execute(USER_ROWS).fetchall()
    # 91 single-year columns; ages 18 to 90+ are 73 of them
    assert [(r[0], r[3], r[4], r[6]) for r in rows] == [
        (ASHFORD, 2022, 91.0, 73.0),
        (MAIDSTONE, 2022, 182.0, 146.0),
    ]


def test_year_argument_overrides_title(con: duckdb.DuckDBPyConnection) -> None:
    load_population(con, DATA / "population_ons.xlsx", year=2021)
    assert con.execute("SELECT DISTINCT year FROM population WHERE user_supplied").fetchall() == [
        (2021,)
    ]


def test_ons_spellings_and_wide_years(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    load_population(
        con, write(tmp_path, "Code,Name,Mid-2022,Mid-2021", f'{ASHFORD},Ashford,"134,500",133000')
    )
    load_population(
        con, write(tmp_path, "LAD 2021 Code,Mid-year,All ages", f"{MAIDSTONE},Mid-2020,175000")
    )
    rows = con.execute(
        "SELECT area_code, year, persons FROM population WHERE user_supplied ORDER BY ALL"
    ).fetchall()
    assert rows == [
        (ASHFORD, 2021, 133000.0),
        (ASHFORD, 2022, 134500.0),
        (MAIDSTONE, 2020, 175000.0),
    ]


def test_reload_replaces_user_rows_only(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    shipped = con.execute("SELECT count(*) FROM population WHERE NOT user_supplied").fetchone()
    load_population(con, DATA / "population.csv")
    first = con.execute(USER_ROWS).fetchall()
    report = load_population(con, DATA / "population.csv")
    assert report.records_replaced == 4
    assert con.execute(USER_ROWS).fetchall() == first
    changed = write(tmp_path, "area_code,year,persons", f"{MAIDSTONE},2023,181000")
    load_population(con, changed)
    persons = con.execute(
        "SELECT persons, households FROM population WHERE user_supplied AND area_code = ?",
        [MAIDSTONE],
    ).fetchall()
    assert persons == [(181000.0, None)]
    assert con.execute("SELECT count(*) FROM population WHERE NOT user_supplied").fetchone() == (
        shipped
    )


_AREAS = [MAIDSTONE, ASHFORD, LSOA, "E05009543", "E12000008"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.dictionaries(
        st.tuples(st.sampled_from(_AREAS), st.integers(2011, 2030)),
        st.tuples(st.integers(1000, 10**6), st.one_of(st.none(), st.integers(1, 999))),
        max_size=10,
    )
)
def test_loading_twice_equals_loading_once(
    rows: dict[tuple[str, int], tuple[int, int | None]], tmp_path: Path
) -> None:
    lines = [HEADER] + [
        f"{code},{year},{persons},{households or ''},{households or ''}"
        for (code, year), (persons, households) in rows.items()
    ]
    path = write(tmp_path, *lines, name="generated.csv")
    once, twice = connect_memory(), connect_memory()
    load_population(once, path)
    load_population(twice, path)
    load_population(twice, path)
    assert (
        once.execute("SELECT * FROM population ORDER BY ALL").fetchall()
        == twice.execute("SELECT * FROM population ORDER BY ALL").fetchall()
    )


BAD = [
    ("E07999999,2023,100,,", "area_code", "current district"),
    ("X1,2023,100,,", "area_code", "'X1'"),
    ("E01999999,2023,100,,", "area_code", "an LSOA"),
    (f"{ASHFORD},23,100,,", "year", "a year from 1900"),
    (f"{ASHFORD},2023,lots,,", "persons", "'lots'"),
    (f"{ASHFORD},2023,,,", "persons", "a blank cell"),
    (f"{ASHFORD},2023,-5,,", "persons", "above 0"),
    (f"{ASHFORD},2023,100,0,", "households", "above 0"),
    (f"{ASHFORD},2023,100,,150", "adults", "no more than persons"),
    (f"{MAIDSTONE},2023,100,,", "area_code", "row 2 also has"),
]


@pytest.mark.parametrize(("bad", "column", "says"), BAD)
def test_bad_row_names_file_row_column_and_writes_nothing(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, bad: str, column: str, says: str
) -> None:
    load_population(con, DATA / "population.csv")
    before = snapshot(con)
    path = write(tmp_path, HEADER, f"{MAIDSTONE},2023,100,,", f"{LSOA},2023,100,,", bad)
    with pytest.raises(InputError) as caught:
        load_population(con, path)
    error = caught.value
    assert (error.file, error.row, error.column) == ("population.csv", 4, column)
    assert says in str(error) and NOTHING_WRITTEN in str(error)
    assert snapshot(con) == before


@pytest.mark.parametrize(
    ("lines", "says"),
    [
        (("name,persons", "Ashford,100"), "'area_code'"),
        (("area_code,persons", f"{ASHFORD},100"), "'year' column"),
        (("area_code,year", f"{ASHFORD},2023"), "'persons' column"),
        (("Code,Mid-2022,persons", f"{ASHFORD},1,2"), "not both"),
    ],
)
def test_bad_header(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, lines: tuple[str, ...], says: str
) -> None:
    before = snapshot(con)
    with pytest.raises(InputError, match=says) as caught:
        load_population(con, write(tmp_path, *lines))
    assert caught.value.row == 1
    assert snapshot(con) == before


def test_bad_year_argument(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(InputError, match="a year from"):
        load_population(con, DATA / "population_ons.xlsx", year=22)
