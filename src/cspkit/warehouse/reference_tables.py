"""Reference tables copied into a new warehouse from the data shipped with cspkit.

Geography (LSOA -> district, LSOA -> ward), district names, populations and deprivation are
read from the package's compact Parquet files, so the warehouse answers every query on its own.
"""

from __future__ import annotations

import duckdb

from cspkit.reference import data_path

#: warehouse table -> shipped file
REFERENCE_FILES: dict[str, str] = {
    "lsoa_lookup": "lsoa_district.parquet",
    "districts": "districts.parquet",
    "lsoa_ward": "lsoa_ward.parquet",
    "imd_lsoa": "imd_lsoa.parquet",
    "imd_district": "imd_district.parquet",
}

_VIEWS = """
CREATE VIEW district_force AS
-- A district belongs to the force whose records reach at least half of its LSOAs (most
-- forces also publish a few records in neighbouring districts, which must not make those
-- districts its peers); among such forces, the one with most records.
WITH per_force AS (
    SELECT c.lad_code, c.force, c.force_slug, count(*) AS n,
           count(DISTINCT c.lsoa_code) AS lsoas_reached
    FROM crimes c WHERE c.lad_code IS NOT NULL GROUP BY ALL
), lsoas AS (
    SELECT lad_code, count(DISTINCT lsoa_code) AS lsoas FROM lsoa_lookup GROUP BY lad_code
)
SELECT p.lad_code, arg_max(p.force, p.n) AS force, arg_max(p.force_slug, p.n) AS force_slug,
       max(p.n) AS records
FROM per_force p JOIN lsoas l USING (lad_code)
WHERE p.lsoas_reached >= 0.5 * l.lsoas
GROUP BY p.lad_code;

CREATE VIEW areas AS
SELECT lad_code AS area_code, 'district' AS area_type, lad_name AS name,
       NULL::SMALLINT AS vintage, NULL AS parent_code
FROM districts
UNION ALL
SELECT lsoa_code, 'lsoa', lsoa_name, vintage, lad_code FROM lsoa_lookup
UNION ALL
SELECT DISTINCT ward_code, 'ward', ward_name, ward_vintage, lad_code FROM lsoa_ward;
"""

AREA_VIEWS = _VIEWS
"""The views derived from the records and lookups (recreated over other sources of them)."""


def create(con: duckdb.DuckDBPyConnection) -> None:
    """Create and fill the reference tables, shipped populations and the area views."""
    for table, file_name in REFERENCE_FILES.items():
        con.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_parquet(?)", [str(data_path(file_name))]
        )
    con.execute(
        "INSERT INTO population "
        "SELECT area_code, area_type, lsoa_vintage, year, persons, households, adults, source, "
        "false FROM read_parquet(?)",
        [str(data_path("population.parquet"))],
    )
    con.execute(  # Census 2021 / mid-2021 denominators (scripts/build_census2021.py)
        "INSERT INTO population "
        "SELECT area_code, area_type, lsoa_vintage, year, persons, households, adults, source, "
        "false FROM read_parquet(?)",
        [str(data_path("population_census2021.parquet"))],
    )
    con.execute(_VIEWS)
