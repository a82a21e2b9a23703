"""Live indicator status: the figures come from the warehouse, the statistics from cspkit.stats.

Nothing here computes a statistic. The series is read (warehouse or partner values), passed to
``cspkit.stats.spc.xmr`` and ``cspkit.stats.change.compare_counts``, and the RAG status is a
lookup on their results by the rules in ``RAG_RULES``, which pages show beside the status.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from cspkit.errors import CspkitError
from cspkit.stats.change import CountChange, compare_counts
from cspkit.stats.polarity import Polarity
from cspkit.stats.spc import Assurance, PointType, SpcOptions, SpcResult, xmr
from cspkit.web.plan.models import Indicator

log = logging.getLogger(__name__)
_WAREHOUSE_READ_LOCK = threading.Lock()

MONTHS_PER_YEAR = 12
MIN_SPC_POINTS = 2
WAREHOUSE_ABSENT = "none"


class Rag(StrEnum):
    """Red, amber, green, or grey when there is nothing to judge."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    GREY = "grey"


#: The RAG rules, checked in order; the first that applies gives the status.
RAG_RULES: tuple[tuple[str, Rag, str], ...] = (
    ("no-data", Rag.GREY, "Grey: too few monthly values to judge."),
    (
        "concern",
        Rag.RED,
        "Red: the latest month shows special-cause variation of concern (SPC rules).",
    ),
    ("fails-target", Rag.RED, "Red: the process consistently fails the target."),
    (
        "improvement",
        Rag.GREEN,
        "Green: the latest month shows special-cause variation of improvement (SPC rules).",
    ),
    ("passes-target", Rag.GREEN, "Green: the process consistently passes the target."),
    (
        "inconsistent",
        Rag.AMBER,
        "Amber: common-cause variation, and the target is sometimes met and sometimes missed.",
    ),
    (
        "neither",
        Rag.AMBER,
        "Amber: an unusual value for a measure with no better direction; worth a look.",
    ),
    ("stable", Rag.GREEN, "Green: common-cause variation and no target: stable, no signal."),
)
RAG_RULE_TEXT = {key: text for key, _, text in RAG_RULES}
RAG_RULE_STATUS = {key: rag for key, rag, _ in RAG_RULES}


@dataclass(frozen=True)
class IndicatorStatus:
    """An indicator's figures and what the statistics say about them."""

    slug: str
    name: str
    unit: str
    polarity: Polarity
    target: float | None
    months: tuple[datetime.date, ...]
    values: tuple[float, ...]
    spc_first: int
    spc: SpcResult | None
    change: CountChange | None
    change_text: str
    rag: Rag
    rag_rule: str
    note: str

    @property
    def latest_month(self) -> datetime.date | None:
        """The latest month with a value."""
        return self.months[-1] if self.months else None

    @property
    def latest_value(self) -> float | None:
        """The latest monthly value."""
        return self.values[-1] if self.values else None

    @property
    def rag_text(self) -> str:
        """The rule that gave the status, in words."""
        return RAG_RULE_TEXT[self.rag_rule]

    @property
    def of_concern(self) -> bool:
        """Red or amber."""
        return self.rag in (Rag.RED, Rag.AMBER)

    def as_data(self) -> dict[str, object]:
        """Plain data for JSON."""
        spc = self.spc
        return {
            "slug": self.slug,
            "name": self.name,
            "unit": self.unit,
            "polarity": self.polarity.value,
            "target": self.target,
            "latest_month": self.latest_month,
            "latest_value": self.latest_value,
            "change": self.change_text,
            "change_p_value": None if self.change is None else self.change.p_value,
            "change_significant": None if self.change is None else self.change.significant,
            "rag": self.rag.value,
            "rag_rule": self.rag_text,
            "spc_summary": None if spc is None else spc.summary.explanation,
            "spc_variation": None if spc is None else spc.summary.variation.value,
            "spc_assurance": (
                None
                if spc is None or spc.summary.assurance is None
                else spc.summary.assurance.value
            ),
            "note": self.note,
        }


def _months_apart(a: datetime.date, b: datetime.date) -> int:
    return (b.year - a.year) * MONTHS_PER_YEAR + b.month - a.month


def latest_run_start(months: tuple[datetime.date, ...]) -> int:
    """Index where the latest run of consecutive months begins (SPC needs no gaps)."""
    start = len(months) - 1
    while start > 0 and _months_apart(months[start - 1], months[start]) == 1:
        start -= 1
    return max(start, 0)


def rag_rule(spc: SpcResult | None) -> str:
    """Which rule of RAG_RULES applies to an SPC result."""
    if spc is None:
        return "no-data"
    summary = spc.summary
    if summary.variation is PointType.CONCERN:
        return "concern"
    if summary.assurance is Assurance.CONSISTENT_FAIL:
        return "fails-target"
    if summary.variation is PointType.IMPROVEMENT:
        return "improvement"
    if summary.assurance is Assurance.CONSISTENT_PASS:
        return "passes-target"
    if summary.assurance is Assurance.INCONSISTENT:
        return "inconsistent"
    if summary.variation in (PointType.NEITHER_HIGH, PointType.NEITHER_LOW):
        return "neither"
    return "stable"


def _change(
    months: tuple[datetime.date, ...], values: tuple[float, ...], unit: str
) -> tuple[CountChange | None, str]:
    if len(values) < MIN_SPC_POINTS:
        return None, "Not enough months to compare."
    latest = months[-1]
    year_ago = latest.replace(year=latest.year - 1)
    if year_ago in months:
        before, what = values[months.index(year_ago)], f"{year_ago:%B %Y}"
    else:
        before, what = values[-2], f"{months[-2]:%B %Y} (the same month a year ago is missing)"
    if unit != "count" or not (float(before).is_integer() and float(values[-1]).is_integer()):
        return None, f"{before:,.1f} in {what} to {values[-1]:,.1f} in {latest:%B %Y}."
    change = compare_counts(int(values[-1]), int(before))
    return change, f"{latest:%B %Y} against {what}: {change.describe()}."


def build_status(
    indicator: Indicator, months: tuple[datetime.date, ...], values: tuple[float, ...], note: str
) -> IndicatorStatus:
    """Run the statistics on a series and decide the RAG status."""
    polarity = Polarity(indicator.polarity)
    first = latest_run_start(months) if months else 0
    spc: SpcResult | None = None
    if len(values) - first >= MIN_SPC_POINTS:
        options = SpcOptions(polarity=polarity, target=indicator.target)
        labels = [f"{m:%Y-%m}" for m in months[first:]]
        try:
            spc = xmr(values[first:], options, labels)
        except CspkitError as exc:
            note = f"{note} SPC could not be computed: {exc}".strip()
        if first > 0:
            note = (
                f"{note} The SPC chart uses the {len(values) - first} consecutive months from "
                f"{months[first]:%B %Y}; earlier months are separated by a gap."
            ).strip()
    change, change_text = _change(months, values, indicator.unit)
    rule = rag_rule(spc)
    return IndicatorStatus(
        slug=indicator.slug,
        name=indicator.name,
        unit=indicator.unit,
        polarity=polarity,
        target=indicator.target,
        months=months,
        values=values,
        spc_first=first,
        spc=spc,
        change=change,
        change_text=change_text,
        rag=RAG_RULE_STATUS[rule],
        rag_rule=rule,
        note=note,
    )


def warehouse_path() -> Path:
    """The warehouse file the web application reads."""
    from cspkit.warehouse.connection import default_db_path

    return default_db_path()


def warehouse_identity(path: Path | None = None) -> str:
    """Inode, modification time and size of the warehouse file, or "none" when it is absent.

    A load publishes a new file by rename, so a new warehouse always has a new identity.
    """
    try:
        info = (path or warehouse_path()).stat()
    except FileNotFoundError:
        return WAREHOUSE_ABSENT
    return f"{info.st_ino}-{info.st_mtime_ns}-{info.st_size}"


def _warehouse_series(indicator: Indicator) -> tuple[list[tuple[datetime.date, float]], str]:
    path = warehouse_path()
    identity = warehouse_identity(path)
    if identity == WAREHOUSE_ABSENT:
        return [], f"No warehouse at {path.name}: build one with 'cspkit demo' or 'cspkit ingest'."
    try:
        from cspkit.warehouse.connection import connect_readonly
        from cspkit.warehouse.series import monthly_series
    except ImportError:
        return [], "The warehouse series module is not installed."
    area = indicator.area_code or settings.CSPKIT_AREA_CODE
    key = f"series:{path}:{identity}:{indicator.series_id}:{area}"
    cached: list[tuple[datetime.date, float]] | None = cache.get(key)
    if cached is not None:
        return cached, ""
    try:
        # DuckDB shares one open database per file name within a process: reading one series
        # at a time means each read opens the file published now, never an earlier one.
        with _WAREHOUSE_READ_LOCK:
            con = connect_readonly(path)
            try:
                rows = monthly_series(con, indicator.series_id, area)
                series = [(m, float(v)) for m, v in rows]
            finally:
                con.close()
    except CspkitError as exc:
        return [], str(exc)
    cache.set(key, series, settings.CSPKIT_INDICATOR_CACHE_SECONDS)
    return series, ""


def _status_key(indicator: Indicator, series: list[tuple[datetime.date, float]]) -> str:
    digest = hashlib.sha1(repr(series).encode(), usedforsecurity=False).hexdigest()
    return (
        f"status:{indicator.pk}:{indicator.slug}:{indicator.polarity}:{indicator.target}:"
        f"{indicator.unit}:{digest}"
    )


def indicator_status(indicator: Indicator, until: datetime.date | None = None) -> IndicatorStatus:
    """The live status of one indicator (cached until its series or settings change).

    With ``until``, only the months up to that day count: the status as it stood then.
    """
    if indicator.source == Indicator.Source.MANUAL:
        rows = list(indicator.values.order_by("month").values_list("month", "value"))
        series, note = [(m, float(v)) for m, v in rows], "Figures entered by a partner."
    else:
        series, note = _warehouse_series(indicator)
    if until is not None:
        series = [(m, v) for m, v in series if m <= until]
    key = _status_key(indicator, series) + f":{hash(note)}"
    cached: IndicatorStatus | None = cache.get(key)
    if cached is not None:
        return cached
    months = tuple(m for m, _ in series)
    values = tuple(v for _, v in series)
    status = build_status(indicator, months, values, note)
    cache.set(key, status, settings.CSPKIT_INDICATOR_CACHE_SECONDS)
    return status


def statuses(
    indicators: list[Indicator], until: datetime.date | None = None
) -> list[IndicatorStatus]:
    """Live status of several indicators (as at ``until`` when given)."""
    return [indicator_status(i, until) for i in indicators]
