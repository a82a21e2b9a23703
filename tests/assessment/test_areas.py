"""CSPs as the unit: finding a CSP, and reading a CSP of two districts as one area."""

from __future__ import annotations

from pathlib import Path

import pytest

from cspkit.assessment.areas import (
    MOST_SIMILAR,
    all_csps,
    find_csp,
    most_similar_units,
    open_area,
    unit_connection,
)
from cspkit.assessment.run import run_assessment
from cspkit.errors import UnknownAreaError
from cspkit.ingest.police_uk import load_police_uk
from cspkit.warehouse.connection import writing
from tests.conftest import sample_file

DARTFORD, GRAVESHAM = "E07000107", "E07000109"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("areas") / "w.duckdb"
    with writing(path) as con:
        load_police_uk(con, [sample_file("2024-01"), sample_file("2024-02")])
    return path


def test_a_csp_is_found_by_its_name_code_or_a_district() -> None:
    joint = find_csp("Dartford and Gravesham")
    assert joint.code == "E22000352" and joint.joint
    assert [c for c, _ in joint.districts] == [DARTFORD, GRAVESHAM]
    assert find_csp("e22000352") == joint == find_csp("Gravesham") == find_csp(DARTFORD)
    assert find_csp("Cwm Taf").force_slug == "south-wales"
    assert find_csp("Maidstone").unit_code == "E07000110"
    with pytest.raises(UnknownAreaError, match="no CSP or district called 'Atlantis'"):
        find_csp("Atlantis")


def test_every_current_district_is_in_exactly_one_csp() -> None:
    districts = [lad for c in all_csps() for lad, _ in c.districts]
    assert len(districts) == len(set(districts)) == 318
    merged = {"E06000060", "E06000061", "E06000062", "E06000063", "E06000064", "E06000065"}
    assert merged <= set(districts)  # the 2020-2023 unitary councils are there


def test_the_joint_csp_reads_as_the_sum_of_its_districts(db: Path) -> None:
    con = unit_connection(db)
    try:
        count = con.execute("SELECT count(*) FROM crimes WHERE lad_code = 'E22000352'").fetchone()
        lsoas = con.execute(
            "SELECT count(*) FROM lsoa_lookup WHERE lad_code = 'E22000352' AND vintage = 2021"
        ).fetchone()
        forces = con.execute("SELECT count(*) FROM district_force WHERE force_slug = 'kent'")
        n_units = forces.fetchone()
        left = con.execute(
            "SELECT count(*) FROM crimes WHERE lad_code IN (?, ?)", [DARTFORD, GRAVESHAM]
        ).fetchone()
        pop = con.execute(
            "SELECT persons FROM population WHERE area_code = 'E22000352' AND year = 2020"
        ).fetchone()
    finally:
        con.close()
    base = unit_connection(db)  # the same figures from the districts, summed
    try:
        parts = base.execute(
            "SELECT count(*) FROM wh.crimes WHERE lad_code IN (?, ?)", [DARTFORD, GRAVESHAM]
        ).fetchone()
        part_lsoas = base.execute(
            "SELECT count(*) FROM wh.lsoa_lookup WHERE lad_code IN (?, ?) AND vintage = 2021",
            [DARTFORD, GRAVESHAM],
        ).fetchone()
        part_pop = base.execute(
            "SELECT sum(persons) FROM wh.population WHERE area_code IN (?, ?) AND year = 2020",
            [DARTFORD, GRAVESHAM],
        ).fetchone()
    finally:
        base.close()
    assert count == parts and lsoas == part_lsoas and pop == part_pop
    assert left == (0,) and n_units == (12,)


def test_assessing_the_joint_csp_by_name(db: Path, tmp_path: Path) -> None:
    written = run_assessment(db, "Dartford and Gravesham", "2024-01..2024-02", out=tmp_path)
    html = written[0].read_text("utf-8")
    assert "Strategic Assessment: Dartford and Gravesham" in html
    assert "E22000352" in html


def test_most_similar_peers_are_those_with_data_and_the_method_is_stated(db: Path) -> None:
    maidstone = find_csp("Maidstone")
    group = most_similar_units(maidstone)
    assert len(group) == 15 and maidstone.unit_code not in group
    opened = open_area(db, "Maidstone", [MOST_SIMILAR])
    try:
        assert opened.peers is not None and opened.peers[0] == maidstone.unit_code
        kent_units = {c.unit_code for c in all_csps() if c.force_slug == "kent"}
        assert set(opened.peers[1:]) == set(group) & kent_units
        assert any("standardised to mean 0" in n for n in opened.notes)
    finally:
        opened.con.close()
