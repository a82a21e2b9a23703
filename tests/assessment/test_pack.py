"""Every CSP of two forces in one pass, reconciled with counts taken from the raw files.

The warehouse holds Dyfed-Powys and City of London for January and February 2024 (cut from the
near-national sample into tests/data). Dyfed-Powys published only part of February 2024.
Kent's twelve CSPs, Dartford and Gravesham among them, are assessed in one pass by the command
line test.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from cspkit.assessment.areas import all_csps
from cspkit.assessment.pack import PackResult, run_pack
from cspkit.ingest.police_uk import load_police_uk
from cspkit.reference import read_table
from cspkit.warehouse.connection import writing
from tests.conftest import REPO_ROOT

NATIONAL = REPO_ROOT / "tests" / "data" / "police_uk_national"
MONTHS = ("2024-01", "2024-02")
ASB = "Anti-social behaviour"
FORCES = ("dyfed-powys", "city-of-london")


def _raw_files() -> list[Path]:
    return [NATIONAL / f"{m}-{f}-street.csv.gz" for m in MONTHS for f in FORCES]


def _raw_counts(months: tuple[str, ...]) -> dict[str, Counter[str]]:
    """CSP code -> {'all-crime': n, 'asb': n} counted from the CSV files with the lookups."""
    lsoas = pd.concat(
        [read_table("lsoa_district.parquet"), read_table("lsoa_district_wales.parquet")]
    )
    lad_of = dict(zip(lsoas["lsoa_code"], lsoas["lad_code"], strict=True))
    csp_of = {lad: c.code for c in all_csps() for lad, _ in c.districts}
    counts: dict[str, Counter[str]] = {}
    for path in _raw_files():
        if not path.name.startswith(months):  # a month not assessed
            continue
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                lad = lad_of.get(row["LSOA code"])
                if lad is None:
                    continue
                kind = "asb" if row["Crime type"] == ASB else "all-crime"
                counts.setdefault(csp_of[lad], Counter())[kind] += 1
    return counts


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pack") / "w.duckdb"
    with writing(path) as con:
        load_police_uk(con, _raw_files())
    return path


@pytest.fixture(scope="module")
def january(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PackResult]:
    out = tmp_path_factory.mktemp("january")
    yield run_pack(db, "2024-01", out=out, select_all=True, workers=2)


def _both_forces() -> list[str]:
    return sorted(c.code for c in all_csps() if c.force_slug in FORCES)


def test_every_csp_of_both_forces_is_assessed_once(january: PackResult) -> None:
    codes = sorted(r.csp.code for r in january.rows)
    assert codes == _both_forces()
    assert len(codes) == 4 + 1
    assert january.assessed == len(codes)
    folders = sorted(p.name for p in january.index_html.parent.iterdir() if p.is_dir())
    assert "city-of-london" in folders and "ceredigion" in folders
    assert len(folders) == len(codes)


def test_counts_equal_those_counted_from_the_raw_files(january: PackResult) -> None:
    raw = _raw_counts(("2024-01",))
    with january.index_csv.open(encoding="utf-8") as handle:
        index = {row["csp_code"]: row for row in csv.DictReader(handle)}
    out = january.index_html.parent
    for row in january.rows:
        code = row.csp.code
        assert int(index[code]["all_crime_count"]) == raw[code]["all-crime"], row.csp.name
        assert int(index[code]["asb_count"]) == raw[code]["asb"], row.csp.name
        data = json.loads((out / row.folder / "assessment.json").read_text("utf-8"))
        figures = {r["indicator"]: r["current"] for r in data["overview"]}
        assert figures["All crime"] == raw[code]["all-crime"], row.csp.name
        assert figures.get(ASB, 0) == raw[code]["asb"], row.csp.name


def test_ranks_are_among_the_force_and_the_most_similar(january: PackResult) -> None:
    dyfed = [r for r in january.rows if r.csp.force_slug == "dyfed-powys"]
    assert sorted(r.cells[0].force_rank for r in dyfed) == ["1 of 4", "2 of 4", "3 of 4", "4 of 4"]
    rates = sorted((r.cells[0].rate_per_1000 or 0, r.cells[0].force_rank) for r in dyfed)
    assert [rank for _, rank in rates] == ["1 of 4", "2 of 4", "3 of 4", "4 of 4"]
    city = next(r for r in january.rows if r.csp.force_slug == "city-of-london")
    assert city.cells[0].force_rank == "1 of 1"
    # Only CSPs with data are ranked among the most similar: here, CSPs of these two forces.
    for r in january.rows:
        assert int(r.cells[0].similar_rank.split(" of ")[1]) <= 5


def test_the_index_page_has_the_table_map_and_coverage(january: PackResult) -> None:
    page = january.index_html.read_text("utf-8")
    assert page.count('<tr><th scope="row"><a href=') == 5
    assert "<svg" in page and "Coverage per force" in page
    assert 'href="city-of-london/report.html"' in page


def test_a_partial_month_stops_only_that_force_s_csps(db: Path, tmp_path: Path) -> None:
    result = run_pack(
        db,
        "2024-01..2024-02",
        out=tmp_path,
        csps=["Ceredigion", "City of London"],
        peers="most-similar",
        workers=1,
    )
    status = {r.csp.name: r.status for r in result.rows}
    assert status["City of London"] == "assessed"
    assert status["Ceredigion"].startswith("not assessed:") and "2024-02" in status["Ceredigion"]
    ceredigion = next(r for r in result.rows if r.csp.name == "Ceredigion")
    # Counts are what is held; no rate or rank is given from a partly published period.
    assert ceredigion.cells[0].current > 0 and ceredigion.cells[0].rate_per_1000 is None
    assert ceredigion.cells[0].force_rank == "n/a"
    assert [(g.force_slug, g.status) for g in result.coverage_gaps] == [("dyfed-powys", "partial")]
    city = json.loads((tmp_path / "city-of-london" / "assessment.json").read_text("utf-8"))
    assert any("most similar" in n.lower() and "standardised" in n for n in city["notes"])
    coverage = (tmp_path / "coverage.csv").read_text("utf-8").splitlines()
    assert coverage[1].startswith("dyfed-powys,2024-02,partial")
