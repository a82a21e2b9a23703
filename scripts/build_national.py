"""Build the national reference data: districts -> CSPs -> police force areas, Welsh LSOAs,
district boundaries, and each CSP's most similar CSPs.

Usage::

    python scripts/build_national.py SOURCE_DIR [--out src/cspkit/reference/data]

SOURCE_DIR holds the public downloads in the folders named in ATTRIBUTION.md
(``lookups_ons/``, ``lookups_drkane/``, ``population_census2021/``, ``deprivation/``,
``boundaries_national/``). Outputs are deterministic (sorted rows, rounded figures).

Writes:

- ``csp_districts.csv``: every current district of England and Wales with its CSP and police
  force area. The ONS 2019 lookup is bridged to today's districts through the ONS register of
  old -> active district codes; where a merger joined districts of several 2019 CSPs, the new
  district is its own CSP, coded by the district's code.
- ``lsoa_district_wales.parquet``: the 1,917 Welsh LSOAs (2021) and their district, from the
  Census 2021 LSOA names (``<district> <nnn><letter>``); England's come from the IoD2025 file.
- ``ward_district_2023.parquet``: wards (December 2023) of England and Wales -> district,
  so ward boundaries can be fetched for any district.
- ``csp_similarity.csv`` and ``csp_peers.csv``: the standardised variables behind the most
  similar groups, and each CSP's 15 nearest CSPs (see cspkit.stats.similarity).
- ``boundaries/districts_2024.geojson``: district boundaries (England and Wales, May 2024,
  ultra-generalised), WGS84, coordinates rounded to 4 decimals (about 10 m).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cspkit.ingest.forces import force_by_id  # noqa: E402
from cspkit.stats.similarity import (  # noqa: E402
    GROUP_SIZE,
    SIMILARITY_VARIABLES,
    most_similar,
    standardise,
)

CSP_LOOKUP = (
    "lookups_ons/Local_Authority_District_to_Community_Safety_Partnerships_to_Police_Force_Areas"
    "_(December_2019)_Lookup_in_England_and_Wales.csv"
)
LA_CODES = "lookups_drkane/la_all_codes.csv"
CENSUS_AGE_LTLA = "population_census2021/census2021-ts007a-ltla.csv"
CENSUS_AGE_LSOA = "population_census2021/census2021-ts007a-lsoa.csv"
CENSUS_TENURE_LTLA = "population_census2021/census2021-ts054-ltla.csv"
IMD_2019 = "deprivation/IoD2019.csv"
WARD_LOOKUP = (
    "lookups_ons/Ward_to_Local_Authority_District_(December_2023)_Lookup_in_the_United_Kingdom.csv"
)
DISTRICT_BOUNDARIES = (
    "boundaries_national/Local_Authority_Districts_May_2024_Boundaries_UK_BUC_"
    "-3799209068982948111.gpkg"
)
LSOA_SUFFIX = re.compile(r"\s+\d{3}[A-Z]$")
#: police.uk force ids whose slug is not the plain slug of the ONS force area name.
FORCE_IDS = {
    "Metropolitan Police": "metropolitan",
    "London, City of": "city-of-london",
    "Devon & Cornwall": "devon-and-cornwall",
    "Avon and Somerset": "avon-and-somerset",
    "Dyfed-Powys": "dyfed-powys",
}
#: CSPs the 2019 lookup names after a district since renamed (Shepway became Folkestone and
#: Hythe in 2018), by CSP code -> the current name.
CSP_RENAMES = {"E22000145": "Folkestone and Hythe"}
COORDINATE_DECIMALS = 4
SIMPLIFY_METRES = 150.0


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", "and")).strip("-")


def active_codes(source: Path) -> pd.DataFrame:
    codes = pd.read_csv(source / LA_CODES, dtype=str)
    return codes[["LADCD", "LADCD_ACTIVE", "LADNM_ACTIVE"]].drop_duplicates("LADCD")


def active_map(source: Path) -> dict[str, str]:
    codes = active_codes(source)
    return dict(zip(codes["LADCD"], codes["LADCD_ACTIVE"], strict=True))


def district_names(districts: pd.DataFrame) -> dict[str, str]:
    return dict(zip(districts["lad_code"], districts["lad_name"], strict=True))


def csp_districts(source: Path, districts: pd.DataFrame) -> pd.DataFrame:
    """Current district -> CSP -> force area, bridging the 2019 lookup over mergers."""
    lookup = pd.read_csv(source / CSP_LOOKUP, dtype=str)
    active = active_codes(source)
    merged = lookup.merge(active, left_on="LAD19CD", right_on="LADCD", how="left")
    missing = merged[merged["LADCD_ACTIVE"].isna()]
    if not missing.empty:
        raise SystemExit(f"no active district for 2019 codes {missing['LAD19CD'].tolist()}")
    rows = []
    for lad, group in merged.groupby("LADCD_ACTIVE"):
        csps = group[["CSP19CD", "CSP19NM"]].drop_duplicates()
        forces = group[["PFA19CD", "PFA19NM"]].drop_duplicates()
        if len(forces) != 1:
            raise SystemExit(f"district {lad} spans force areas {forces.values.tolist()}")
        name = group["LADNM_ACTIVE"].iloc[0]
        if len(csps) == 1:
            csp_code, csp_name = csps.iloc[0]
        else:
            csp_code, csp_name = lad, name
        pfa_code, pfa_name = forces.iloc[0]
        rows.append((lad, name, csp_code, csp_name, pfa_code, pfa_name))
    out = pd.DataFrame(
        rows, columns=["lad_code", "lad_name", "csp_code", "csp_name", "pfa_code", "pfa_name"]
    )
    for code, name in CSP_RENAMES.items():
        if not (out["csp_code"] == code).any():
            raise SystemExit(f"no CSP {code} to rename to {name}")
        out.loc[out["csp_code"] == code, "csp_name"] = name
    out["force_slug"] = [FORCE_IDS.get(n, slug(n)) for n in out["pfa_name"]]
    unknown = sorted({f for f in out["force_slug"] if force_by_id(f) is None})
    if unknown:
        raise SystemExit(f"force areas without a police.uk force id: {unknown}")
    known = set(districts["lad_code"])
    extra = set(out["lad_code"]) - known
    absent = known - set(out["lad_code"])
    if extra or absent:
        raise SystemExit(f"lookup and shipped districts differ: extra {extra}, absent {absent}")
    out["lad_name"] = out["lad_code"].map(district_names(districts))
    return out.sort_values("lad_code").reset_index(drop=True)


def welsh_lsoas(source: Path, districts: pd.DataFrame) -> pd.DataFrame:
    """Welsh LSOAs 2021 -> district from the district name in each Census 2021 LSOA name."""
    lsoas = pd.read_csv(source / CENSUS_AGE_LSOA, usecols=["geography", "geography code"])
    lsoas.columns = ["lsoa_name", "lsoa_code"]
    wales = lsoas[lsoas["lsoa_code"].str.startswith("W01")].copy()
    by_name = {n.lower(): c for c, n in district_names(districts).items()}
    prefix = wales["lsoa_name"].str.replace(LSOA_SUFFIX, "", regex=True).str.lower()
    wales["lad_code"] = prefix.map(by_name)
    unresolved = wales[wales["lad_code"].isna()]
    if not unresolved.empty:
        raise SystemExit(f"Welsh LSOAs without a district: {unresolved.head().values.tolist()}")
    wales["lad_name"] = wales["lad_code"].map(district_names(districts))
    wales["vintage"] = 2021
    wales["vintage"] = wales["vintage"].astype("int16")
    cols = ["lsoa_code", "lsoa_name", "vintage", "lad_code", "lad_name"]
    return wales[cols].sort_values("lsoa_code").reset_index(drop=True)


def ward_districts(source: Path, districts: pd.DataFrame) -> pd.DataFrame:
    """Wards (December 2023) of England and Wales -> current district."""
    wards = pd.read_csv(source / WARD_LOOKUP, dtype=str, encoding="utf-8-sig")
    wards = wards[wards["WD23CD"].str[0].isin(["E", "W"])]
    active = active_map(source)
    out = pd.DataFrame(
        {
            "ward_code": wards["WD23CD"],
            "ward_name": wards["WD23NM"],
            "lad_code": wards["LAD23CD"].map(lambda c: active.get(c, c)),
        }
    )
    unknown = set(out["lad_code"]) - set(districts["lad_code"])
    if unknown:
        raise SystemExit(f"wards in unknown districts {sorted(unknown)}")
    return out.sort_values("ward_code").reset_index(drop=True)


def district_variables(source: Path, districts: pd.DataFrame) -> pd.DataFrame:
    """Census 2021 counts and IMD 2019 scores per current district (summed over mergers)."""
    active = active_map(source)
    age = pd.read_csv(source / CENSUS_AGE_LTLA)
    age["lad_code"] = age["geography code"].map(lambda c: active.get(c, c))
    age["persons"] = age["Age: Total"]
    age["aged_15_24"] = age["Age: Aged 15 to 19 years"] + age["Age: Aged 20 to 24 years"]
    tenure = pd.read_csv(source / CENSUS_TENURE_LTLA)
    tenure["lad_code"] = tenure["geography code"].map(lambda c: active.get(c, c))
    tenure["households"] = tenure["Tenure of household: Total: All households"]
    tenure["rented"] = (
        tenure["Tenure of household: Social rented"] + tenure["Tenure of household: Private rented"]
    )
    imd = pd.read_csv(source / IMD_2019)
    imd = imd[imd["index_domain"] == "Index of Multiple Deprivation"].copy()
    imd["lad_code"] = imd["lad19cd"].map(lambda c: active.get(c, c))
    counts = (
        age.groupby("lad_code")[["persons", "aged_15_24"]]
        .sum()
        .join(tenure.groupby("lad_code")[["households", "rented"]].sum())
    )
    imd = imd.merge(counts[["persons"]], left_on="lad_code", right_index=True, how="left")
    imd["imd_weighted"] = imd["average_score"] * imd["persons"]
    counts = counts.join(imd.groupby("lad_code")[["imd_weighted"]].sum(min_count=1))
    frame = districts[["lad_code", "area_km2"]].merge(
        counts, left_on="lad_code", right_index=True, how="left"
    )
    lacking = frame[frame["persons"].isna()]
    if not lacking.empty:
        raise SystemExit(f"no Census 2021 figures for {lacking['lad_code'].tolist()}")
    return frame


def csp_variables(per_district: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """The similarity variables per CSP, from its districts' sums."""
    joined = per_district.merge(lookup[["lad_code", "csp_code", "csp_name", "pfa_name"]])
    sums = joined.groupby(["csp_code", "csp_name", "pfa_name"], as_index=False)[
        ["persons", "area_km2", "aged_15_24", "households", "rented", "imd_weighted"]
    ].sum(min_count=1)
    return pd.DataFrame(
        {
            "csp_code": sums["csp_code"],
            "csp_name": sums["csp_name"],
            "force_area": sums["pfa_name"],
            "log_population": np.log10(sums["persons"]).round(4),
            "log_density": np.log10(sums["persons"] / sums["area_km2"]).round(4),
            "share_aged_15_24": (sums["aged_15_24"] / sums["persons"]).round(4),
            "persons_per_household": (sums["persons"] / sums["households"]).round(4),
            "share_households_rented": (sums["rented"] / sums["households"]).round(4),
            "imd_score": (sums["imd_weighted"] / sums["persons"]).round(3),
        }
    )


def district_boundaries(source: Path, districts: pd.DataFrame) -> gpd.GeoDataFrame:
    shapes = gpd.read_file(source / DISTRICT_BOUNDARIES)
    active = active_map(source)
    shapes["LAD24CD"] = shapes["LAD24CD"].map(lambda c: active.get(c, c))
    shapes = shapes[shapes["LAD24CD"].isin(set(districts["lad_code"]))].copy()
    if len(shapes) != len(districts):
        missing = set(districts["lad_code"]) - set(shapes["LAD24CD"])
        raise SystemExit(f"no boundary for districts {sorted(missing)}")
    shapes["geometry"] = shapes.geometry.simplify(SIMPLIFY_METRES, preserve_topology=True)
    shapes = shapes.to_crs(4326)
    out = gpd.GeoDataFrame(
        {
            "lad_code": shapes["LAD24CD"],
            "lad_name": shapes["LAD24CD"].map(district_names(districts)),
        },
        geometry=shapes.geometry.set_precision(10**-COORDINATE_DECIMALS),
        crs=4326,
    )
    return out.sort_values("lad_code").reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "src/cspkit/reference/data")
    args = parser.parse_args(argv)
    out: Path = args.out
    districts = pd.read_parquet(out / "districts.parquet")
    lookup = csp_districts(args.source, districts)
    lookup.to_csv(out / "csp_districts.csv", index=False, lineterminator="\n")
    welsh_lsoas(args.source, districts).to_parquet(
        out / "lsoa_district_wales.parquet", index=False, compression="zstd"
    )
    ward_districts(args.source, districts).to_parquet(
        out / "ward_district_2023.parquet", index=False, compression="zstd"
    )
    variables = csp_variables(district_variables(args.source, districts), lookup)
    variables = variables.sort_values("csp_code").reset_index(drop=True)
    z = standardise(variables.set_index("csp_code")[list(SIMILARITY_VARIABLES)])
    for name in SIMILARITY_VARIABLES:
        variables[f"z_{name}"] = z[name].round(4).to_numpy()
    variables.to_csv(out / "csp_similarity.csv", index=False, lineterminator="\n")
    peers = most_similar(z, GROUP_SIZE)
    peers.to_csv(out / "csp_peers.csv", index=False, lineterminator="\n", float_format="%.4f")
    (out / "boundaries").mkdir(exist_ok=True)
    target = out / "boundaries/districts_2024.geojson"
    target.unlink(missing_ok=True)
    district_boundaries(args.source, districts).to_file(target, driver="GeoJSON")
    print(f"{len(lookup)} districts, {lookup['csp_code'].nunique()} CSPs, {len(peers)} peer rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
