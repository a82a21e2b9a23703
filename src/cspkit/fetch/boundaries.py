"""Fetching one district's LSOA 2021 and ward boundaries from the ONS Open Geography Portal.

The portal's feature services answer ArcGIS REST queries
(``<service>/FeatureServer/0/query?where=...&outFields=...&outSR=4326&f=geojson``). The
district's LSOA codes come from the warehouse's lookup and its ward codes from the shipped
ward -> district lookup (December 2023), so the query asks for exactly those codes, in batches
(long URLs are refused) and at most 15 requests a second. The answers are checked like a file
given to ``cspkit ingest boundaries`` and stored in the warehouse in one transaction.

Example::

    fetch_boundaries(Path("cspkit.duckdb"), "Cardiff")
"""

from __future__ import annotations

import json
import tempfile
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from cspkit.errors import InputError
from cspkit.fetch.http import Fetcher, FetchError, UrllibClient
from cspkit.reference import read_table

DEFAULT_BASE_URL = "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services"
LSOA_SERVICE = "Lower_layer_Super_Output_Areas_December_2021_Boundaries_EW_BGC_V5"
WARD_SERVICE = "Wards_December_2023_Boundaries_UK_BGC"
QUERY_PATH = "/{service}/FeatureServer/0/query"
LSOA_FIELDS = ("LSOA21CD", "LSOA21NM")
WARD_FIELDS = ("WD23CD", "WD23NM")
BATCH = 100
"""Codes per query (the portal refuses very long URLs)."""
WARD_TABLE = "ward_district_2023.parquet"
LSOA_VINTAGE = 2021


@dataclass(frozen=True)
class BoundaryFetch:
    """What was fetched and stored for a district."""

    district: str
    lsoas: int
    wards: int
    missing: tuple[str, ...]

    def lines(self) -> list[str]:
        out = [f"{self.district}: {self.lsoas:,} LSOA (2021) and {self.wards:,} ward boundaries"]
        if self.missing:
            out.append("not found in the feature service: " + ", ".join(self.missing))
        return out


def query_url(
    base_url: str, service: str, field: str, codes: Sequence[str], fields: Sequence[str]
) -> str:
    where = f"{field} IN ({', '.join(repr(c) for c in codes)})"
    params = {"where": where, "outFields": ",".join(fields), "outSR": "4326", "f": "geojson"}
    return (
        base_url.rstrip("/")
        + QUERY_PATH.format(service=service)
        + "?"
        + urllib.parse.urlencode(params)
    )


def fetch_features(
    fetcher: Fetcher, base_url: str, service: str, fields: Sequence[str], codes: Sequence[str]
) -> list[dict[str, Any]]:
    """Every feature with one of ``codes``, queried in batches."""
    features: list[dict[str, Any]] = []
    for start in range(0, len(codes), BATCH):
        batch = codes[start : start + BATCH]
        answer = fetcher.get_json(query_url(base_url, service, fields[0], batch, fields))
        if not isinstance(answer, dict) or "features" not in answer:
            error = answer.get("error") if isinstance(answer, dict) else None
            raise FetchError(f"{service}: the feature service answered without features ({error})")
        features.extend(answer["features"])
    return features


def _district(db: Path, area: str) -> tuple[str, str, list[str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            "SELECT lad_code, lad_name FROM districts WHERE upper(lad_code) = upper(?) "
            "OR lower(lad_name) = lower(?)",
            [area.strip(), area.strip()],
        ).fetchone()
        if row is None:
            raise InputError(f"no district called {area!r}")
        lsoas = [
            str(r[0])
            for r in con.execute(
                "SELECT lsoa_code FROM lsoa_lookup WHERE lad_code = ? AND vintage = ? "
                "ORDER BY lsoa_code",
                [row[0], LSOA_VINTAGE],
            ).fetchall()
        ]
    finally:
        con.close()
    return str(row[0]), str(row[1]), lsoas


def fetch_boundaries(
    db: Path,
    area: str,
    *,
    base_url: str = DEFAULT_BASE_URL,
    fetcher: Fetcher | None = None,
) -> BoundaryFetch:
    """Fetch and store the LSOA (2021) and ward (2023) boundaries of one district."""
    from cspkit.ingest.boundaries import load_boundaries

    if not db.exists():
        raise FetchError(f"no warehouse at {db}: load police.uk data first")
    fetcher = fetcher or Fetcher(UrllibClient())
    code, name, lsoas = _district(db, area)
    wards_table = read_table(WARD_TABLE)
    wards = sorted(str(w) for w in wards_table.loc[wards_table["lad_code"] == code, "ward_code"])
    found: dict[str, int] = {}
    missing: list[str] = []
    with tempfile.TemporaryDirectory(prefix="cspkit-boundaries-") as tmp:
        for level, service, fields, codes in (
            ("lsoa", LSOA_SERVICE, LSOA_FIELDS, lsoas),
            ("ward", WARD_SERVICE, WARD_FIELDS, wards),
        ):
            features = fetch_features(fetcher, base_url, service, fields, codes)
            got = {str(f.get("properties", {}).get(fields[0])) for f in features}
            missing.extend(sorted(set(codes) - got))
            if not features:
                found[level] = 0
                continue
            for feature in features:  # the district is known: no need to place features
                feature.setdefault("properties", {})["lad_code"] = code
            path = Path(tmp) / f"{level}.geojson"
            path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
            found[level] = load_boundaries(db, path, level).features
    return BoundaryFetch(name, found["lsoa"], found["ward"], tuple(missing))
