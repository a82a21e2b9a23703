"""The warehouse schema, created and upgraded by ordered migrations.

Each migration is applied once, in order, and recorded in ``schema_migrations``. A migration
is never edited after release: a change to the schema is a new migration at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from cspkit.warehouse import boundaries, national_tables, reference_tables
from cspkit.warehouse.transaction import transaction


@dataclass(frozen=True)
class Migration:
    """One schema step: a version number, a description and SQL or a function."""

    version: int
    description: str
    apply: str | Callable[[duckdb.DuckDBPyConnection], None]


_CORE_TABLES = """
CREATE TABLE sources (
    source_id INTEGER PRIMARY KEY,
    kind VARCHAR NOT NULL,            -- street, outcomes, stop-and-search, indicators, population
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    force_slug VARCHAR,
    month DATE,
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    rows_unassigned BIGINT NOT NULL DEFAULT 0,
    loaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    replaced_by INTEGER                -- set when a later load of the same data replaced it
);
CREATE SEQUENCE source_ids START 1;

CREATE TABLE crimes (
    source_id INTEGER NOT NULL,
    crime_id VARCHAR,
    month DATE NOT NULL,
    force VARCHAR NOT NULL,            -- 'Falls within'
    reported_by VARCHAR,
    force_slug VARCHAR NOT NULL,
    longitude DOUBLE,
    latitude DOUBLE,
    location VARCHAR,
    lsoa_code VARCHAR,
    lsoa_name VARCHAR,
    category VARCHAR NOT NULL,
    last_outcome VARCHAR,
    context VARCHAR,
    lad_code VARCHAR,                  -- district / CSP; NULL = unassigned (kept, counted)
    lad_method VARCHAR                 -- 'code', 'name' or NULL
);

CREATE TABLE outcomes (
    source_id INTEGER NOT NULL,
    crime_id VARCHAR,
    month DATE NOT NULL,               -- the month of the outcome
    force VARCHAR NOT NULL,
    reported_by VARCHAR,
    force_slug VARCHAR NOT NULL,
    longitude DOUBLE,
    latitude DOUBLE,
    location VARCHAR,
    lsoa_code VARCHAR,
    lsoa_name VARCHAR,
    outcome_type VARCHAR NOT NULL,
    lad_code VARCHAR,
    lad_method VARCHAR
);

CREATE TABLE stop_search (
    source_id INTEGER NOT NULL,
    force_slug VARCHAR NOT NULL,
    month DATE NOT NULL,
    search_type VARCHAR,
    occurred_at TIMESTAMPTZ,
    part_of_operation BOOLEAN,
    operation_name VARCHAR,
    latitude DOUBLE,
    longitude DOUBLE,
    gender VARCHAR,
    age_range VARCHAR,
    self_defined_ethnicity VARCHAR,
    officer_defined_ethnicity VARCHAR,
    legislation VARCHAR,
    object_of_search VARCHAR,
    outcome VARCHAR,
    outcome_linked_to_object BOOLEAN,
    removal_of_clothing BOOLEAN
);

CREATE TABLE quarantine (
    source_id INTEGER NOT NULL,
    file_name VARCHAR NOT NULL,
    line BIGINT NOT NULL,              -- line number in the file (header = line 1)
    reason VARCHAR NOT NULL,
    record VARCHAR NOT NULL            -- the row as read, for correction
);

CREATE TABLE indicator_registry (
    indicator_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,             -- count, percent, rate
    polarity VARCHAR NOT NULL,         -- higher-is-worse, higher-is-better, neutral
    denominator_basis VARCHAR NOT NULL,-- persons, households, adults-18-plus, none
    source_agency VARCHAR NOT NULL,
    description VARCHAR NOT NULL DEFAULT ''
);

CREATE TABLE indicators (
    source_id INTEGER NOT NULL,
    indicator_id VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    value DOUBLE NOT NULL,
    denominator DOUBLE
);

CREATE TABLE population (
    area_code VARCHAR NOT NULL,
    area_type VARCHAR NOT NULL,        -- lad, lsoa, ward
    lsoa_vintage SMALLINT,
    year SMALLINT NOT NULL,
    persons DOUBLE,
    households DOUBLE,
    adults DOUBLE,
    source VARCHAR NOT NULL,
    user_supplied BOOLEAN NOT NULL DEFAULT false
);
"""


def _register_police_categories(con: duckdb.DuckDBPyConnection) -> None:
    from cspkit.warehouse.registry import police_indicators

    for ind in police_indicators():
        con.execute(
            "INSERT INTO indicator_registry VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                ind.id,
                ind.name,
                ind.unit,
                ind.polarity.value,
                ind.denominator_basis,
                ind.source,
                ind.description,
            ],
        )


_EVIDENCE_TABLES = """
CREATE TABLE road_casualties (
    source_id INTEGER NOT NULL,
    collision_ref VARCHAR NOT NULL,
    collision_date DATE NOT NULL,
    lad_code VARCHAR,                  -- NULL = no district found (kept, counted)
    lad_method VARCHAR,                -- 'code', 'name', 'coordinates' or NULL
    severity VARCHAR NOT NULL,         -- fatal, serious, slight
    road_user VARCHAR NOT NULL,        -- pedestrian, cyclist, powered-two-wheeler, car, other
    casualty_class VARCHAR,            -- driver, passenger, pedestrian; NULL when not given
    age_low SMALLINT,                  -- the age, or the band's limits; NULL when unknown
    age_high SMALLINT,
    sex VARCHAR,
    longitude DOUBLE,
    latitude DOUBLE
);

CREATE TABLE survey_questions (
    source_id INTEGER NOT NULL,
    lad_code VARCHAR NOT NULL,         -- the district the survey covers
    wave VARCHAR NOT NULL,
    question_id VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,             -- single, multi (ranked choices), places (free text)
    positive VARCHAR[],
    note VARCHAR NOT NULL DEFAULT ''   -- e.g. that a wave is illustrative
);

CREATE TABLE survey_answers (
    source_id INTEGER NOT NULL,
    lad_code VARCHAR NOT NULL,
    wave VARCHAR NOT NULL,
    respondent INTEGER NOT NULL,
    area VARCHAR,                      -- the respondent's ward or district, as given
    weight DOUBLE NOT NULL,
    question_id VARCHAR NOT NULL,
    answer VARCHAR NOT NULL            -- one chosen option or counted place per row
);

CREATE TABLE survey_published (
    source_id INTEGER NOT NULL,
    lad_code VARCHAR NOT NULL,
    wave VARCHAR NOT NULL,
    area VARCHAR NOT NULL,             -- the district, or a ward's name or code
    question_id VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    percent DOUBLE NOT NULL,
    base INTEGER NOT NULL,
    note VARCHAR NOT NULL DEFAULT ''
);
"""


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "core tables", _CORE_TABLES),
    Migration(2, "reference tables from the shipped data", reference_tables.create),
    Migration(3, "police.uk categories as registered indicators", _register_police_categories),
    Migration(4, "Welsh LSOAs (2021) in the LSOA lookup", national_tables.add_welsh_lsoas),
    Migration(5, "boundaries loaded or fetched by the user", boundaries.TABLE_SQL),
    Migration(6, "road casualty records and resident surveys", _EVIDENCE_TABLES),
)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest migration applied to this warehouse (0 for an empty one)."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)"
    )
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every pending migration in order, each in its own transaction; return the version."""
    version = current_version(con)
    for migration in MIGRATIONS:
        if migration.version <= version:
            continue
        with transaction(con):
            if isinstance(migration.apply, str):
                con.execute(migration.apply)
            else:
                migration.apply(con)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, current_timestamp)",
                [migration.version, migration.description],
            )
        version = migration.version
    return version
