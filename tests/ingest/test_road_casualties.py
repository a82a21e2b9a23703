"""Road casualty records: districts, KSI indicators checked against SQL on the real records."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from cspkit.errors import InputError
from cspkit.ingest.road_casualties import ROAD_INDICATORS, load_road_casualties
from cspkit.warehouse.connection import connect_memory
from tests.conftest import table_digest

GM = (
    Path(__file__).resolve().parents[1]
    / "data"
    / "road"
    / "gm_manchester_trafford_2022_2023.csv.gz"
)
MANCHESTER, TRAFFORD = "E08000003", "E08000009"
KSI = "casualty_severity IN ('Fatal', 'Serious')"
#: The same indicators written directly on the file's own columns and codes.
RAW_CONDITIONS = {
    "road-casualties": "true",
    "road-ksi": KSI,
    "road-ksi-under-16": f"{KSI} AND ageband IN ('0-5', '6-10', '11-15')",
    "road-ksi-car-drivers-17-24": f"{KSI} AND mode = 'Car' AND ageband IN ('16-20', '21-25')",
    "road-ksi-65-plus": f"{KSI} AND ageband IN ('66-75', 'Over 75')",
    "road-ksi-pedestrians": f"{KSI} AND mode = 'Pedestrian'",
    "road-ksi-cyclists": f"{KSI} AND mode = 'Pedal Cycle'",
    "road-ksi-powered-two-wheelers": f"{KSI} AND mode = 'Powered 2 Wheeler'",
}


@pytest.fixture(scope="module")
def loaded() -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect_memory()
    load_road_casualties(con, GM)
    yield con
    con.close()


def test_every_indicator_matches_sql_on_the_file(loaded: duckdb.DuckDBPyConnection) -> None:
    assert {i.id for i in ROAD_INDICATORS} == set(RAW_CONDITIONS)
    for ind, condition in RAW_CONDITIONS.items():
        expected = loaded.execute(
            f"SELECT area_name, year(date::DATE), count(*) FILTER (WHERE {condition}) "
            "FROM read_csv(?, all_varchar = true) GROUP BY ALL ORDER BY 1, 2",
            [str(GM)],
        ).fetchall()
        found = loaded.execute(
            "SELECT d.lad_name, year(period_start), sum(value)::BIGINT FROM indicators i "
            "JOIN districts d ON d.lad_code = i.area_code WHERE indicator_id = ? "
            "GROUP BY ALL ORDER BY 1, 2",
            [ind],
        ).fetchall()
        assert found == expected, ind


def test_manchester_ksi_by_year_hand_checked(loaded: duckdb.DuckDBPyConnection) -> None:
    # Counted by hand from the full 2019-2024 file (Fatal + Serious, area_name Manchester)
    rows = loaded.execute(
        "SELECT year(period_start), sum(value) FROM indicators WHERE indicator_id = 'road-ksi' "
        "AND area_code = ? GROUP BY 1 ORDER BY 1",
        [MANCHESTER],
    ).fetchall()
    assert rows == [(2022, 184.0), (2023, 194.0)]


def test_months_without_casualties_are_zero_not_missing(loaded: duckdb.DuckDBPyConnection) -> None:
    months = loaded.execute(
        "SELECT count(DISTINCT period_start), min(value) FROM indicators "
        "WHERE indicator_id = 'road-ksi-under-16' AND area_code = ?",
        [TRAFFORD],
    ).fetchone()
    assert months == (24, 0.0)


def test_coordinates_place_casualties_when_no_district_is_named(tmp_path: Path) -> None:
    with gzip.open(GM, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    header = lines[0].split(",")
    area = header.index("area_name")
    blanked = [lines[0]] + [
        ",".join("" if i == area else v for i, v in enumerate(line.split(",")))
        for line in lines[1:]
    ]
    path = tmp_path / "no_names.csv"
    path.write_text("\n".join(blanked) + "\n")
    con = connect_memory()
    report = load_road_casualties(con, path)
    assert dict(report.by_method) == {"coordinates": len(lines) - 1}
    agree = con.execute(
        "SELECT avg((lad_code IN (?, ?))::INT) FROM road_casualties", [MANCHESTER, TRAFFORD]
    ).fetchone()
    assert agree is not None and agree[0] > 0.97  # nearest LSOA centroid, near borders
    con.close()


def _dft_files(tmp_path: Path) -> tuple[Path, Path]:
    casualties = tmp_path / "casualties.csv"
    casualties.write_text(
        "collision_index,collision_year,collision_reference,vehicle_reference,casualty_reference,"
        "casualty_class,sex_of_casualty,age_of_casualty,age_band_of_casualty,casualty_severity,"
        "casualty_type\n"
        "2023A1,2023,A1,1,1,1,1,19,4,2,9\n"
        "2023A1,2023,A1,1,2,2,2,19,4,2,9\n"
        "2023A2,2023,A2,1,1,3,1,70,10,1,0\n"
        "2023A3,2023,A3,1,1,1,1,12,3,3,1\n"
    )
    collisions = tmp_path / "collisions.csv"
    collisions.write_text(
        "collision_index,date,longitude,latitude,local_authority_ons_district\n"
        "2023A1,05/03/2023,-2.24,53.48,E08000003\n"
        "2023A2,2023-04-10,-2.32,53.45,\n"
        "2023A3,2023-04-11,,,Trafford\n"
    )
    return casualties, collisions


def test_dft_layout_with_its_collision_file(tmp_path: Path) -> None:
    casualties, collisions = _dft_files(tmp_path)
    con = connect_memory()
    report = load_road_casualties(con, casualties, collisions=collisions)
    assert report.layout == "DfT STATS19 casualty"
    assert dict(report.by_method) == {"code": 2, "coordinates": 1, "name": 1}
    values = dict(
        con.execute("SELECT indicator_id, sum(value) FROM indicators GROUP BY 1").fetchall()
    )
    # the passenger aged 19 is KSI but not a car driver; the 70-year-old pedestrian is killed
    assert values["road-ksi-car-drivers-17-24"] == 1
    assert values["road-ksi"] == 3
    assert values["road-ksi-65-plus"] == 1
    assert values["road-ksi-pedestrians"] == 1
    assert values["road-casualties"] == 4
    con.close()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "2023A1,2023,A1,1,1,1,1,19,4,7,9",
            "row 2, column 'casualty_severity': expected 1, 2 or 3; found '7'",
        ),
        ("2023A1,2023,A1,1,1,1,1,old,4,2,9", "row 2, column 'age_of_casualty'"),
        ("2023A9,2023,A9,1,1,1,1,19,4,2,9", "collision '2023A9' is not in collisions.csv"),
    ],
)
def test_bad_rows_are_named_and_nothing_is_written(tmp_path: Path, row: str, message: str) -> None:
    casualties, collisions = _dft_files(tmp_path)
    header = casualties.read_text().splitlines()[0]
    casualties.write_text(f"{header}\n{row}\n")
    con = connect_memory()
    before = table_digest(con)
    with pytest.raises(InputError, match=message) as err:
        load_road_casualties(con, casualties, collisions=collisions)
    assert "nothing from this file was written" in str(err.value)
    assert table_digest(con) == before
    assert con.execute("SELECT count(*) FROM road_casualties").fetchone() == (0,)
    con.close()


def test_not_a_casualty_file(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="not a casualty file"):
        load_road_casualties(connect_memory(), path)


def test_loading_again_replaces(loaded: duckdb.DuckDBPyConnection) -> None:
    con = connect_memory()
    load_road_casualties(con, GM)
    first = con.execute("SELECT count(*), sum(value) FROM indicators").fetchone()
    load_road_casualties(con, GM)
    assert con.execute("SELECT count(*), sum(value) FROM indicators").fetchone() == first
    assert con.execute("SELECT count(*) FROM road_casualties").fetchone() == (2148,)
    con.close()
