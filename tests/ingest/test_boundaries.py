"""Loading boundary files: GeoJSON, GeoPackage and shapefile, with clear errors."""

from __future__ import annotations

from pathlib import Path

import duckdb
import geopandas as gpd
import pytest

from cspkit.errors import InputError
from cspkit.ingest.boundaries import load_boundaries, read_boundaries
from cspkit.reference import data_path
from cspkit.warehouse.boundaries import stored_boundaries

CANTERBURY = "E07000106"


def _ons_lsoas() -> gpd.GeoDataFrame:
    """Canterbury's 2021 LSOAs as an ONS download names them, in British National Grid."""
    frame = gpd.read_file(data_path("boundaries/kent_lsoa_2021.geojson"))
    frame = frame[frame["lad_code"] == CANTERBURY].drop(columns=["lad_code"])
    return frame.rename(columns={"code": "LSOA21CD", "name": "LSOA21NM"}).to_crs(27700)


@pytest.mark.parametrize(
    ("suffix", "driver"), [(".geojson", "GeoJSON"), (".gpkg", "GPKG"), (".shp", "ESRI Shapefile")]
)
def test_each_format_loads_with_its_districts(tmp_path: Path, suffix: str, driver: str) -> None:
    source = _ons_lsoas()
    path = tmp_path / f"lsoas{suffix}"
    source.to_file(path, driver=driver)
    db = tmp_path / "w.duckdb"
    report = load_boundaries(db, path, "lsoa")
    assert (report.level, report.vintage, report.features, report.districts) == (
        "lsoa",
        2021,
        len(source),
        1,
    )
    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = stored_boundaries(con, "lsoa", 2021, CANTERBURY)
    finally:
        con.close()
    assert stored is not None and sorted(stored.index) == sorted(source["LSOA21CD"])
    original = source.set_index("LSOA21CD").geometry
    back = stored.geometry.loc[original.index].to_crs(27700)
    assert back.area.sum() == pytest.approx(original.area.sum(), rel=1e-6)


def test_wards_without_a_district_column_are_placed_by_location(tmp_path: Path) -> None:
    wards = gpd.read_file(data_path("boundaries/kent_wards_2025.geojson"))
    wards = wards[wards["lad_code"] == CANTERBURY].drop(columns=["lad_code"])
    path = tmp_path / "wards.geojson"
    wards.rename(columns={"code": "WD25CD", "name": "WD25NM"}).to_file(path, driver="GeoJSON")
    report = load_boundaries(tmp_path / "w.duckdb", path, "ward")
    assert (report.features, report.districts, report.vintage) == (len(wards), 1, 2025)


def test_a_file_without_a_code_column_is_refused_with_what_it_has(tmp_path: Path) -> None:
    path = tmp_path / "lsoas.geojson"
    _ons_lsoas().rename(columns={"LSOA21CD": "id"}).to_file(path, driver="GeoJSON")
    with pytest.raises(
        InputError, match=r"no lsoa code column: expected LSOA<yy>CD.*the file has id, LSOA21NM"
    ):
        read_boundaries(path, "lsoa")


def test_a_bad_code_and_a_missing_crs_are_named(tmp_path: Path) -> None:
    frame = _ons_lsoas()
    frame.loc[frame.index[2], "LSOA21CD"] = "X123"
    path = tmp_path / "bad.geojson"
    frame.to_file(path, driver="GeoJSON")
    with pytest.raises(InputError, match=r"row 3, column 'LSOA21CD': 'X123' is not a lsoa code"):
        read_boundaries(path, "lsoa")
    shp = tmp_path / "nocrs.shp"
    _ons_lsoas().to_file(shp)
    shp.with_suffix(".prj").unlink()  # a shapefile without its projection file
    with pytest.raises(InputError, match="no coordinate reference system"):
        read_boundaries(shp, "lsoa")


def test_the_command_line_loads_a_file_and_names_a_problem(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cspkit.cli import cli

    path = tmp_path / "lsoas.gpkg"
    _ons_lsoas().to_file(path, driver="GPKG")
    db = str(tmp_path / "w.duckdb")
    ok = CliRunner().invoke(cli, ["ingest", "boundaries", str(path), "--level", "lsoa", "--db", db])
    assert ok.exit_code == 0, ok.output
    assert "lsoa boundaries (2021) in 1 district" in ok.output
    wrong = CliRunner().invoke(
        cli, ["ingest", "boundaries", str(path), "--level", "ward", "--db", db]
    )
    assert wrong.exit_code != 0
    assert "no ward code column: expected WD<yy>CD" in str(wrong.exception)
