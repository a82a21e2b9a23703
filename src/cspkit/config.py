"""Settings declared once, each with help text.

Every threshold cspkit uses to judge data lives here, so that a report can say which value
it used and a test can check that every setting is documented.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cspkit.stats.change import SIGNIFICANCE_LEVEL
from cspkit.stats.rates import RATE_PER

DB_ENV_VAR = "CSPKIT_DB"
DEFAULT_DB_NAME = "cspkit.duckdb"


@dataclass(frozen=True)
class Setting:
    """One named setting with its default and the reason it exists."""

    name: str
    default: float | int | str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "partial_month_ratio",
        0.5,
        "A force-month whose row count is below this share of the median of its neighbouring "
        "months is reported as possibly partially published.",
    ),
    Setting(
        "partial_month_window",
        3,
        "How many months either side of a month form its neighbourhood for the partial-month "
        "check.",
    ),
    Setting(
        "ingest_memory_limit",
        "3GB",
        "Memory DuckDB may use while loading files; larger loads spill to disk instead.",
    ),
    Setting(
        "significance_level",
        SIGNIFICANCE_LEVEL,
        "Two-sided significance level for tests of change between periods.",
    ),
    Setting(
        "rate_per",
        RATE_PER,
        "Rates are expressed per this many of the denominator (residents, households, adults).",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> float | int | str:
    """The default value of a named setting (KeyError for an undeclared name)."""
    return _BY_NAME[name].default


PARTIAL_MONTH_RATIO = float(setting("partial_month_ratio"))
PARTIAL_MONTH_WINDOW = int(setting("partial_month_window"))
INGEST_MEMORY_LIMIT = str(setting("ingest_memory_limit"))


def default_db_path() -> Path:
    """The warehouse file: $CSPKIT_DB if set, else ./cspkit.duckdb."""
    env = os.environ.get(DB_ENV_VAR)
    return Path(env) if env else Path.cwd() / DEFAULT_DB_NAME
