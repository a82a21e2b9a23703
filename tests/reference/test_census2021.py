"""The Census 2021 / mid-2021 denominators shipped for every rate."""

from __future__ import annotations

import pandas as pd
import pytest

from cspkit.reference import read_table

CENSUS = "population_census2021.parquet"


@pytest.fixture(scope="module")
def census() -> pd.DataFrame:
    return read_table(CENSUS)


def test_every_district_and_lsoa_of_england_and_wales(census: pd.DataFrame) -> None:
    districts = census[census["area_type"] == "lad"]
    lsoas = census[census["area_type"] == "lsoa"]
    assert len(districts) == 331 and districts["area_code"].is_unique
    assert len(lsoas) == 35_672 and lsoas["area_code"].is_unique
    assert (lsoas["area_code"].str.startswith("W01")).sum() == 1_917
    assert (districts["area_code"].str.startswith("W06")).sum() == 22
    assert set(census["year"]) == {2021}
    assert districts[["persons", "households", "adults"]].notna().all().all()
    assert (districts["adults"] < districts["persons"]).all()
    assert (districts["households"] < districts["persons"]).all()
    assert lsoas["adults"].isna().all()  # not published by single year of age for LSOAs


def test_hand_checked_values(census: pd.DataFrame) -> None:
    # Census 2021 (TS007A, TS054) and mid-2021 estimates (MYE2), as ONS publishes them
    by_code = census.set_index("area_code")
    assert by_code.loc["E07000110", ["persons", "households", "adults"]].tolist() == [
        175_782.0,
        71_208.0,
        139_028.0,
    ]  # Maidstone
    assert by_code.loc["W06000015", ["persons", "households"]].tolist() == [362_310.0, 147_333.0]
    assert "Census 2021" in by_code.loc["E07000110", "source"]


def test_lsoa_sums_are_close_to_district_totals(census: pd.DataFrame) -> None:
    # Census counts are perturbed per geography: Maidstone's 99 LSOAs sum near its total
    lookup = read_table("lsoa_district.parquet")
    maidstone = lookup[(lookup["lad_code"] == "E07000110") & (lookup["vintage"] == 2021)]
    lsoas = census[census["area_code"].isin(maidstone["lsoa_code"])]
    assert len(lsoas) == 99
    assert lsoas["persons"].sum() == pytest.approx(175_782, rel=0.001)
    assert lsoas["households"].sum() == pytest.approx(71_208, rel=0.001)
