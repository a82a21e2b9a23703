"""Key figures for residents: area-level counts from the indicator statuses, with small numbers
suppressed so that no figure can point to an individual."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pandas as pd

from cspkit.report.suppress import suppress_table
from cspkit.web.indicators import IndicatorStatus

COMMUNITY_TRIGGER_TEXT = (
    "You can ask for an ASB Case Review (the Community Trigger) if you have reported "
    "anti-social behaviour three times in six months and feel nothing has been done. "
    "Each report must have been made within one month of the behaviour, and you must ask "
    "within six months of the report. A lower local threshold may apply, for example one "
    "report of a hate incident."
)


@dataclass(frozen=True)
class KeyFigure:
    """One figure shown to residents."""

    name: str
    month: datetime.date | None
    value: str
    change: str

    def as_data(self) -> dict[str, object]:
        """Plain data for JSON and CSV."""
        return {"name": self.name, "month": self.month, "value": self.value, "change": self.change}


SUPPRESSED_TEXT = "fewer than 5 (not shown to protect privacy)"
LATEST_COLUMN = "latest month"


def key_figures(statuses: list[IndicatorStatus]) -> list[KeyFigure]:
    """Resident-facing figures: the latest month and the change, with small counts hidden.

    Counts go through ``cspkit.report.suppress.suppress_table`` as one table, so a hidden
    count cannot be worked out from the others.
    """
    counts = {
        s.slug: int(s.latest_value)
        for s in statuses
        if s.latest_value is not None and s.unit == "count" and s.latest_value.is_integer()
    }
    published: dict[str, int | None] = {}
    if counts:
        table = pd.DataFrame({LATEST_COLUMN: list(counts.values())}, index=list(counts))
        result = suppress_table(table)
        published = {
            label: row[0] for label, row in zip(result.row_labels, result.values, strict=True)
        }
    figures = []
    for s in statuses:
        if s.latest_value is None:
            figures.append(KeyFigure(s.name, None, "not available", ""))
        elif s.slug in counts:
            value = published.get(s.slug)
            if value is None:
                figures.append(KeyFigure(s.name, s.latest_month, SUPPRESSED_TEXT, ""))
            else:
                figures.append(KeyFigure(s.name, s.latest_month, f"{value:,}", s.change_text))
        else:
            figures.append(
                KeyFigure(s.name, s.latest_month, f"{s.latest_value:,.1f}", s.change_text)
            )
    return figures
