"""Reference data and the real police.uk sample shipped with cspkit.

Everything here is derived from public data by ``scripts/build_reference.py``;
sources, licences and column meanings are in ``ATTRIBUTION.md`` beside this file.

Example::

    >>> from cspkit.reference import read_table
    >>> lookup = read_table("lsoa_district.parquet")
    >>> sorted(lookup.columns)
    ['lad_code', 'lad_name', 'lsoa_code', 'lsoa_name', 'vintage']
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DATA_DIR",
    "SAMPLE_DIR",
    "ReferenceDataMissingError",
    "data_path",
    "read_table",
    "sample_police_uk_dir",
]

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
"""Folder holding the derived lookup tables and boundaries."""
SAMPLE_DIR = PACKAGE_DIR / "sample"
"""Folder holding the police.uk sample and its ``SAMPLE.md``."""


class ReferenceDataMissingError(FileNotFoundError):
    """A shipped reference file is not where the package expects it."""


def data_path(name: str) -> Path:
    """Return the path of the shipped reference file ``name`` under :data:`DATA_DIR`.

    ``name`` may include a sub-folder, e.g. ``"boundaries/kent_lsoa_2021.geojson"``.
    Raises :class:`ReferenceDataMissingError` naming the file when it does not exist.
    """
    path = DATA_DIR / name
    if not path.is_file():
        raise ReferenceDataMissingError(
            f"reference file {name!r} not found at {path}; "
            "rebuild it with scripts/build_reference.py or reinstall cspkit"
        )
    return path


def read_table(name: str) -> pd.DataFrame:
    """Read a shipped ``.parquet`` or ``.csv`` reference table into a DataFrame.

    >>> read_table("harm_weights.csv").columns.tolist()
    ['category', 'weight_days', 'source']
    """
    import pandas as pd  # imported here: pandas takes long to import

    path = data_path(name)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    if path.suffix == ".csv":
        return pd.read_csv(path, encoding="utf-8")
    raise ValueError(f"reference file {name!r} is not a .parquet or .csv table")


def sample_police_uk_dir() -> Path:
    """Return the folder of the police.uk sample (``YYYY-MM/*.csv.gz`` sub-folders)."""
    path = SAMPLE_DIR / "police_uk"
    if not path.is_dir():
        raise ReferenceDataMissingError(
            f"police.uk sample folder not found at {path}; "
            "rebuild it with scripts/build_reference.py or reinstall cspkit"
        )
    return path
