"""Loading a road-safety team's casualty records and deriving the road-safety indicators.

Two casualty-level layouts are read (CSV, plain or .gz), one row per casualty:

* the Department for Transport STATS19 casualty layout (``collision_index`` or
  ``accident_index``, ``casualty_class``, ``casualty_severity``, ``casualty_type``,
  ``age_of_casualty``, ``sex_of_casualty``), with the collision's ``date`` and either
  ``local_authority_ons_district`` or ``longitude``/``latitude`` in the same file or in the
  STATS19 collision file given as ``collisions``;
* the extract layout used by Greater Manchester's open data (``AREFNO``, ``date``, ``mode``,
  ``casualty_severity``, ``ageband``, ``area_name``, ``lon``, ``lat``).

Each casualty is placed in a district by ONS code, else by district name, else by the nearest
LSOA centroid to its coordinates; a casualty with none of these is kept and counted as without
a district. From the records, monthly counts per district are written as registered indicators
(all casualties; killed or seriously injured (KSI) in total, under 16, car drivers 17-24,
65 and over, pedestrians, cyclists and powered two-wheeler riders), so every report statistic
(change, rate, rank, SPC) serves them. Loading records for a district and month again replaces
the earlier ones. One bad row stops the load with its row, column and value; nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from cspkit.errors import InputError
from cspkit.ingest.files import sha256_of
from cspkit.ingest.tabular import NOTHING_WRITTEN, next_source_id
from cspkit.reference import data_path
from cspkit.warehouse.transaction import transaction

SOURCE_KIND = "road-casualties"
SOURCE_AGENCY = "Road safety partnership (STATS19 casualty records)"
#: Largest distance (degrees) from a casualty to an LSOA centroid searched for its district.
NEAREST_SEARCH_DEGREES = 0.05
#: An age band counts towards an age group when the middle of the band lies in the group.
AGE_BAND_RULE = "an age band is counted when its middle age is in the range"

GM_COLUMNS = ("AREFNO", "date", "mode", "casualty_severity", "ageband", "area_name", "lon", "lat")
DFT_COLUMNS = (
    "casualty_class",
    "casualty_severity",
    "casualty_type",
    "age_of_casualty",
    "sex_of_casualty",
)
DFT_INDEX = ("collision_index", "accident_index")

SEVERITY_CODES = {"1": "fatal", "2": "serious", "3": "slight"}
SEVERITY_WORDS = {"fatal": "fatal", "serious": "serious", "slight": "slight"}
CLASS_CODES = {"1": "driver", "2": "passenger", "3": "pedestrian"}
#: STATS19 casualty_type codes -> road user group (others: "other").
DFT_ROAD_USER = {
    "0": "pedestrian",
    "1": "cyclist",
    "2": "powered-two-wheeler",
    "3": "powered-two-wheeler",
    "4": "powered-two-wheeler",
    "5": "powered-two-wheeler",
    "23": "powered-two-wheeler",
    "97": "powered-two-wheeler",
    "9": "car",
}
GM_ROAD_USER = {
    "pedestrian": "pedestrian",
    "pedal cycle": "cyclist",
    "powered 2 wheeler": "powered-two-wheeler",
    "car": "car",
}
GM_KNOWN_MODES = frozenset(
    {*GM_ROAD_USER, "goods vehicle", "taxi or private hire", "other vehicle", "bus or coach"}
    | {"tram", "agricultural vehicle", "ridden horse", "mobility scooter"}
)
OVER_75 = (76, 100)


@dataclass(frozen=True)
class RoadIndicator:
    """A derived road-safety indicator: id, name and the SQL condition on a casualty row."""

    id: str
    name: str
    condition: str
    description: str


_KSI = "severity IN ('fatal', 'serious')"
_MID_AGE = "(age_low + coalesce(age_high, age_low)) / 2.0"
ROAD_INDICATORS: tuple[RoadIndicator, ...] = (
    RoadIndicator("road-casualties", "Road casualties (all severities)", "true", "every casualty"),
    RoadIndicator(
        "road-ksi", "Road casualties killed or seriously injured (KSI)", _KSI, "all ages"
    ),
    RoadIndicator(
        "road-ksi-under-16",
        "KSI road casualties aged under 16",
        f"{_KSI} AND {_MID_AGE} < 16",
        f"aged 0-15 ({AGE_BAND_RULE})",
    ),
    RoadIndicator(
        "road-ksi-car-drivers-17-24",
        "KSI car drivers aged 17-24",
        f"{_KSI} AND road_user = 'car' AND coalesce(casualty_class, 'driver') = 'driver' "
        f"AND {_MID_AGE} >= 17 AND {_MID_AGE} < 25",
        "car drivers aged 17-24; where the records give no casualty class (driver or "
        f"passenger) every car occupant is counted, and {AGE_BAND_RULE} (e.g. 16-20, 21-25)",
    ),
    RoadIndicator(
        "road-ksi-65-plus",
        "KSI road casualties aged 65 and over",
        f"{_KSI} AND {_MID_AGE} >= 65",
        f"aged 65 and over ({AGE_BAND_RULE}, e.g. 66-75 and over 75)",
    ),
    RoadIndicator(
        "road-ksi-pedestrians", "KSI pedestrians", f"{_KSI} AND road_user = 'pedestrian'", ""
    ),
    RoadIndicator(
        "road-ksi-cyclists", "KSI pedal cyclists", f"{_KSI} AND road_user = 'cyclist'", ""
    ),
    RoadIndicator(
        "road-ksi-powered-two-wheelers",
        "KSI powered two-wheeler riders and passengers",
        f"{_KSI} AND road_user = 'powered-two-wheeler'",
        "",
    ),
)


@dataclass(frozen=True)
class RoadCasualtyLoadReport:
    """The outcome of one casualty-file load."""

    file: str
    layout: str
    source_id: int
    rows_read: int
    rows_loaded: int
    rows_unassigned: int
    by_method: tuple[tuple[str, int], ...]
    districts: tuple[str, ...]
    first_month: str
    last_month: str
    indicator_values: int


def _fail(file: str, row: int | None, column: str | None, message: str) -> InputError:
    return InputError(message, file=file, row=row, column=column, kept=NOTHING_WRITTEN)


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise _fail(path.name, None, None, f"cannot be read as CSV ({exc})") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _check_values(
    file: str, frame: pd.DataFrame, column: str, allowed: set[str], expected: str
) -> None:
    values = frame[column].str.strip().str.lower()
    bad = ~values.isin(allowed)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise _fail(file, i + 2, column, f"expected {expected}; found {frame[column].iloc[i]!r}")


def _dates(file: str, frame: pd.DataFrame, column: str) -> pd.Series:
    text = frame[column].str.strip()
    parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    other = parsed.isna()
    parsed[other] = pd.to_datetime(text[other], format="%d/%m/%Y", errors="coerce")
    if parsed.isna().any():
        i = int(parsed.isna().to_numpy().nonzero()[0][0])
        raise _fail(
            file,
            i + 2,
            column,
            f"expected a date (YYYY-MM-DD or DD/MM/YYYY); found {text.iloc[i]!r}",
        )
    return parsed.dt.date


def _coordinates(file: str, frame: pd.DataFrame, lon: str, lat: str) -> tuple[pd.Series, pd.Series]:
    out = []
    for column, limit in ((lon, 180.0), (lat, 90.0)):
        text = frame[column].str.strip().replace({"-1": "", "NULL": ""})
        number = pd.to_numeric(text, errors="coerce")
        bad = (text != "") & (number.isna() | (number.abs() > limit))
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise _fail(
                file, i + 2, column, f"expected a number or a blank; found {text.iloc[i]!r}"
            )
        out.append(number)
    return out[0], out[1]


def _gm_ages(file: str, bands: pd.Series) -> tuple[pd.Series, pd.Series]:
    low: list[float | None] = []
    high: list[float | None] = []
    for i, band in enumerate(bands.str.strip()):
        if band in ("-1", ""):
            low.append(None)
            high.append(None)
        elif band.lower() == "over 75":
            low.append(OVER_75[0])
            high.append(OVER_75[1])
        else:
            parts = band.split("-")
            if len(parts) != 2 or not all(p.isdigit() for p in parts):
                raise _fail(
                    file, i + 2, "ageband", f"expected an age band like 16-20; found {band!r}"
                )
            low.append(int(parts[0]))
            high.append(int(parts[1]))
    return pd.Series(low, dtype="Int64"), pd.Series(high, dtype="Int64")


def _read_gm(file: str, frame: pd.DataFrame) -> pd.DataFrame:
    _check_values(file, frame, "casualty_severity", set(SEVERITY_WORDS), "Fatal, Serious or Slight")
    _check_values(file, frame, "mode", set(GM_KNOWN_MODES), "a road user mode such as Car")
    low, high = _gm_ages(file, frame["ageband"])
    lon, lat = _coordinates(file, frame, "lon", "lat")
    modes = frame["mode"].str.strip().str.lower()
    return pd.DataFrame(
        {
            "collision_ref": frame["AREFNO"].str.strip(),
            "collision_date": _dates(file, frame, "date"),
            "area_text": frame["area_name"].str.strip(),
            "severity": frame["casualty_severity"].str.strip().str.lower(),
            "road_user": modes.map(GM_ROAD_USER).fillna("other"),
            "casualty_class": modes.map({"pedestrian": "pedestrian"}),
            "age_low": low,
            "age_high": high,
            "sex": frame.get("sex", pd.Series([""] * len(frame))).replace({"-1": ""}),
            "longitude": lon,
            "latitude": lat,
        }
    )


def _read_dft(file: str, frame: pd.DataFrame, collisions: Path | None) -> pd.DataFrame:
    index = next(c for c in DFT_INDEX if c in frame.columns)
    if collisions is not None:
        extra = _read_csv(collisions)
        key = next((c for c in DFT_INDEX if c in extra.columns), None)
        if key is None:
            raise _fail(collisions.name, 1, None, f"expected a column {DFT_INDEX[0]!r}")
        wanted = [c for c in ("date", "longitude", "latitude", "local_authority_ons_district")]
        extra = extra[[key, *[c for c in wanted if c in extra.columns]]].drop_duplicates(key)
        frame = frame.drop(columns=[c for c in wanted if c in frame.columns]).merge(
            extra, left_on=index, right_on=key, how="left", suffixes=("", "_collision")
        )
        missing = frame["date"].isna() if "date" in frame.columns else None
        if missing is not None and missing.any():
            i = int(missing.to_numpy().nonzero()[0][0])
            raise _fail(
                file,
                i + 2,
                index,
                f"collision {frame[index].iloc[i]!r} is not in {collisions.name}",
            )
        frame = frame.fillna("")
    if "date" not in frame.columns:
        raise _fail(file, 1, "date", "expected the collision date in the file or a collisions file")
    _check_values(file, frame, "casualty_severity", set(SEVERITY_CODES), "1, 2 or 3")
    _check_values(file, frame, "casualty_class", set(CLASS_CODES), "1, 2 or 3")
    ages = pd.to_numeric(frame["age_of_casualty"].str.strip(), errors="coerce")
    bad = ages.isna() | (ages < -1) | (ages > 120)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise _fail(
            file,
            i + 2,
            "age_of_casualty",
            f"expected an age 0-120 or -1; found {frame['age_of_casualty'].iloc[i]!r}",
        )
    age = ages.where(ages >= 0).astype("Int64")
    has_xy = {"longitude", "latitude"} <= set(frame.columns)
    lon, lat = (
        _coordinates(file, frame, "longitude", "latitude")
        if has_xy
        else (pd.Series([None] * len(frame), dtype=float),) * 2
    )
    district = frame.get("local_authority_ons_district", pd.Series([""] * len(frame)))
    return pd.DataFrame(
        {
            "collision_ref": frame[index].str.strip(),
            "collision_date": _dates(file, frame, "date"),
            "area_text": district.str.strip(),
            "severity": frame["casualty_severity"].str.strip().map(SEVERITY_CODES),
            "road_user": frame["casualty_type"].str.strip().map(DFT_ROAD_USER).fillna("other"),
            "casualty_class": frame["casualty_class"].str.strip().map(CLASS_CODES),
            "age_low": age,
            "age_high": age,
            "sex": frame["sex_of_casualty"].str.strip().map({"1": "Male", "2": "Female"}),
            "longitude": lon,
            "latitude": lat,
        }
    )


def read_casualties(path: Path, collisions: Path | None = None) -> tuple[str, pd.DataFrame]:
    """Read and check a casualty file: (layout name, one row per casualty)."""
    frame = _read_csv(path)
    columns = set(frame.columns)
    if set(GM_COLUMNS) <= columns:
        return "Greater Manchester open data extract", _read_gm(path.name, frame)
    if set(DFT_COLUMNS) <= columns and columns & set(DFT_INDEX):
        return "DfT STATS19 casualty", _read_dft(path.name, frame, collisions)
    missing = [c for c in DFT_COLUMNS if c not in columns]
    raise _fail(
        path.name,
        1,
        None,
        "not a casualty file: expected the STATS19 casualty columns (collision_index, "
        f"{', '.join(DFT_COLUMNS)}) or the extract columns ({', '.join(GM_COLUMNS)}); "
        f"missing {', '.join(missing)}",
    )


_ASSIGN_SQL = f"""
CREATE TEMP TABLE _rc AS
WITH centroids AS (
    SELECT c.lsoa_code, c.latitude AS clat, c.longitude AS clon, l.lad_code
    FROM read_parquet(?) c JOIN lsoa_lookup l USING (lsoa_code)
), nearest AS (
    SELECT r.rid, arg_min(c.lad_code,
        (r.latitude - c.clat) ^ 2 + ((r.longitude - c.clon) * cos(radians(r.latitude))) ^ 2
    ) AS lad_code
    FROM _rc_in r JOIN centroids c
      ON c.clat BETWEEN r.latitude - {NEAREST_SEARCH_DEGREES}
                    AND r.latitude + {NEAREST_SEARCH_DEGREES}
     AND c.clon BETWEEN r.longitude - {NEAREST_SEARCH_DEGREES} * 2
                    AND r.longitude + {NEAREST_SEARCH_DEGREES} * 2
    WHERE r.latitude IS NOT NULL AND r.longitude IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM districts d
        WHERE upper(d.lad_code) = upper(r.area_text) OR lower(d.lad_name) = lower(r.area_text))
    GROUP BY r.rid
)
SELECT r.*, coalesce(bycode.lad_code, byname.lad_code, n.lad_code) AS lad_code,
       CASE WHEN bycode.lad_code IS NOT NULL THEN 'code'
            WHEN byname.lad_code IS NOT NULL THEN 'name'
            WHEN n.lad_code IS NOT NULL THEN 'coordinates' END AS lad_method
FROM _rc_in r
LEFT JOIN districts bycode ON upper(bycode.lad_code) = upper(r.area_text)
LEFT JOIN districts byname ON lower(byname.lad_name) = lower(r.area_text)
LEFT JOIN nearest n USING (rid)
"""


def _register(con: duckdb.DuckDBPyConnection) -> None:
    for ind in ROAD_INDICATORS:
        con.execute(
            "INSERT INTO indicator_registry VALUES (?, ?, 'count', 'higher-is-worse', 'persons', "
            "?, ?) ON CONFLICT DO NOTHING",
            [ind.id, ind.name, SOURCE_AGENCY, ind.description],
        )


def _derive(con: duckdb.DuckDBPyConnection, source_id: int) -> int:
    """Monthly counts per district and indicator, zero-filled over the file's months."""
    before = con.execute("SELECT count(*) FROM indicators").fetchone()
    for ind in ROAD_INDICATORS:
        con.execute(
            """
            DELETE FROM indicators WHERE indicator_id = ? AND (area_code, period_start) IN (
                SELECT DISTINCT lad_code, date_trunc('month', collision_date)::DATE FROM _rc
                WHERE lad_code IS NOT NULL)
            """,
            [ind.id],
        )
        con.execute(
            f"""
            INSERT INTO indicators
            WITH months AS (
                SELECT unnest(generate_series(min(date_trunc('month', collision_date)),
                                              max(date_trunc('month', collision_date)),
                                              INTERVAL 1 MONTH))::DATE AS m FROM _rc
            ), areas AS (SELECT DISTINCT lad_code FROM _rc WHERE lad_code IS NOT NULL)
            SELECT ?, ?, a.lad_code, m.m, (m.m + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE,
                   count(r.rid) FILTER (WHERE {ind.condition}), NULL
            FROM areas a CROSS JOIN months m
            LEFT JOIN _rc r ON r.lad_code = a.lad_code
                 AND date_trunc('month', r.collision_date) = m.m
            GROUP BY ALL
            """,
            [source_id, ind.id],
        )
    after = con.execute("SELECT count(*) FROM indicators").fetchone()
    assert before is not None and after is not None
    return int(after[0]) - int(before[0])


def load_road_casualties(
    con: duckdb.DuckDBPyConnection, path: Path | str, *, collisions: Path | str | None = None
) -> RoadCasualtyLoadReport:
    """Load a casualty file and derive the monthly road-safety indicators per district."""
    path = Path(path)
    layout, rows = read_casualties(path, Path(collisions) if collisions else None)
    if rows.empty:
        raise _fail(path.name, None, None, "holds no casualty rows")
    rows.insert(0, "rid", range(len(rows)))
    digest = sha256_of(path)
    with transaction(con):
        con.register("_rc_frame", rows)
        con.execute("CREATE OR REPLACE TEMP TABLE _rc_in AS SELECT * FROM _rc_frame")
        con.unregister("_rc_frame")
        con.execute("DROP TABLE IF EXISTS _rc")
        con.execute(_ASSIGN_SQL, [str(data_path("lsoa_centroids.parquet"))])
        source_id = next_source_id(con)
        unassigned = _scalar(con, "SELECT count(*) FROM _rc WHERE lad_code IS NULL")
        first, last = con.execute(
            "SELECT min(collision_date), max(collision_date) FROM _rc"
        ).fetchone() or (None, None)
        con.execute(
            "INSERT INTO sources (source_id, kind, file_name, sha256, month, rows_read, "
            "rows_loaded, rows_quarantined, rows_unassigned) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
            [source_id, SOURCE_KIND, path.name, digest, first, len(rows), len(rows), unassigned],
        )
        con.execute(
            """
            DELETE FROM road_casualties WHERE (lad_code, date_trunc('month', collision_date)) IN (
                SELECT DISTINCT lad_code, date_trunc('month', collision_date) FROM _rc)
            """
        )
        con.execute(
            "INSERT INTO road_casualties SELECT ?, collision_ref, collision_date, lad_code, "
            "lad_method, severity, road_user, casualty_class, age_low, age_high, "
            "nullif(sex, ''), longitude, latitude FROM _rc",
            [source_id],
        )
        _register(con)
        derived = _derive(con, source_id)
        methods = con.execute(
            "SELECT coalesce(lad_method, 'none'), count(*) FROM _rc GROUP BY 1 ORDER BY 1"
        ).fetchall()
        districts = con.execute(
            "SELECT DISTINCT d.lad_name FROM _rc JOIN districts d USING (lad_code) ORDER BY 1"
        ).fetchall()
        con.execute("DROP TABLE _rc")
        con.execute("DROP TABLE _rc_in")
    return RoadCasualtyLoadReport(
        file=path.name,
        layout=layout,
        source_id=source_id,
        rows_read=len(rows),
        rows_loaded=len(rows),
        rows_unassigned=unassigned,
        by_method=tuple((str(m), int(n)) for m, n in methods),
        districts=tuple(str(d) for (d,) in districts),
        first_month=f"{first:%Y-%m}",
        last_month=f"{last:%Y-%m}",
        indicator_values=derived,
    )


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0
