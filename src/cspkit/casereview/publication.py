"""The figures a partnership must publish each year about ASB Case Reviews.

The Act requires the number of applications received, the number that did not meet the
threshold, the number of reviews carried out and the number that resulted in recommendations.
cspkit adds the median working days from receipt to each stage. All figures are about the
applications *received* in the year (a cohort), so each application is counted once even when
its review falls in the next year; applications still awaiting a decision are shown as such.

Counts from 1 to 4 are hidden, with the report's secondary suppression
(:func:`cspkit.report.suppress.suppress_table`) so no hidden count can be worked out from the
ones shown; a median over fewer than 5 applications is not published either.
"""

from __future__ import annotations

import datetime
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cspkit.casereview.deadlines import working_days_between
from cspkit.errors import InputError
from cspkit.report.suppress import SUPPRESSION_THRESHOLD, TOTAL_LABEL, suppress_table

FINANCIAL_YEAR_START_MONTH = 4
_CALENDAR_RE = re.compile(r"(\d{4})")
_FINANCIAL_RE = re.compile(r"(\d{4})/(\d{2})")

NOT_MET = "did not meet the threshold"
MET = "met the threshold"
AWAITING = "awaiting a decision"
WITH_RECOMMENDATIONS = "resulted in recommendations"
WITHOUT_RECOMMENDATIONS = "no recommendations"
#: Stage -> the case's date field holding when it was reached.
STAGES = (
    ("acknowledgement", "acknowledged_on"),
    ("threshold decision", "decided_on"),
    ("review meeting", "meeting_on"),
    ("response to applicant", "responded_on"),
    ("closure", "closed_on"),
)


@dataclass(frozen=True)
class ReportingYear:
    """A calendar year ("2025") or a financial year April-March ("2024/25")."""

    label: str
    start: datetime.date
    end: datetime.date

    def holds(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def reporting_year(text: str) -> ReportingYear:
    """Parse ``2025`` or ``2024/25``; anything else is refused, naming both forms."""
    text = text.strip()
    if m := _FINANCIAL_RE.fullmatch(text):
        first = int(m.group(1))
        if (first + 1) % 100 != int(m.group(2)):
            raise InputError(f"year {text!r}: a financial year runs into the next, e.g. 2024/25")
        return ReportingYear(
            text,
            datetime.date(first, FINANCIAL_YEAR_START_MONTH, 1),
            datetime.date(first + 1, FINANCIAL_YEAR_START_MONTH, 1) - datetime.timedelta(days=1),
        )
    if _CALENDAR_RE.fullmatch(text):
        year = int(text)
        return ReportingYear(text, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    raise InputError(
        f"year {text!r}: expected a calendar year (2025) or a financial year (2024/25)"
    )


@dataclass(frozen=True)
class CaseRecord:
    """What the publication needs from one application (no personal data)."""

    received_on: datetime.date
    acknowledged_on: datetime.date | None = None
    decided_on: datetime.date | None = None
    meets_threshold: bool | None = None
    meeting_on: datetime.date | None = None
    has_recommendations: bool | None = None
    responded_on: datetime.date | None = None
    closed_on: datetime.date | None = None


@dataclass(frozen=True)
class Figure:
    """One published figure: ``value`` is None when it is suppressed (``reason`` says why)."""

    key: str
    label: str
    value: float | int | None
    reason: str = ""
    based_on: int | None = None


@dataclass(frozen=True)
class Publication:
    """The year's figures, each with its suppression; ``threshold`` is the suppression limit."""

    year: ReportingYear
    counts: tuple[Figure, ...]
    medians: tuple[Figure, ...]
    threshold: int

    def rows(self) -> list[dict[str, Any]]:
        """One row per figure, for CSV and JSON."""
        return [
            {
                "year": self.year.label,
                "figure": f.key,
                "label": f.label,
                "value": f.value,
                "suppressed": f.value is None and bool(f.reason),
                "reason": f.reason,
                "based_on": f.based_on if f.value is not None else None,
            }
            for f in (*self.counts, *self.medians)
        ]


def _suppressed_counts(
    columns: dict[str, int], threshold: int
) -> tuple[dict[str, int | None], dict[str, str]]:
    """Suppress a one-row table of counts and its total; return values and reasons."""
    frame = pd.DataFrame([columns], index=["count"]).astype("int64")
    result = suppress_table(frame, threshold)
    values = dict(zip(result.column_labels, result.values[0], strict=True))
    reasons = {c.column: str(c.reason) for c in result.suppressed if c.row == "count"}
    return values, reasons


def _count(
    key: str, label: str, name: str, values: dict[str, int | None], reasons: dict[str, str]
) -> Figure:
    return Figure(key, label, values[name], reasons.get(name, ""))


def _median(key: str, label: str, days: list[int], threshold: int) -> Figure:
    if not days:
        return Figure(key, label, None, "", 0)
    if len(days) < threshold:
        return Figure(key, label, None, f"fewer than {threshold} applications", len(days))
    return Figure(key, label, float(statistics.median(days)), "", len(days))


def publication(
    cases: Iterable[CaseRecord], year: ReportingYear, threshold: int = SUPPRESSION_THRESHOLD
) -> Publication:
    """The year's published figures for the applications received in ``year``."""
    cohort = [c for c in cases if year.holds(c.received_on)]
    decided = [c for c in cohort if c.meets_threshold is not None]
    reviews = [c for c in cohort if c.meeting_on is not None]
    with_recs = sum(1 for c in reviews if c.has_recommendations)
    apps, app_reasons = _suppressed_counts(
        {
            NOT_MET: sum(1 for c in decided if not c.meets_threshold),
            MET: sum(1 for c in decided if c.meets_threshold),
            AWAITING: len(cohort) - len(decided),
        },
        threshold,
    )
    revs, rev_reasons = _suppressed_counts(
        {WITH_RECOMMENDATIONS: with_recs, WITHOUT_RECOMMENDATIONS: len(reviews) - with_recs},
        threshold,
    )
    counts = (
        _count("applications_received", "Applications received", TOTAL_LABEL, apps, app_reasons),
        _count(
            "threshold_not_met",
            "Applications that did not meet the threshold",
            NOT_MET,
            apps,
            app_reasons,
        ),
        _count("threshold_met", "Applications that met the threshold", MET, apps, app_reasons),
        _count(
            "awaiting_decision", "Applications awaiting a decision", AWAITING, apps, app_reasons
        ),
        _count("reviews_carried_out", "Reviews carried out", TOTAL_LABEL, revs, rev_reasons),
        _count(
            "reviews_with_recommendations",
            "Reviews resulting in recommendations",
            WITH_RECOMMENDATIONS,
            revs,
            rev_reasons,
        ),
    )
    medians = []
    for stage, attr in STAGES:
        days = [
            working_days_between(c.received_on, reached)
            for c in cohort
            if (reached := getattr(c, attr)) is not None
        ]
        key = "median_working_days_to_" + stage.replace(" ", "_")
        medians.append(_median(key, f"Median working days to {stage}", days, threshold))
    return Publication(year, counts, tuple(medians), threshold)
