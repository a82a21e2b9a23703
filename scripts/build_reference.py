"""Rebuild the reference data and the police.uk sample shipped in ``cspkit.reference``.

The inputs are the public data files described in the shared data folder's
``SOURCES.md``. Every output is derived deterministically: rows are sorted,
Parquet files are written with fixed options and gzip members carry ``mtime=0``,
so running the script twice produces identical bytes.

Example::

    python scripts/build_reference.py --shared ../shared/data

The product never reads the shared folder at run time; it reads only what this
script writes under ``src/cspkit/reference/``.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "src" / "cspkit" / "reference"

KENT_LAD_CODES: tuple[str, ...] = (
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
"""Kent Police's area: Kent County Council's twelve districts plus Medway."""

IMD2019_FILE = "deprivation/File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx"
IMD2025_FILE = "deprivation/File_1_IoD2025_Index_of_Multiple_Deprivation.xlsx"
IOD2019_LAD_FILE = "deprivation/IoD2019.csv"
IOD2025_LAD_FILE = "deprivation/indices_of_deprivation_2025_lad.csv"
LA_CODES_FILE = "lookups_drkane/la_all_codes.csv"
LSOA_LATLONG_FILE = "lookups_drkane/lsoa_latlong.csv"
MYSOCIETY_FILE = "lookups_mysociety/uk_local_authorities_current.csv"
POPULATION_2019_FILE = "population/2019_population.csv"
HARM_WEIGHTS_FILE = "harm_weights/cchi_weights_by_category.csv"

SOURCE_MYSOCIETY_2020 = (
    "mySociety uk_local_authority_names_and_codes pop-2020 (estimated 2020 population; CC BY 4.0)"
)
SOURCE_LSOA_2019 = (
    "mySociety composite_uk_imd 2019_population.csv (mid-2019 small-area population, "
    "2011 LSOAs; CC BY 4.0)"
)
SOURCE_LAD_2019 = (
    "Sum of the district's 2011 LSOA mid-2019 populations "
    "(mySociety composite_uk_imd 2019_population.csv; CC BY 4.0)"
)
SOURCE_LSOA21_UNCHANGED = (
    "2011-LSOA mid-2019 figure for an unchanged code "
    "(mySociety composite_uk_imd 2019_population.csv; CC BY 4.0)"
)
HARM_WEIGHTS_SOURCE = (
    "Cambridge Crime Harm Index 2026 update, national volume-weighted days per police.uk "
    "category (aggregated by isthisben/cbl-realcrime)"
)

COORD_DECIMALS = 5
"""Decimal places kept in shipped GeoJSON coordinates (about 1 m)."""

PARQUET_OPTIONS: dict[str, Any] = {"compression": "zstd", "compression_level": 9}

MONTH_FILE = re.compile(r"^(\d{4}-\d{2})-(kent|lincolnshire)-(street|outcomes)\.csv$")


# --------------------------------------------------------------------------- writers


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` as Parquet without the index, deterministically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    pq.write_table(table, path, **PARQUET_OPTIONS)


def gzip_bytes(data: bytes) -> bytes:
    """Return ``data`` gzipped at level 9 with no file name and ``mtime=0``."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    return buffer.getvalue()


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as UTF-8 CSV with LF line endings and no index."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8")


# --------------------------------------------------------------------------- lookups


def read_la_codes(shared: Path) -> pd.DataFrame:
    """Read the drkane every-LA-code table (old code -> active code, region, country)."""
    return pd.read_csv(shared / LA_CODES_FILE, dtype=str, keep_default_na=False)


def active_code_map(la_codes: pd.DataFrame) -> dict[str, str]:
    """Map every lower-tier LA code since 2011 to the code of its active district."""
    return dict(zip(la_codes["LADCD"], la_codes["LADCD_ACTIVE"], strict=True))


def build_districts(shared: Path, la_codes: pd.DataFrame) -> pd.DataFrame:
    """One row per active district in England and Wales, with mySociety area in km²."""
    current = la_codes[
        (la_codes["Current"] == "TRUE") & la_codes["CTRYNM"].isin(["England", "Wales"])
    ]
    frame = pd.DataFrame(
        {
            "lad_code": current["LADCD"],
            "lad_name": current["LADNM"],
            "region": current["RGNNM"].where(current["RGNNM"] != "", current["CTRYNM"]),
            "country": current["CTRYNM"],
        }
    )
    area = mysociety_by_active(shared, la_codes)["area"]
    frame["area_km2"] = frame["lad_code"].map(area).astype("float64")
    return frame.sort_values("lad_code").reset_index(drop=True)


def mysociety_by_active(shared: Path, la_codes: pd.DataFrame) -> pd.DataFrame:
    """mySociety area and 2020 population per active district code.

    A district present under its active code is used as is. A district whose active
    code is newer than the mySociety register (for example Barnsley and Sheffield,
    recoded in 2024) takes the sum over the predecessor codes that map to it.
    """
    mys = pd.read_csv(shared / MYSOCIETY_FILE, dtype={"gss-code": str})
    mys = mys[mys["lower-or-unitary"].astype(bool) & mys["gss-code"].notna()]
    mys = mys[["gss-code", "area", "pop-2020"]].drop_duplicates("gss-code")
    mys = mys.set_index("gss-code")
    to_active = active_code_map(la_codes)
    active_codes = sorted(set(to_active.values()))
    rows: list[dict[str, Any]] = []
    for code in active_codes:
        if code in mys.index:
            rec = mys.loc[code]
            rows.append({"lad_code": code, "area": rec["area"], "pop": rec["pop-2020"]})
            continue
        predecessors = [old for old, new in to_active.items() if new == code and old != code]
        if predecessors and all(p in mys.index for p in predecessors):
            part = mys.loc[predecessors]
            rows.append(
                {
                    "lad_code": code,
                    "area": float(part["area"].sum()),
                    "pop": float(part["pop-2020"].sum()),
                }
            )
    return pd.DataFrame(rows).set_index("lad_code")


def read_imd_file1(shared: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the IMD2019 and IoD2025 File 1 sheets with short column names."""
    names = ["lsoa_code", "lsoa_name", "lad_code_src", "lad_name_src", "imd_rank", "imd_decile"]
    imd19 = pd.read_excel(shared / IMD2019_FILE, sheet_name="IMD2019")
    imd25 = pd.read_excel(shared / IMD2025_FILE, sheet_name="IMD25")
    imd19.columns = pd.Index(names)
    imd25.columns = pd.Index(names)
    return imd19, imd25


def build_lsoa_district(
    imd19: pd.DataFrame, imd25: pd.DataFrame, la_codes: pd.DataFrame
) -> pd.DataFrame:
    """LSOA -> active district for 2011 LSOAs (IMD2019) and 2021 LSOAs (IoD2025)."""
    to_active = active_code_map(la_codes)
    active_name = dict(zip(la_codes["LADCD"], la_codes["LADNM"], strict=True))
    parts = []
    for frame, vintage in ((imd19, 2011), (imd25, 2021)):
        unknown = sorted(set(frame["lad_code_src"]) - set(to_active))
        if unknown:
            raise ValueError(
                f"LAD codes in the IMD file {vintage} not in {LA_CODES_FILE}: {unknown}"
            )
        lad_code = frame["lad_code_src"].map(to_active)
        parts.append(
            pd.DataFrame(
                {
                    "lsoa_code": frame["lsoa_code"].astype(str),
                    "lsoa_name": frame["lsoa_name"].astype(str),
                    "vintage": pd.Series(vintage, index=frame.index, dtype="int16"),
                    "lad_code": lad_code,
                    "lad_name": lad_code.map(active_name),
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["vintage", "lsoa_code"]).reset_index(drop=True)


def read_population_2019(shared: Path) -> pd.DataFrame:
    """Read the mid-2019 small-area population (England and Wales LSOAs only)."""
    pop = pd.read_csv(
        shared / POPULATION_2019_FILE, thousands=",", encoding="utf-8-sig", dtype={"lsoa": str}
    )
    pop = pop[pop["lsoa"].str.match(r"^[EW]01\d{6}$")]
    return pop.rename(columns={"lsoa": "lsoa_code", "pop": "persons"})


def population_rows(
    area_code: Iterable[str],
    area_type: str,
    lsoa_vintage: int | None,
    year: int,
    persons: Iterable[float],
    source: str,
) -> pd.DataFrame:
    """Build population rows in the shipped schema (households and adults unknown)."""
    codes = list(area_code)
    n = len(codes)
    return pd.DataFrame(
        {
            "area_code": codes,
            "area_type": [area_type] * n,
            "lsoa_vintage": pd.array([lsoa_vintage] * n, dtype="Int16"),
            "year": pd.array([year] * n, dtype="int16"),
            "persons": pd.array(list(persons), dtype="float64"),
            "households": pd.array([None] * n, dtype="Float64"),
            "adults": pd.array([None] * n, dtype="Float64"),
            "source": [source] * n,
        }
    )


def build_population(
    shared: Path, la_codes: pd.DataFrame, lsoa_district: pd.DataFrame, districts: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Population rows (see ATTRIBUTION.md) and a few coverage counts."""
    mys = mysociety_by_active(shared, la_codes)
    mys = mys[mys.index.isin(districts["lad_code"]) & mys["pop"].notna()]
    lad_2020 = population_rows(mys.index, "lad", None, 2020, mys["pop"], SOURCE_MYSOCIETY_2020)

    pop = read_population_2019(shared)
    lsoa_2019 = population_rows(
        pop["lsoa_code"], "lsoa", 2011, 2019, pop["persons"], SOURCE_LSOA_2019
    )

    lsoa11 = lsoa_district[lsoa_district["vintage"] == 2011][["lsoa_code", "lad_code"]]
    joined = lsoa11.merge(pop, on="lsoa_code", how="left")
    complete = joined.groupby("lad_code")["persons"].apply(lambda s: bool(s.notna().all()))
    sums = joined.groupby("lad_code")["persons"].sum()[complete]
    lad_2019 = population_rows(sums.index, "lad", None, 2019, sums, SOURCE_LAD_2019)

    lsoa21 = lsoa_district[lsoa_district["vintage"] == 2021][["lsoa_code", "lad_code"]]
    unchanged = lsoa21.merge(pop, on="lsoa_code", how="inner")
    lsoa21_2019 = population_rows(
        unchanged["lsoa_code"], "lsoa", 2021, 2019, unchanged["persons"], SOURCE_LSOA21_UNCHANGED
    )
    kent21 = lsoa21[lsoa21["lad_code"].isin(KENT_LAD_CODES)]
    coverage = {
        "kent_lsoa21_total": len(kent21),
        "kent_lsoa21_with_2019_pop": int(kent21["lsoa_code"].isin(pop["lsoa_code"]).sum()),
        "lsoa21_total": len(lsoa21),
        "lsoa21_with_2019_pop": len(unchanged),
        "districts_with_2019_sum": len(sums),
    }
    out = pd.concat([lad_2020, lsoa_2019, lad_2019, lsoa21_2019], ignore_index=True)
    out = out.sort_values(["area_type", "year", "lsoa_vintage", "area_code"], na_position="first")
    return out.reset_index(drop=True), coverage


# --------------------------------------------------------------------------- deprivation


def build_imd_lsoa(imd19: pd.DataFrame, imd25: pd.DataFrame) -> pd.DataFrame:
    """LSOA IMD rank and decile for the 2019 (2011 LSOAs) and 2025 (2021 LSOAs) editions."""
    parts = [
        pd.DataFrame(
            {
                "lsoa_code": frame["lsoa_code"].astype(str),
                "edition": pd.Series(edition, index=frame.index, dtype="int16"),
                "imd_rank": frame["imd_rank"].astype("int32"),
                "imd_decile": frame["imd_decile"].astype("int16"),
            }
        )
        for frame, edition in ((imd19, 2019), (imd25, 2025))
    ]
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["edition", "lsoa_code"]).reset_index(drop=True)


IMD_DISTRICT_COLUMNS: dict[str, str] = {
    "average_rank": "imd_average_rank",
    "rank_average_rank": "imd_rank_of_average_rank",
    "average_score": "imd_average_score",
    "rank_average_score": "imd_rank_of_average_score",
    "proportion_bottom_decile": "imd_proportion_most_deprived_10pct",
    "rank_proportion_bottom_decile": "imd_rank_of_proportion_most_deprived_10pct",
}
"""Source column -> shipped column for the district IMD summary measures."""

IMD_DOMAIN = "Index of Multiple Deprivation"


def build_imd_district(shared: Path, la_codes: pd.DataFrame) -> pd.DataFrame:
    """District IMD summary measures (IMD domain only) for the 2019 and 2025 editions.

    ``lad_code`` is the active district code when the published district is the only
    predecessor of its active district (a recode, e.g. Barnsley); a published district
    that has since merged into a larger one keeps its published code, because its
    averages cannot be carried over. ``published_lad_code`` is always the code as
    published.
    """
    to_active = active_code_map(la_codes)

    def current_code(code: str) -> str:
        return to_active.get(code, code) if _sole(code, to_active) else code

    iod19 = pd.read_csv(shared / IOD2019_LAD_FILE, dtype={"lad19cd": str})
    iod19 = iod19.rename(columns={"lad19cd": "published_lad_code", "lad19nm": "published_lad_name"})
    iod25 = pd.read_csv(shared / IOD2025_LAD_FILE, dtype={"area_code": str})
    iod25 = iod25.rename(
        columns={"area_code": "published_lad_code", "area_name": "published_lad_name"}
    )
    parts = []
    for frame, edition in ((iod19, 2019), (iod25, 2025)):
        imd = frame[frame["index_domain"] == IMD_DOMAIN]
        part = imd[["published_lad_code", "published_lad_name", *IMD_DISTRICT_COLUMNS]].rename(
            columns=IMD_DISTRICT_COLUMNS
        )
        part.insert(0, "edition", pd.Series(edition, index=part.index, dtype="int16"))
        part.insert(0, "lad_code", part["published_lad_code"].map(current_code))
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    for column in IMD_DISTRICT_COLUMNS.values():
        if column.startswith("imd_rank"):
            out[column] = out[column].astype("int16")
        else:
            out[column] = out[column].astype("float64")
    if out.duplicated(["lad_code", "edition"]).any():
        raise ValueError("imd_district: duplicate (lad_code, edition) rows")
    return out.sort_values(["edition", "lad_code"]).reset_index(drop=True)


def _sole(code: str, to_active: dict[str, str]) -> bool:
    """True when ``code`` is the only code (besides the active one) mapping to its successor."""
    active = to_active.get(code, code)
    others = [old for old, new in to_active.items() if new == active and old not in (code, active)]
    return not others


# --------------------------------------------------------------------------- geography


def build_lsoa_centroids(shared: Path) -> pd.DataFrame:
    """England and Wales LSOA centroids (2011 and 2021 codes) in WGS84."""
    frame = pd.read_csv(shared / LSOA_LATLONG_FILE, dtype={"LSOACD": str})
    frame = frame[frame["LSOACD"].str.match(r"^[EW]01\d{6}$")]
    out = pd.DataFrame(
        {
            "lsoa_code": frame["LSOACD"],
            "latitude": frame["latitude"].astype("float64"),
            "longitude": frame["longitude"].astype("float64"),
        }
    )
    if out["lsoa_code"].duplicated().any():
        raise ValueError(f"{LSOA_LATLONG_FILE}: duplicate LSOA codes")
    return out.sort_values("lsoa_code").reset_index(drop=True)


def build_harm_weights(shared: Path) -> pd.DataFrame:
    """CCHI days per police.uk crime category, as published by the source table."""
    frame = pd.read_csv(shared / HARM_WEIGHTS_FILE)
    out = pd.DataFrame(
        {
            "category": frame["crime_type"].astype(str),
            "weight_days": frame["cchi_days"].astype("float64"),
            "source": HARM_WEIGHTS_SOURCE,
        }
    )
    return out.sort_values("category").reset_index(drop=True)


# --------------------------------------------------------------------------- boundaries

BoundarySpec = tuple[str, str, str, str, str | None]
"""(output name, source folder, code property, name property, district property or None)."""

BOUNDARY_SPECS: tuple[BoundarySpec, ...] = (
    ("kent_lsoa_2021", "boundaries_kent_drkane/lsoa", "LSOA21CD", "LSOA21NM", "LADCD_ACTIVE"),
    ("kent_lsoa_2011", "boundaries_kent_martinjc/lsoa_by_lad", "LSOA11CD", "LSOA11NM", None),
    ("kent_wards_2025", "boundaries_kent_drkane/ward", "WD25CD", "WD25NM", "LADCD_ACTIVE"),
    ("kent_wards_2013", "boundaries_kent_martinjc/wards_by_lad", "WD13CD", "WD13NM", None),
)
"""Shipped Kent boundary sets. Without a district property the file name is the district."""


def read_boundaries(shared: Path, spec: BoundarySpec, la_codes: pd.DataFrame) -> Any:
    """Read one boundary set (all Kent districts) as a GeoDataFrame: code, name, lad_code."""
    import geopandas as gpd

    _, folder, code_col, name_col, lad_col = spec
    to_active = active_code_map(la_codes)
    frames = []
    for path in sorted((shared / folder).iterdir()):
        if path.stem not in KENT_LAD_CODES:
            continue
        gdf = gpd.read_file(path)
        lad = gdf[lad_col].astype(str) if lad_col else pd.Series(path.stem, index=gdf.index)
        frames.append(
            gpd.GeoDataFrame(
                {
                    "code": gdf[code_col].astype(str),
                    "name": gdf[name_col].astype(str).str.strip(),
                    "lad_code": lad.map(lambda c: to_active.get(c, c)),
                },
                geometry=gdf.geometry.to_crs(4326),
                crs=4326,
            )
        )
    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=4326)
    if out["code"].duplicated().any():
        raise ValueError(f"{folder}: duplicate feature codes")
    return out.sort_values("code").reset_index(drop=True)


def _round_ring(ring: Iterable[Iterable[float]]) -> list[list[float]]:
    """Round a ring's coordinates and drop consecutive duplicates."""
    out: list[list[float]] = []
    for x, y, *_ in ring:
        point = [round(x, COORD_DECIMALS), round(y, COORD_DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def compact_geometry(geometry: Any) -> dict[str, Any]:
    """GeoJSON geometry mapping with coordinates rounded to :data:`COORD_DECIMALS`.

    Shared vertices stay shared because equal inputs round to equal outputs; rings
    that collapse to fewer than four positions are dropped.
    """
    from shapely.geometry import mapping

    geo = mapping(geometry)
    polygons = [geo["coordinates"]] if geo["type"] == "Polygon" else list(geo["coordinates"])
    rounded = []
    for polygon in polygons:
        rings = [_round_ring(ring) for ring in polygon]
        if len(rings[0]) < 4:
            continue
        rounded.append([rings[0], *(r for r in rings[1:] if len(r) >= 4)])
    if len(rounded) == 1:
        return {"type": "Polygon", "coordinates": rounded[0]}
    return {"type": "MultiPolygon", "coordinates": rounded}


def write_geojson(gdf: Any, path: Path) -> None:
    """Write a compact WGS84 FeatureCollection with properties code, name, lad_code."""
    features = [
        {
            "type": "Feature",
            "properties": {"code": row.code, "name": row.name, "lad_code": row.lad_code},
            "geometry": compact_geometry(row.geometry),
        }
        for row in gdf.itertuples(index=False)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"type": "FeatureCollection", "features": features}
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    path.write_text(text.replace(',{"type":"Feature"', ',\n{"type":"Feature"') + "\n")


def assign_wards(
    lsoas: pd.DataFrame, wards: Any, lsoa_vintage: int, ward_vintage: int
) -> pd.DataFrame:
    """Best-fit each LSOA to one ward of its own district by its centroid.

    ``lsoas`` has lsoa_code, lad_code, latitude, longitude. The ward is the one whose
    polygon contains the centroid (``centroid_in_ward``); if no ward of the district
    contains it (coastal clipping, generalised boundaries), the nearest ward of the
    district in British National Grid metres (``nearest_ward``).
    """
    import geopandas as gpd

    points = gpd.GeoDataFrame(
        lsoas[["lsoa_code", "lad_code"]].reset_index(drop=True),
        geometry=gpd.points_from_xy(lsoas["longitude"], lsoas["latitude"]),
        crs=4326,
    ).to_crs(27700)
    wards_bng = wards.to_crs(27700)
    rows: list[dict[str, Any]] = []
    for point in points.itertuples(index=False):
        candidates = wards_bng[wards_bng["lad_code"] == point.lad_code]
        if candidates.empty:
            raise ValueError(f"no {ward_vintage} wards for district {point.lad_code}")
        inside = candidates[candidates.contains(point.geometry)]
        if len(inside) >= 1:
            ward, method = inside.iloc[0], "centroid_in_ward"
        else:
            ward = candidates.iloc[int(candidates.distance(point.geometry).to_numpy().argmin())]
            method = "nearest_ward"
        rows.append(
            {
                "lsoa_code": point.lsoa_code,
                "lsoa_vintage": lsoa_vintage,
                "ward_code": ward["code"],
                "ward_name": ward["name"],
                "ward_vintage": ward_vintage,
                "lad_code": point.lad_code,
                "method": method,
            }
        )
    out = pd.DataFrame(rows)
    out["lsoa_vintage"] = out["lsoa_vintage"].astype("int16")
    out["ward_vintage"] = out["ward_vintage"].astype("int16")
    return out


def build_boundaries_and_wards(
    shared: Path, la_codes: pd.DataFrame, lsoa_district: pd.DataFrame, out_dir: Path
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Write the Kent boundary GeoJSON files and return the LSOA -> ward best fit."""
    sets = {spec[0]: read_boundaries(shared, spec, la_codes) for spec in BOUNDARY_SPECS}
    for name, gdf in sets.items():
        write_geojson(gdf, out_dir / f"{name}.geojson")
    centroids = build_lsoa_centroids(shared)
    parts = []
    for lsoa_vintage, ward_set, ward_vintage in (
        (2021, "kent_wards_2025", 2025),
        (2011, "kent_wards_2013", 2013),
    ):
        kent = lsoa_district[
            (lsoa_district["vintage"] == lsoa_vintage)
            & lsoa_district["lad_code"].isin(KENT_LAD_CODES)
        ][["lsoa_code", "lad_code"]]
        located = kent.merge(centroids, on="lsoa_code", how="left")
        if located["latitude"].isna().any():
            missing = located.loc[located["latitude"].isna(), "lsoa_code"].tolist()
            raise ValueError(f"Kent {lsoa_vintage} LSOAs without a centroid: {missing}")
        parts.append(assign_wards(located, sets[ward_set], lsoa_vintage, ward_vintage))
    lookup = pd.concat(parts, ignore_index=True)
    lookup = lookup.sort_values(["lsoa_vintage", "lsoa_code"]).reset_index(drop=True)
    counts = {f"{name}_features": len(gdf) for name, gdf in sets.items()} | {
        f"lsoa{v % 100}_{m}": int(((lookup["lsoa_vintage"] == v) & (lookup["method"] == m)).sum())
        for v in (2011, 2021)
        for m in ("centroid_in_ward", "nearest_ward")
    }
    return lookup, counts


# --------------------------------------------------------------------------- sample


def copy_sample(shared: Path, out_dir: Path) -> list[dict[str, Any]]:
    """Gzip the police.uk files into data.police.uk archive layout; return a manifest."""
    sources = sorted(
        [
            *(shared / "police_uk_kent_street").glob("*/*.csv"),
            *(shared / "police_uk_lincolnshire_street").glob("*.csv"),
            *(shared / "police_uk_lincolnshire_outcomes").glob("*.csv"),
        ],
        key=lambda p: p.name,
    )
    target_root = out_dir / "police_uk"
    if target_root.exists():
        shutil.rmtree(target_root)
    manifest: list[dict[str, Any]] = []
    for src in sources:
        match = MONTH_FILE.match(src.name)
        if match is None:
            raise ValueError(f"unexpected police.uk file name: {src}")
        month = match.group(1)
        data = src.read_bytes()
        target = target_root / month / f"{src.name}.gz"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(gzip_bytes(data))
        rows = len(data.splitlines()) - 1
        manifest.append(
            {
                "path": target.relative_to(out_dir).as_posix(),
                "month": month,
                "force": match.group(2),
                "kind": match.group(3),
                "rows": rows,
                "bytes": len(data),
                "gz_bytes": target.stat().st_size,
            }
        )
    return manifest


def write_sample_md(manifest: list[dict[str, Any]], path: Path) -> None:
    """Write SAMPLE.md: what the sample holds, where it came from and its licence."""
    lines = [
        "# police.uk sample",
        "",
        "Real data.police.uk street-level crime files, in the data.police.uk archive layout",
        "(`police_uk/YYYY-MM/YYYY-MM-<force>-<kind>.csv.gz`). Each `.csv.gz` decompresses to",
        "a byte-for-byte copy of the file published by data.police.uk (gzip, `mtime` 0).",
        "",
        "- Kent Police street files: 2024-01 to 2024-04 and 2025-01 to 2025-12 (two",
        "  non-contiguous blocks; 2021 LSOA codes).",
        "- Lincolnshire Police street and outcomes files: 2017-02 to 2020-01 (36",
        "  consecutive months; 2011 LSOA codes).",
        "",
        "Contains public sector information licensed under the Open Government Licence v3.0.",
        "",
        "See `../ATTRIBUTION.md` for the repositories the files were taken from and caveats",
        "(window-truncated outcomes, a Lincolnshire ASB recording break in 2018-10).",
        "",
        "| file | rows | bytes | gzipped bytes |",
        "|---|---:|---:|---:|",
    ]
    for item in manifest:
        lines.append(
            f"| `{item['path']}` | {item['rows']:,} | {item['bytes']:,} | {item['gz_bytes']:,} |"
        )
    totals: dict[tuple[str, str], int] = {}
    for item in manifest:
        key = (item["force"], item["kind"])
        totals[key] = totals.get(key, 0) + int(item["rows"])
    lines += ["", "| force | kind | files | rows |", "|---|---|---:|---:|"]
    for (force, kind), rows in sorted(totals.items()):
        files = sum(1 for m in manifest if m["force"] == force and m["kind"] == kind)
        lines.append(f"| {force} | {kind} | {files} | {rows:,} |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- main


def build(shared: Path, out: Path) -> dict[str, Any]:
    """Build every reference file from ``shared`` into ``out``; return a summary."""
    data_dir = out / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    la_codes = read_la_codes(shared)
    imd19, imd25 = read_imd_file1(shared)

    lsoa_district = build_lsoa_district(imd19, imd25, la_codes)
    write_parquet(lsoa_district, data_dir / "lsoa_district.parquet")
    districts = build_districts(shared, la_codes)
    write_parquet(districts, data_dir / "districts.parquet")
    population, coverage = build_population(shared, la_codes, lsoa_district, districts)
    write_parquet(population, data_dir / "population.parquet")

    write_parquet(build_lsoa_centroids(shared), data_dir / "lsoa_centroids.parquet")
    write_parquet(build_imd_lsoa(imd19, imd25), data_dir / "imd_lsoa.parquet")
    write_parquet(build_imd_district(shared, la_codes), data_dir / "imd_district.parquet")
    write_csv(build_harm_weights(shared), data_dir / "harm_weights.csv")

    lsoa_ward, ward_counts = build_boundaries_and_wards(
        shared, la_codes, lsoa_district, data_dir / "boundaries"
    )
    write_parquet(lsoa_ward, data_dir / "lsoa_ward.parquet")

    manifest = copy_sample(shared, out / "sample")
    write_sample_md(manifest, out / "sample" / "SAMPLE.md")

    return {
        "population_coverage": coverage,
        "boundaries_and_wards": ward_counts,
        "sample_files": len(manifest),
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder")
    parser.add_argument(
        "--out", type=Path, default=REFERENCE_DIR, help="output folder (default: the package's)"
    )
    args = parser.parse_args(argv)
    summary = build(args.shared.resolve(), args.out.resolve())
    print(json.dumps(summary, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
