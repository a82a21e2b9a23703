"""The national reference data: districts -> CSPs -> forces, Welsh LSOAs, boundaries."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import pytest

from cspkit.reference import DATA_DIR, data_path, read_table
from tests.conftest import REPO_ROOT, SHARED_DATA

OUTPUTS = (
    "csp_districts.csv",
    "csp_peers.csv",
    "csp_similarity.csv",
    "lsoa_district_wales.parquet",
    "ward_district_2023.parquet",
    "boundaries/districts_2024.geojson",
)


def test_every_district_has_one_csp_and_one_force() -> None:
    lookup = read_table("csp_districts.csv")
    districts = read_table("districts.parquet")
    assert sorted(lookup["lad_code"]) == sorted(districts["lad_code"])
    assert lookup.groupby("csp_code")["pfa_code"].nunique().max() == 1
    assert lookup["csp_code"].nunique() == 301 and lookup["pfa_code"].nunique() == 43
    by_code = lookup.set_index("lad_code")
    # Mergers: a new council that joined districts of several 2019 CSPs is its own CSP ...
    assert by_code.loc["E06000060", "csp_code"] == "E06000060"  # Buckinghamshire
    # ... and one that replaced a county-wide CSP keeps it.
    assert by_code.loc["E06000065", "csp_name"] == "North Yorkshire"
    assert by_code.loc["W06000024", "csp_name"] == "Cwm Taf"
    assert set(lookup.loc[lookup["pfa_name"] == "Kent", "force_slug"]) == {"kent"}


def test_welsh_lsoas_complete_the_2021_lookup() -> None:
    wales = read_table("lsoa_district_wales.parquet")
    england = read_table("lsoa_district.parquet")
    england = england[england["vintage"] == 2021]
    assert len(wales) == 1917 and wales["lad_code"].str.startswith("W06").all()
    assert wales["lad_code"].nunique() == 22
    assert len(england) + len(wales) == 35672  # every LSOA of the 2021 Census


def test_district_boundaries_cover_every_district() -> None:
    shapes = gpd.read_file(data_path("boundaries/districts_2024.geojson"))
    assert len(shapes) == 318 and shapes.crs.to_epsg() == 4326
    assert set(shapes["lad_code"]) == set(read_table("districts.parquet")["lad_code"])
    assert shapes.geometry.is_valid.all()


def test_a_new_warehouse_gives_welsh_districts_their_lsoas(con: duckdb.DuckDBPyConnection) -> None:
    row = con.execute(
        "SELECT count(*) FROM lsoa_lookup WHERE lad_code = 'W06000015' AND vintage = 2021"
    ).fetchone()
    assert row is not None and row[0] > 200  # Cardiff


@pytest.mark.skipif(
    not SHARED_DATA.exists(),
    reason="rebuilds from the public source files in ../shared/data, not shipped",
)
def test_the_build_script_reproduces_the_shipped_files(tmp_path: Path) -> None:
    shutil.copy(DATA_DIR / "districts.parquet", tmp_path / "districts.parquet")
    subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "scripts/build_national.py"),
            str(SHARED_DATA),
            "--out",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for name in OUTPUTS:
        if name.endswith(".parquet"):
            pd.testing.assert_frame_equal(
                pd.read_parquet(tmp_path / name), pd.read_parquet(DATA_DIR / name)
            )
        else:
            assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name
    census = pd.read_csv(
        SHARED_DATA / "population_census2021/census2021-ts007a-lsoa.csv",
        usecols=["geography code"],
    )
    lookup = pd.concat(
        [read_table("lsoa_district.parquet"), read_table("lsoa_district_wales.parquet")]
    )
    assert set(census["geography code"]) <= set(lookup["lsoa_code"])
