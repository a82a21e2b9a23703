"""Tests of the shipped reference data and police.uk sample.

Most tests read only the shipped files. Tests that compare against the original
inputs read the shared data folder beside the repository and are skipped, with
that reason, when it is absent.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import io
import json
import re
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest

from cspkit.reference import (
    DATA_DIR,
    SAMPLE_DIR,
    ReferenceDataMissingError,
    data_path,
    read_table,
    sample_police_uk_dir,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared" / "data"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(),
    reason="rebuilds from the public source files in ../shared/data, which are not shipped",
)

KENT = (
    "E06000035",
    "E07000105",
    "E07000106",
    "E07000107",
    "E07000108",
    "E07000109",
    "E07000110",
    "E07000111",
    "E07000112",
    "E07000113",
    "E07000114",
    "E07000115",
    "E07000116",
)
LINCOLNSHIRE = tuple(f"E07000{n}" for n in range(136, 143))
MAIDSTONE = "E07000110"

KENT_2024_MONTHS = [f"2024-{m:02d}" for m in range(1, 5)]
KENT_2025_MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]
LINCS_MONTHS = [str(p) for p in pd.period_range("2017-02", "2020-01", freq="M")]


def read_sample(month: str, force: str, kind: str) -> pd.DataFrame:
    """Read one gzipped sample file as strings."""
    path = sample_police_uk_dir() / month / f"{month}-{force}-{kind}.csv.gz"
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def lsoa_district() -> pd.DataFrame:
    return read_table("lsoa_district.parquet")


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    return read_table("population.parquet")


@pytest.fixture(scope="module")
def lsoa_ward() -> pd.DataFrame:
    return read_table("lsoa_ward.parquet")


def load_geojson(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(data_path(f"boundaries/{name}.geojson").read_text())
    return result


# ----------------------------------------------------------------------------- loader API


def test_data_path_names_missing_file() -> None:
    with pytest.raises(ReferenceDataMissingError, match=re.escape("no_such_table.parquet")):
        data_path("no_such_table.parquet")


def test_read_table_rejects_non_tables() -> None:
    with pytest.raises(ValueError, match=re.escape("not a .parquet or .csv")):
        read_table("boundaries/kent_lsoa_2021.geojson")


def test_dirs_exist() -> None:
    assert DATA_DIR.is_dir()
    assert (SAMPLE_DIR / "SAMPLE.md").is_file()
    assert sample_police_uk_dir() == SAMPLE_DIR / "police_uk"


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        ("lsoa_district.parquet", ["lsoa_code", "lsoa_name", "vintage", "lad_code", "lad_name"]),
        ("districts.parquet", ["lad_code", "lad_name", "region", "country", "area_km2"]),
        (
            "population.parquet",
            [
                "area_code",
                "area_type",
                "lsoa_vintage",
                "year",
                "persons",
                "households",
                "adults",
                "source",
            ],
        ),
        ("lsoa_centroids.parquet", ["lsoa_code", "latitude", "longitude"]),
        ("imd_lsoa.parquet", ["lsoa_code", "edition", "imd_rank", "imd_decile"]),
        (
            "lsoa_ward.parquet",
            [
                "lsoa_code",
                "lsoa_vintage",
                "ward_code",
                "ward_name",
                "ward_vintage",
                "lad_code",
                "method",
            ],
        ),
        ("harm_weights.csv", ["category", "weight_days", "source"]),
    ],
)
def test_table_columns(name: str, columns: list[str]) -> None:
    assert read_table(name).columns.tolist() == columns


def test_integer_column_types(lsoa_district: pd.DataFrame, population: pd.DataFrame) -> None:
    assert lsoa_district["vintage"].dtype == "int16"
    assert population["year"].dtype == "int16"
    assert str(population["lsoa_vintage"].dtype) == "Int16"
    assert population["persons"].dtype == "float64"
    assert read_table("imd_lsoa.parquet")["edition"].dtype == "int16"
    ward = read_table("lsoa_ward.parquet")
    assert ward["lsoa_vintage"].dtype == "int16"
    assert ward["ward_vintage"].dtype == "int16"


# ----------------------------------------------------------------------------- lookups


def test_lsoa_district_is_keyed_by_code_and_vintage(lsoa_district: pd.DataFrame) -> None:
    assert not lsoa_district.duplicated(["lsoa_code", "vintage"]).any()
    assert set(lsoa_district["vintage"]) == {2011, 2021}
    assert (lsoa_district["vintage"] == 2011).sum() == 32_844
    assert (lsoa_district["vintage"] == 2021).sum() == 33_755


def test_lsoa_district_uses_active_districts(lsoa_district: pd.DataFrame) -> None:
    active = set(read_table("districts.parquet")["lad_code"])
    assert set(lsoa_district["lad_code"]) <= active
    # Aylesbury Vale's 2011 LSOAs belong to Buckinghamshire, as do its 2021 LSOAs.
    aylesbury = lsoa_district[lsoa_district["lsoa_name"].str.startswith("Aylesbury Vale")]
    assert set(aylesbury["lad_code"]) == {"E06000060"}


def test_maidstone_lsoa_counts(lsoa_district: pd.DataFrame) -> None:
    maidstone = lsoa_district[lsoa_district["lad_code"] == MAIDSTONE]
    assert (maidstone["vintage"] == 2021).sum() == 99
    assert (maidstone["vintage"] == 2011).sum() == 95
    assert set(maidstone["lad_name"]) == {"Maidstone"}


@pytest.mark.parametrize(
    ("months", "force"), [(KENT_2025_MONTHS, "kent"), (LINCS_MONTHS, "lincolnshire")]
)
def test_street_file_lsoas_resolve(
    lsoa_district: pd.DataFrame, months: list[str], force: str
) -> None:
    known = set(lsoa_district["lsoa_code"])
    codes: set[str] = set()
    for month in months:
        codes |= set(read_sample(month, force, "street")["LSOA code"])
    english = {c for c in codes if c.startswith("E")}
    assert english - known == set()
    outside = codes - english - {""}
    assert len(outside) <= 5, outside


def test_districts(lsoa_district: pd.DataFrame) -> None:
    districts = read_table("districts.parquet")
    assert districts["lad_code"].is_unique
    assert len(districts) == 318
    assert districts["country"].value_counts().to_dict() == {"England": 296, "Wales": 22}
    names = districts.set_index("lad_code")["lad_name"]
    assert names[MAIDSTONE] == "Maidstone"
    assert names["E07000112"] == "Folkestone and Hythe"
    assert districts.set_index("lad_code").loc[MAIDSTONE, "area_km2"] == 393.0
    assert districts["region"].notna().all()
    assert districts["area_km2"].notna().all()


# ----------------------------------------------------------------------------- population


def test_maidstone_2020_population(population: pd.DataFrame) -> None:
    row = population[
        (population["area_code"] == MAIDSTONE)
        & (population["area_type"] == "lad")
        & (population["year"] == 2020)
    ]
    assert row["persons"].tolist() == [173_132.0]
    assert row["source"].str.contains("mySociety").all()


def test_lincolnshire_2019_population(
    population: pd.DataFrame, lsoa_district: pd.DataFrame
) -> None:
    lincs = lsoa_district[
        (lsoa_district["vintage"] == 2011) & lsoa_district["lad_code"].isin(LINCOLNSHIRE)
    ]
    assert len(lincs) == 420
    rows = population[
        (population["area_type"] == "lsoa")
        & (population["lsoa_vintage"] == 2011)
        & population["area_code"].isin(lincs["lsoa_code"])
    ]
    assert len(rows) == 420
    assert rows["persons"].sum() == 761_224
    districts = population[
        (population["area_type"] == "lad")
        & (population["year"] == 2019)
        & population["area_code"].isin(LINCOLNSHIRE)
    ]
    assert districts["persons"].sum() == 761_224


def test_population_keys_unique(population: pd.DataFrame) -> None:
    key = ["area_code", "area_type", "lsoa_vintage", "year"]
    assert not population.duplicated(key).any()
    assert (population["persons"] > 0).all()
    assert population.loc[population["area_type"] == "lad", "lsoa_vintage"].isna().all()


def test_unchanged_2021_lsoas_carry_2019_population(
    population: pd.DataFrame, lsoa_district: pd.DataFrame
) -> None:
    lsoa21 = population[(population["area_type"] == "lsoa") & (population["lsoa_vintage"] == 2021)]
    lsoa11 = population[(population["area_type"] == "lsoa") & (population["lsoa_vintage"] == 2011)]
    merged = lsoa21.merge(lsoa11, on="area_code", suffixes=("_21", "_11"))
    assert len(merged) == len(lsoa21)
    assert (merged["persons_21"] == merged["persons_11"]).all()
    kent21 = lsoa_district[
        (lsoa_district["vintage"] == 2021) & lsoa_district["lad_code"].isin(KENT)
    ]
    assert len(kent21) == 1107
    assert kent21["lsoa_code"].isin(lsoa21["area_code"]).sum() == 1028


# ----------------------------------------------------------------------------- other tables


def test_centroids_cover_kent_and_lincolnshire(lsoa_district: pd.DataFrame) -> None:
    centroids = read_table("lsoa_centroids.parquet")
    assert centroids["lsoa_code"].is_unique
    assert set(lsoa_district["lsoa_code"]) <= set(centroids["lsoa_code"])
    assert centroids["latitude"].between(49.8, 55.9).all()
    assert centroids["longitude"].between(-6.5, 1.8).all()


def test_imd_tables(lsoa_district: pd.DataFrame) -> None:
    imd = read_table("imd_lsoa.parquet")
    assert imd.groupby("edition").size().to_dict() == {2019: 32_844, 2025: 33_755}
    assert imd["imd_decile"].between(1, 10).all()
    district = read_table("imd_district.parquet")
    assert not district.duplicated(["lad_code", "edition"]).any()
    maidstone = district[district["lad_code"] == MAIDSTONE]
    assert sorted(maidstone["edition"]) == [2019, 2025]
    assert maidstone["imd_proportion_most_deprived_10pct"].between(0, 1).all()
    recent = district[district["edition"] == 2025]
    assert set(recent["lad_code"]) == set(
        lsoa_district.loc[lsoa_district["vintage"] == 2021, "lad_code"]
    )


def test_harm_weights_match_police_uk_categories() -> None:
    weights = read_table("harm_weights.csv")
    street = read_sample("2025-01", "kent", "street")
    categories = set(street["Crime type"])
    assert set(weights["category"]) == categories - {"Anti-social behaviour"}
    by_category = weights.set_index("category")["weight_days"]
    assert by_category["Violence and sexual offences"] == pytest.approx(194.21)
    assert by_category["Robbery"] == 365.0


# ----------------------------------------------------------------------------- boundaries


@pytest.mark.parametrize(
    ("name", "maidstone_count", "total"),
    [
        ("kent_lsoa_2021", 99, 1107),
        ("kent_lsoa_2011", 95, 1065),
        ("kent_wards_2025", 22, 279),
        ("kent_wards_2013", 26, 305),
    ],
)
def test_boundary_files(name: str, maidstone_count: int, total: int) -> None:
    collection = load_geojson(name)
    features = collection["features"]
    assert len(features) == total
    assert all(set(f["properties"]) == {"code", "name", "lad_code"} for f in features)
    assert {f["properties"]["lad_code"] for f in features} == set(KENT)
    assert sum(f["properties"]["lad_code"] == MAIDSTONE for f in features) == maidstone_count


@pytest.mark.parametrize(("vintage", "name"), [(2021, "kent_lsoa_2021"), (2011, "kent_lsoa_2011")])
def test_lsoa_boundaries_match_lookup(lsoa_district: pd.DataFrame, vintage: int, name: str) -> None:
    features = load_geojson(name)["features"]
    shipped = {f["properties"]["code"]: f["properties"]["lad_code"] for f in features}
    kent = lsoa_district[
        (lsoa_district["vintage"] == vintage) & lsoa_district["lad_code"].isin(KENT)
    ]
    assert shipped == dict(zip(kent["lsoa_code"], kent["lad_code"], strict=True))


def test_every_kent_lsoa_has_one_ward_of_its_district(
    lsoa_ward: pd.DataFrame, lsoa_district: pd.DataFrame
) -> None:
    assert not lsoa_ward.duplicated(["lsoa_code", "lsoa_vintage"]).any()
    for lsoa_vintage, ward_vintage, ward_file in (
        (2021, 2025, "kent_wards_2025"),
        (2011, 2013, "kent_wards_2013"),
    ):
        kent = lsoa_district[
            (lsoa_district["vintage"] == lsoa_vintage) & lsoa_district["lad_code"].isin(KENT)
        ]
        part = lsoa_ward[lsoa_ward["lsoa_vintage"] == lsoa_vintage]
        assert set(part["ward_vintage"]) == {ward_vintage}
        merged = kent.merge(part, on="lsoa_code", how="left", suffixes=("", "_ward"))
        assert merged["ward_code"].notna().all()
        assert (merged["lad_code"] == merged["lad_code_ward"]).all()
        wards = {
            f["properties"]["code"]: f["properties"]["lad_code"]
            for f in load_geojson(ward_file)["features"]
        }
        assert (part["ward_code"].map(wards) == part["lad_code"]).all()
    assert set(lsoa_ward["method"]) <= {"centroid_in_ward", "nearest_ward"}
    assert (lsoa_ward["method"] == "nearest_ward").sum() <= 10


def _queen_neighbours(gdf: Any) -> dict[str, list[str]]:
    """Queen contiguity (shared vertex) neighbours keyed by feature code."""
    from libpysal.weights import Queen

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weights = Queen.from_dataframe(gdf.set_index("code"), use_index=True)
    return {str(k): sorted(map(str, v)) for k, v in weights.neighbors.items()}


@needs_shared
@pytest.mark.parametrize(
    ("name", "folder", "code_column"),
    [
        ("kent_lsoa_2021", "boundaries_kent_drkane/lsoa", "LSOA21CD"),
        ("kent_lsoa_2011", "boundaries_kent_martinjc/lsoa_by_lad", "LSOA11CD"),
        ("kent_wards_2025", "boundaries_kent_drkane/ward", "WD25CD"),
        ("kent_wards_2013", "boundaries_kent_martinjc/wards_by_lad", "WD13CD"),
    ],
)
def test_contiguity_preserved_per_district(name: str, folder: str, code_column: str) -> None:
    """Shipped boundaries have the same Queen neighbours as the originals, per district.

    Neighbouring polygons in the 2011 inputs repeat shared vertices with ~1e-12 degree
    noise, so the originals are first snapped to 1e-9 degrees (0.1 mm), far below
    the shipped 1e-5 precision, to measure their intended adjacency.
    """
    import geopandas as gpd
    import numpy as np
    import shapely

    shipped = gpd.read_file(data_path(f"boundaries/{name}.geojson"))
    for path in sorted((SHARED / folder).iterdir()):
        original = gpd.read_file(path).rename(columns={code_column: "code"})[["code", "geometry"]]
        original["geometry"] = original.geometry.apply(
            lambda g: shapely.transform(g, lambda c: np.round(c, 9))
        )
        mine = shipped[shipped["code"].isin(original["code"])]
        assert len(mine) == len(original), path.name
        assert _queen_neighbours(mine) == _queen_neighbours(original), path.name


# ----------------------------------------------------------------------------- sample


def test_sample_layout() -> None:
    files = sorted(
        p.relative_to(sample_police_uk_dir()).as_posix()
        for p in sample_police_uk_dir().rglob("*.gz")
    )
    expected = sorted(
        [f"{m}/{m}-kent-street.csv.gz" for m in KENT_2024_MONTHS + KENT_2025_MONTHS]
        + [f"{m}/{m}-lincolnshire-{k}.csv.gz" for m in LINCS_MONTHS for k in ("street", "outcomes")]
    )
    assert files == expected


def test_sample_gzip_is_deterministic() -> None:
    for path in sample_police_uk_dir().rglob("*.gz"):
        header = path.read_bytes()[:10]
        assert header[:3] == b"\x1f\x8b\x08"
        assert header[4:8] == b"\x00\x00\x00\x00", f"{path.name}: mtime not zero"


def test_sample_row_counts() -> None:
    kent24 = [read_sample(m, "kent", "street") for m in KENT_2024_MONTHS]
    kent25 = [read_sample(m, "kent", "street") for m in KENT_2025_MONTHS]
    assert sum(len(f) for f in kent24) == 60_021
    assert sum(len(f) for f in kent25) == 180_022
    assert len(kent25[0]) == 14_201
    maidstone = sum(f["LSOA name"].str.startswith("Maidstone").sum() for f in kent25)
    assert maidstone == 16_619
    street = [read_sample(m, "lincolnshire", "street") for m in LINCS_MONTHS]
    assert sum(len(f) for f in street) == 201_960
    assert sum((f["Crime type"] == "Anti-social behaviour").sum() for f in street) == 50_578
    outcomes = [read_sample(m, "lincolnshire", "outcomes") for m in LINCS_MONTHS]
    assert sum(len(f) for f in outcomes) == 131_061
    assert len(outcomes[LINCS_MONTHS.index("2018-01")]) == 7_060


@needs_shared
def test_sample_is_byte_for_byte_copy_of_originals() -> None:
    originals = [
        *(SHARED / "police_uk_kent_street").glob("*/*.csv"),
        *(SHARED / "police_uk_lincolnshire_street").glob("*.csv"),
        *(SHARED / "police_uk_lincolnshire_outcomes").glob("*.csv"),
    ]
    assert len(originals) == 88
    for original in originals:
        month = original.name[:7]
        shipped = sample_police_uk_dir() / month / f"{original.name}.gz"
        with gzip.open(shipped, "rb") as handle:
            copy = handle.read()
        assert hashlib.sha256(copy).digest() == hashlib.sha256(original.read_bytes()).digest()


# ----------------------------------------------------------------------------- rebuild


def _load_build_script() -> ModuleType:
    path = REPO_ROOT / "scripts" / "build_reference.py"
    spec = importlib.util.spec_from_file_location("build_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gzip_helper_is_deterministic() -> None:
    build = _load_build_script()
    data = b"Crime ID,Month\r\n,2025-01\r\n"
    first = build.gzip_bytes(data)
    assert first == build.gzip_bytes(data)
    assert gzip.GzipFile(fileobj=io.BytesIO(first)).read() == data


@needs_shared
def test_rebuild_reproduces_shipped_tables(tmp_path: Path) -> None:
    """Rebuilding from the shared inputs gives byte-identical tables and boundaries."""
    build = _load_build_script()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build.build(SHARED, tmp_path)
    rebuilt = sorted(p.relative_to(tmp_path / "data") for p in (tmp_path / "data").rglob("*.*"))
    shipped = sorted(p.relative_to(DATA_DIR) for p in DATA_DIR.rglob("*.*"))
    # Other builders (Census 2021 denominators, national lookups) ship files of their own,
    # checked by their own tests; this builder's files must all be shipped, unchanged.
    assert set(rebuilt) <= set(shipped)
    assert len(rebuilt) > 0
    for rel in rebuilt:
        assert (tmp_path / "data" / rel).read_bytes() == (DATA_DIR / rel).read_bytes(), rel
    assert (tmp_path / "sample" / "SAMPLE.md").read_bytes() == (
        SAMPLE_DIR / "SAMPLE.md"
    ).read_bytes()
