"""Build the Census 2021 / mid-2021 denominators shipped with cspkit.

Writes ``src/cspkit/reference/data/population_census2021.parquet`` (columns area_code,
area_type, lsoa_vintage, year, persons, households, adults, source), the same shape as
``population.parquet``, so every rate can name a 2021 base:

* districts of England and Wales: persons (Census 2021 TS007A, usual residents), households
  (TS054, all households) and adults 18+ (ONS mid-2021 estimates by single year of age, sheet
  "MYE2 - Persons": the sum of ages 18 to 90+);
* LSOAs 2021 of England and Wales: persons (TS007A) and households (TS054). Census counts are
  perturbed for each geography, so LSOA sums differ slightly from district totals; district
  rates use the district figures. Adults are not published for LSOAs by single year of age
  and are left empty rather than estimated.

Sources (OGL v3.0): Census 2021 bulk tables from Nomis, and the ONS mid-2021 population
estimates. Usage::

    python scripts/build_census2021.py SHARED_DATA_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "src" / "cspkit" / "reference" / "data"
OUT_NAME = "population_census2021.parquet"
YEAR = 2021
LSOA_VINTAGE = 2021
ADULT_AGE = 18
TOP_AGE_LABEL = "90+"
PERSONS_COLUMN = "Age: Total"
HOUSEHOLDS_COLUMN = "Tenure of household: Total: All households"
MYE_SHEET = "MYE2 - Persons"
MYE_HEADER_ROW = 7
ENGLAND_WALES = ("E", "W")
SOURCE_PERSONS = "ONS Census 2021 TS007A usual residents (Nomis; OGL v3.0)"
SOURCE_HOUSEHOLDS = "ONS Census 2021 TS054 households (Nomis; OGL v3.0)"
SOURCE_ADULTS = "ONS mid-2021 population estimates MYE2, ages 18+ (OGL v3.0)"


def _census(folder: Path, table: str, level: str, column: str) -> pd.Series:
    frame = pd.read_csv(folder / f"census2021-{table}-{level}.csv", encoding="utf-8")
    frame = frame[frame["geography code"].str[0].isin(ENGLAND_WALES)]
    return frame.set_index("geography code")[column].astype("int64")


def _adults(path: Path) -> pd.Series:
    """District code -> residents aged 18 and over, mid-2021."""
    frame = pd.read_excel(path, sheet_name=MYE_SHEET, header=MYE_HEADER_ROW)
    frame = frame[frame["Code"].astype(str).str[0].isin(ENGLAND_WALES)]
    ages = [c for c in frame.columns if _age(c) is not None and (_age(c) or 0) >= ADULT_AGE]
    if not any(str(c).strip() == TOP_AGE_LABEL or _age(c) == 90 for c in ages):
        raise ValueError(f"{path.name}: no 90+ column among {list(frame.columns)[:8]}...")
    return frame.set_index("Code")[ages].sum(axis=1).astype("int64")


def _age(column: object) -> int | None:
    text = str(column).strip().rstrip("+")
    try:
        return int(float(text))
    except ValueError:
        return None


def build(shared: Path) -> pd.DataFrame:
    """The denominators as one frame (districts first, then LSOAs)."""
    census = shared / "population_census2021"
    persons = _census(census, "ts007a", "ltla", PERSONS_COLUMN)
    households = _census(census, "ts054", "ltla", HOUSEHOLDS_COLUMN)
    adults = _adults(
        shared / "population_mye2021" / "ukpopestimatesmid2021on2021geographyfinal.xls"
    )
    missing = sorted(set(persons.index) - set(adults.index))
    if missing:
        raise ValueError(f"no mid-2021 adults for districts {missing}")
    districts = pd.DataFrame(
        {
            "area_code": persons.index,
            "area_type": "lad",
            "lsoa_vintage": pd.array([None] * len(persons), dtype="Int16"),
            "year": YEAR,
            "persons": persons.to_numpy(dtype=float),
            "households": households.reindex(persons.index).to_numpy(dtype=float),
            "adults": adults.reindex(persons.index).to_numpy(dtype=float),
            "source": f"{SOURCE_PERSONS}; {SOURCE_HOUSEHOLDS}; {SOURCE_ADULTS}",
        }
    )
    lsoa_persons = _census(census, "ts007a", "lsoa", PERSONS_COLUMN)
    lsoa_households = _census(census, "ts054", "lsoa", HOUSEHOLDS_COLUMN)
    lsoas = pd.DataFrame(
        {
            "area_code": lsoa_persons.index,
            "area_type": "lsoa",
            "lsoa_vintage": pd.array([LSOA_VINTAGE] * len(lsoa_persons), dtype="Int16"),
            "year": YEAR,
            "persons": lsoa_persons.to_numpy(dtype=float),
            "households": lsoa_households.reindex(lsoa_persons.index).to_numpy(dtype=float),
            "adults": float("nan"),
            "source": f"{SOURCE_PERSONS}; {SOURCE_HOUSEHOLDS}",
        }
    )
    frame = pd.concat([districts, lsoas], ignore_index=True)
    frame["year"] = frame["year"].astype("int16")
    return frame


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    frame = build(Path(argv[0]))
    OUT.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(OUT / OUT_NAME, index=False, compression="zstd")
    counts = frame.groupby("area_type").size().to_dict()
    print(f"wrote {OUT / OUT_NAME}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
