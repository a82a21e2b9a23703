"""Partner indicator values and the indicator registry: loads, read-back, errors, reloads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cspkit.errors import InputError
from cspkit.ingest.partner import NOTHING_WRITTEN, load_indicators, load_registry
from cspkit.stats.periods import financial_year, month_range, single_month
from cspkit.stats.polarity import Polarity
from cspkit.warehouse.connection import connect_memory
from cspkit.warehouse.series import get_indicator, indicator_values, monthly_series

DATA = Path(__file__).parents[1] / "data" / "partner"
REGISTRY = DATA / "registry.csv"
EXAMPLES = Path(__file__).parents[2] / "src" / "cspkit" / "reference" / "examples"
MAIDSTONE, ASHFORD = "E07000110", "E07000105"
HEADER = "indicator,area,period_start,period_end,value,denominator"
GOOD_ROWS = (
    "deliberate-fires,E07000110,2024-04-01,2024-04-30,12,",
    "feeling-safe-night,Maidstone,2024-04-01,2025-03-31,61.5,812",
)
TABLES = ("indicator_registry", "indicators", "sources")


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect_memory()
    yield connection
    connection.close()


@pytest.fixture
def registered(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    load_registry(con, REGISTRY)
    return con


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


def write(tmp_path: Path, *lines: str, name: str = "values.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- good files ---------------------------------------------------------------------------


def test_csv_values_read_back_exactly(con: duckdb.DuckDBPyConnection) -> None:
    report = load_indicators(con, DATA / "indicators.csv", registry_path=REGISTRY)
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (6, 6, 0)
    assert report.balanced and report.values_replaced == 0 and report.areas == 2
    assert report.indicators == ("deliberate-fires", "feeling-safe-night")
    assert report.registry is not None
    assert report.registry.registered == ("deliberate-fires", "feeling-safe-night")
    fires, safe = get_indicator(con, "deliberate-fires"), get_indicator(con, "feeling-safe-night")
    assert safe.polarity is Polarity.HIGHER_IS_BETTER and safe.unit == "percent"
    spring = month_range(date(2024, 4, 1), date(2024, 5, 1))
    values = indicator_values(con, [fires], spring)
    assert values == {"deliberate-fires": {MAIDSTONE: 21.0, ASHFORD: 4.0}}
    year = indicator_values(con, [safe], financial_year(2024))
    assert year == {"feeling-safe-night": {MAIDSTONE: 61.5, ASHFORD: 58.0}}
    series = monthly_series(con, "deliberate-fires", ASHFORD)
    assert series == [(date(2024, 4, 1), 4.0), (date(2024, 5, 1), 0.0)]
    assert con.execute(
        "SELECT denominator FROM indicators WHERE indicator_id = 'feeling-safe-night' "
        "ORDER BY area_code"
    ).fetchall() == [(640.0,), (812.0,)]


def test_provenance_recorded(con: duckdb.DuckDBPyConnection) -> None:
    report = load_indicators(con, DATA / "indicators.csv", registry_path=REGISTRY)
    row = con.execute(
        "SELECT kind, file_name, sha256, rows_read, rows_loaded, rows_quarantined, replaced_by "
        "FROM sources WHERE source_id = ?",
        [report.source_id],
    ).fetchone()
    assert row == ("indicators", "indicators.csv", report.sha256, 6, 6, 0, None)
    assert len(report.sha256) == 64
    kinds = con.execute("SELECT kind FROM sources ORDER BY source_id").fetchall()
    assert kinds == [("indicator-registry",), ("indicators",)]


def test_xlsx_with_date_cells(registered: duckdb.DuckDBPyConnection) -> None:
    report = load_indicators(registered, DATA / "indicators.xlsx")
    assert report.rows_loaded == 3
    fires = get_indicator(registered, "deliberate-fires")
    spring = month_range(date(2024, 4, 1), date(2024, 5, 1))
    assert indicator_values(registered, [fires], spring) == {"deliberate-fires": {MAIDSTONE: 21.0}}


def test_shipped_example_loads(con: duckdb.DuckDBPyConnection) -> None:
    report = load_indicators(
        con,
        EXAMPLES / "partner_indicators.csv",
        registry_path=EXAMPLES / "indicator_registry.csv",
    )
    assert report.rows_loaded > 0 and report.registry is not None


def test_lsoa_and_ward_codes_accepted(
    registered: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    ward = registered.execute("SELECT min(ward_code) FROM lsoa_ward").fetchone()
    assert ward is not None
    path = write(
        tmp_path,
        HEADER,
        "deliberate-fires,e01024321,2024-04-01,2024-04-30,2,",
        f"deliberate-fires,{ward[0]},2024-04-01,2024-04-30,3,",
    )
    load_indicators(registered, path)
    codes = registered.execute("SELECT area_code FROM indicators ORDER BY 1").fetchall()
    assert codes == [("E01024321",), (ward[0],)]


def test_registry_update_changes_fields(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    load_registry(con, REGISTRY)
    text = REGISTRY.read_text(encoding="utf-8").replace("Deliberate fires,", "Arson,")
    report = load_registry(con, write(tmp_path, text.strip(), name="registry.csv"))
    assert report.updated == ("deliberate-fires",)
    assert report.unchanged == ("feeling-safe-night",)
    assert get_indicator(con, "deliberate-fires").name == "Arson"


# --- reloads ------------------------------------------------------------------------------


def test_reload_replaces_and_marks_source(con: duckdb.DuckDBPyConnection) -> None:
    first = load_indicators(con, DATA / "indicators.csv", registry_path=REGISTRY)
    values = con.execute("SELECT * EXCLUDE (source_id) FROM indicators ORDER BY ALL").fetchall()
    second = load_indicators(con, DATA / "indicators.csv", registry_path=REGISTRY)
    assert second.values_replaced == 6
    again = con.execute("SELECT * EXCLUDE (source_id) FROM indicators ORDER BY ALL").fetchall()
    assert again == values
    replaced = con.execute(
        "SELECT replaced_by FROM sources WHERE source_id = ?", [first.source_id]
    ).fetchone()
    assert replaced == (second.source_id,)


def test_partial_overlap_keeps_other_values(
    registered: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    first = load_indicators(registered, DATA / "indicators.csv")
    path = write(tmp_path, HEADER, "deliberate-fires,Maidstone,2024-04-01,2024-04-30,15,")
    report = load_indicators(registered, path)
    assert report.values_replaced == 1
    fires = get_indicator(registered, "deliberate-fires")
    values = indicator_values(registered, [fires], single_month(date(2024, 4, 1)))
    assert values["deliberate-fires"] == {MAIDSTONE: 15.0, ASHFORD: 4.0}
    still = registered.execute(
        "SELECT replaced_by FROM sources WHERE source_id = ?", [first.source_id]
    ).fetchone()
    assert still == (None,)


_MONTHS = [date(2023 + (m // 12), m % 12 + 1, 1) for m in range(24)]
_ROW = st.tuples(
    st.sampled_from(["deliberate-fires", "feeling-safe-night"]),
    st.sampled_from([MAIDSTONE, ASHFORD, "Maidstone", "E01024321"]),
    st.sampled_from(range(len(_MONTHS) - 1)),
    st.integers(min_value=0, max_value=10_000),
    st.one_of(st.none(), st.integers(min_value=1, max_value=5000)),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(_ROW, max_size=12))
def test_loading_twice_equals_loading_once(
    rows: list[tuple[str, str, int, int, int | None]], tmp_path: Path
) -> None:
    canonical = {"Maidstone": MAIDSTONE}
    lines, seen = [HEADER], set()
    for ind, area, month, value, denominator in rows:
        start = _MONTHS[month]
        end = date.fromordinal(_MONTHS[month + 1].toordinal() - 1)
        key = (ind, canonical.get(area, area), start)
        if key in seen:
            continue
        seen.add(key)
        shown = value if ind == "deliberate-fires" else value / 100
        lines.append(f"{ind},{area},{start},{end},{shown},{denominator or ''}")
    path = write(tmp_path, *lines, name="generated.csv")
    once, twice = connect_memory(), connect_memory()
    for connection, times in ((once, 1), (twice, 2)):
        for _ in range(times):
            load_indicators(connection, path, registry_path=REGISTRY)
    query = "SELECT * EXCLUDE (source_id) FROM indicators ORDER BY ALL"
    assert once.execute(query).fetchall() == twice.execute(query).fetchall()
    registry = "SELECT * FROM indicator_registry ORDER BY ALL"
    assert once.execute(registry).fetchall() == twice.execute(registry).fetchall()
    live = "SELECT count(*) FROM sources WHERE kind = 'indicators' AND replaced_by IS NULL"
    if len(lines) > 1:
        assert twice.execute(live).fetchone() == (1,)


def test_unit_cannot_change_once_values_are_stored(
    registered: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load_indicators(registered, DATA / "indicators.csv")
    before = snapshot(registered)
    header = REGISTRY.read_text(encoding="utf-8").splitlines()[0]
    path = write(tmp_path, header, "deliberate-fires,D,rate,neutral,persons,F,", name="r.csv")
    with pytest.raises(InputError, match="already holds") as caught:
        load_registry(registered, path)
    assert (caught.value.row, caught.value.column) == (2, "unit")
    assert snapshot(registered) == before


# --- errors -------------------------------------------------------------------------------

BAD_ROWS = [
    ("deliberate-fires,E07999999,2024-04-01,2024-04-30,3,", "area", "ONS code"),
    ("deliberate-fires,Maidstne,2024-04-01,2024-04-30,3,", "area", "did you mean: Maidstone"),
    ("deliberate-fires,Ashford,01/04/2024,2024-04-30,3,", "period_start", "'01/04/2024'"),
    ("deliberate-fires,Ashford,2024-04-01,2024-02-30,3,", "period_end", "YYYY-MM-DD"),
    ("deliberate-fires,Ashford,2024-04-01,2024-03-31,3,", "period_end", "on or after"),
    ("deliberate-fires,Ashford,2024-04-01,2024-04-30,three,", "value", "'three'"),
    ("deliberate-fires,Ashford,2024-04-01,2024-04-30,-1,", "value", "whole number, 0 or more"),
    ("deliberate-fires,Ashford,2024-04-01,2024-04-30,2.5,", "value", "whole number"),
    ("deliberate-fires,Ashford,2024-04-01,2024-04-30,,", "value", "a blank cell"),
    ("feeling-safe-night,Ashford,2024-04-01,2025-03-31,101,", "value", "from 0 to 100"),
    ("feeling-safe-night,Ashford,2024-04-01,2025-03-31,50,0", "denominator", "above 0"),
    ("deliberate-fires,Ashford,2024-04-01,2024-04-30,nan,", "value", "a number"),
    ("deliberate-fire,Ashford,2024-04-01,2024-04-30,1,", "indicator", "--registry"),
    ("burglary,Ashford,2024-04-01,2024-04-30,1,", "indicator", "police.uk"),
    ("deliberate-fires,Maidstone,2024-04-01,2024-04-30,1,", "indicator", "row 2 has"),
]


@pytest.mark.parametrize(("bad", "column", "says"), BAD_ROWS)
def test_bad_row_names_file_row_column_and_writes_nothing(
    registered: duckdb.DuckDBPyConnection, tmp_path: Path, bad: str, column: str, says: str
) -> None:
    load_indicators(registered, DATA / "indicators.csv")
    before = snapshot(registered)
    path = write(tmp_path, HEADER, *GOOD_ROWS, bad)
    with pytest.raises(InputError) as caught:
        load_indicators(registered, path)
    error = caught.value
    assert (error.file, error.row, error.column) == ("values.csv", 4, column)
    assert says in str(error) and NOTHING_WRITTEN in str(error)
    assert snapshot(registered) == before


@pytest.mark.parametrize(
    ("header", "column", "says"),
    [
        ("indicator,area,period_start,value", "period_end", "missing column"),
        ("indicator,area,period_start,period_end,value,denomintor", "denomintor", "did you mean"),
        ("indicator,area,area,period_start,period_end,value", "area", "twice"),
    ],
)
def test_bad_header(
    registered: duckdb.DuckDBPyConnection, tmp_path: Path, header: str, column: str, says: str
) -> None:
    before = snapshot(registered)
    with pytest.raises(InputError) as caught:
        load_indicators(registered, write(tmp_path, header, "x,y,z,w,v"))
    assert (caught.value.row, caught.value.column) == (1, column)
    assert says in str(caught.value)
    assert snapshot(registered) == before


def test_value_without_a_heading(registered: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="without a heading") as caught:
        load_indicators(registered, write(tmp_path, HEADER, *GOOD_ROWS, GOOD_ROWS[0] + ",9"))
    assert caught.value.row == 4


def test_xlsx_error_names_sheet_row(registered: duckdb.DuckDBPyConnection) -> None:
    before = snapshot(registered)
    with pytest.raises(InputError) as caught:
        load_indicators(registered, DATA / "indicators_bad_date.xlsx")
    assert (caught.value.row, caught.value.column) == (4, "period_end")
    assert caught.value.file == "indicators_bad_date.xlsx (sheet 'values')"
    assert "'31/03/2025'" in str(caught.value)
    assert snapshot(registered) == before


def test_several_problems_reports_first_and_count(
    registered: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = write(tmp_path, HEADER, *GOOD_ROWS, BAD_ROWS[6][0], BAD_ROWS[0][0])
    with pytest.raises(InputError, match=r"\(1 more problem in the file\)") as caught:
        load_indicators(registered, path)
    assert caught.value.row == 4


@pytest.mark.parametrize(
    ("row", "column", "says"),
    [
        (
            "Deliberate Fires,D,count,higher-is-worse,persons,Fire,",
            "indicator",
            "'deliberate-fires'",
        ),
        ("fires,Fires,number,higher-is-worse,persons,Fire,", "unit", "count, percent, rate"),
        ("fires,Fires,count,up,persons,Fire,", "polarity", "higher-is-worse"),
        ("fires,Fires,count,neutral,people,Fire,", "denominator_basis", "adults-18-plus"),
        ("fires,Fires,count,neutral,none,,", "source_agency", "non-blank"),
        ("burglary,B,count,neutral,none,Police,", "indicator", "police.uk"),
        ("feeling-safe-night,F,percent,neutral,none,S,", "indicator", "also in row 3"),
    ],
)
def test_bad_registry_row(
    registered: duckdb.DuckDBPyConnection, tmp_path: Path, row: str, column: str, says: str
) -> None:
    load_indicators(registered, DATA / "indicators.csv")
    before = snapshot(registered)
    lines = REGISTRY.read_text(encoding="utf-8").strip().splitlines()
    path = write(tmp_path, *lines, row, name="registry.csv")
    with pytest.raises(InputError) as caught:
        load_indicators(registered, DATA / "indicators.csv", registry_path=path)
    assert (caught.value.file, caught.value.row, caught.value.column) == (
        "registry.csv",
        4,
        column,
    )
    assert says in str(caught.value) and NOTHING_WRITTEN in str(caught.value)
    assert snapshot(registered) == before


def test_unreadable_files(registered: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "\n" + GOOD_ROWS[0] + "\nYnys M\xf4n,x\n").encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8") as caught:
        load_indicators(registered, latin)
    assert caught.value.row == 3
    with pytest.raises(InputError, match=r"\.xlsx"):
        load_indicators(registered, write(tmp_path, "x", name="values.xls"))
    with pytest.raises(InputError, match="workbook"):
        load_indicators(registered, write(tmp_path, "not a zip", name="values.xlsx"))
    with pytest.raises(InputError, match="none at this path"):
        load_indicators(registered, tmp_path / "missing.csv")
