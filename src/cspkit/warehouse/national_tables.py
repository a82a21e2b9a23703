"""Reference rows that make the warehouse national: the Welsh LSOAs (2021) and their districts.

England's LSOAs come with the deprivation files; Wales's are built from the Census 2021 LSOA
names by ``scripts/build_national.py``. With them every Welsh district has LSOAs, so it has a
force (``district_force``), peers and hotspot areas like any English district.
"""

from __future__ import annotations

import duckdb

from cspkit.reference import data_path

WELSH_LSOAS = "lsoa_district_wales.parquet"


def add_welsh_lsoas(con: duckdb.DuckDBPyConnection) -> None:
    """Insert the Welsh 2021 LSOAs the lookup does not already hold."""
    con.execute(
        "INSERT INTO lsoa_lookup BY NAME SELECT * FROM read_parquet(?) w "
        "WHERE NOT EXISTS (SELECT 1 FROM lsoa_lookup l "
        "WHERE l.lsoa_code = w.lsoa_code AND l.vintage = w.vintage)",
        [str(data_path(WELSH_LSOAS))],
    )
