"""Build the compact Census 2021 population profile shipped for the context appendix.

Reads the Nomis bulk tables TS007A (age in five-year bands) and TS054 (households) for local
authority districts and writes ``src/cspkit/reference/data/census2021_profile.parquet`` with one
row per district and age band, and the district's households.

Usage: python scripts/build_context.py PATH/TO/population_census2021
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

OUT = (
    Path(__file__).resolve().parent.parent / "src/cspkit/reference/data/census2021_profile.parquet"
)
AGE_PREFIX = "Age: Aged "
HOUSEHOLDS = "Tenure of household: Total: All households"


def build(folder: Path) -> pd.DataFrame:
    ages = pd.read_csv(folder / "census2021-ts007a-ltla.csv")
    homes = pd.read_csv(folder / "census2021-ts054-ltla.csv")
    bands = [c for c in ages.columns if c.startswith(AGE_PREFIX)]
    long = ages.melt(
        id_vars=["geography code"], value_vars=bands, var_name="band", value_name="persons"
    )
    long["band"] = (
        long["band"].str.replace(AGE_PREFIX, "", regex=False).str.replace(" years", "", regex=False)
    )
    long["band_start"] = long["band"].map(lambda b: int(re.findall(r"\d+", b)[0]))
    long["band_start"] = long["band_start"].where(~long["band"].str.contains("and under"), 0)
    long = long.rename(columns={"geography code": "lad_code"})
    households = homes.rename(columns={"geography code": "lad_code", HOUSEHOLDS: "households"})
    out = long.merge(households[["lad_code", "households"]], on="lad_code", how="left")
    out["persons"] = out["persons"].astype("int64")
    return out.sort_values(["lad_code", "band_start"]).reset_index(drop=True)


def main() -> None:
    folder = Path(sys.argv[1])
    frame = build(folder)
    frame.to_parquet(OUT, index=False)
    print(f"{OUT.name}: {len(frame):,} rows, {frame['lad_code'].nunique()} districts")


if __name__ == "__main__":
    main()
