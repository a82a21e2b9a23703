"""Fetching a district's boundaries from a local stand-in for the ONS feature service."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import geopandas as gpd
import pytest

from cspkit.fetch.boundaries import LSOA_SERVICE, QUERY_PATH, WARD_SERVICE, fetch_boundaries
from cspkit.fetch.http import Fetcher, UrllibClient
from cspkit.reference import data_path
from cspkit.warehouse.boundaries import stored_boundaries
from cspkit.warehouse.connection import writing
from tests.fetch.server import ServerState, serve

CANTERBURY = "E07000106"


def _features(path: str, code_field: str, name_field: str) -> dict[str, dict[str, object]]:
    frame = gpd.read_file(data_path(path))
    frame = frame[frame["lad_code"] == CANTERBURY]
    collection = json.loads(
        frame.rename(columns={"code": code_field, "name": name_field})
        .drop(columns=["lad_code"])
        .to_json()
    )
    return {f["properties"][code_field]: f for f in collection["features"]}


def _service(features: dict[str, dict[str, object]]) -> object:
    def answer(query: dict[str, list[str]]) -> bytes:
        assert query["outSR"] == ["4326"] and query["f"] == ["geojson"]
        codes = re.findall(r"'([EW]\d{8})'", query["where"][0])
        found = [features[c] for c in codes if c in features]
        return json.dumps({"type": "FeatureCollection", "features": found}).encode()

    return answer


@pytest.fixture()
def server() -> Iterator[ServerState]:
    with serve() as state:
        lsoas = _features("boundaries/kent_lsoa_2021.geojson", "LSOA21CD", "LSOA21NM")
        wards = _features("boundaries/kent_wards_2025.geojson", "WD23CD", "WD23NM")
        state.queries[QUERY_PATH.format(service=LSOA_SERVICE)] = _service(lsoas)  # type: ignore[assignment]
        state.queries[QUERY_PATH.format(service=WARD_SERVICE)] = _service(wards)  # type: ignore[assignment]
        yield state


def test_a_district_s_boundaries_are_fetched_and_stored(
    server: ServerState, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    with writing(db):
        pass
    con = duckdb.connect(str(db), read_only=True)
    expected = con.execute(
        "SELECT count(*) FROM lsoa_lookup WHERE lad_code = ? AND vintage = 2021", [CANTERBURY]
    ).fetchone()
    con.close()
    report = fetch_boundaries(
        db, "Canterbury", base_url=server.base_url, fetcher=Fetcher(UrllibClient(timeout=10))
    )
    assert expected is not None and report.lsoas == expected[0] and report.wards == 21
    assert report.missing == ()
    assert len(server.requests) == 2 + (expected[0] - 1) // 100  # LSOAs in batches of 100
    con = duckdb.connect(str(db), read_only=True)
    try:
        lsoas = stored_boundaries(con, "lsoa", 2021, CANTERBURY)
        wards = stored_boundaries(con, "wards", 2023, CANTERBURY)
    finally:
        con.close()
    assert lsoas is not None and len(lsoas) == report.lsoas
    assert wards is not None and len(wards) == 21 and wards.crs == "EPSG:4326"


def test_the_newest_stored_wards_are_used_when_no_year_is_known(
    server: ServerState, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    with writing(db):
        pass
    fetch_boundaries(db, CANTERBURY, base_url=server.base_url, fetcher=Fetcher(UrllibClient()))
    con = duckdb.connect(str(db), read_only=True)
    try:
        wards = stored_boundaries(con, "wards", None, CANTERBURY)
        assert stored_boundaries(con, "wards", 2019, CANTERBURY) is None
    finally:
        con.close()
    assert wards is not None and len(wards) == 21
