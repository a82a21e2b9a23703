"""Small pieces of report wording shared by every section, so they read the same everywhere."""

from __future__ import annotations

from cspkit.assessment.context import SectionContext
from cspkit.report.formatting import fmt_count

ROLLING_PREFIX = "12 months"


def the_period(label: str) -> str:
    """'2025' -> '2025'; '12 months to January 2020' -> 'the 12 months to January 2020'."""
    return f"the {label}" if label.startswith(ROLLING_PREFIX) else label


def in_period(label: str) -> str:
    """'in 2025', 'in the 12 months to January 2020'."""
    return f"in {the_period(label)}"


def count_text(n: float, ctx: SectionContext) -> str:
    """A count in words; in a public edition never one below the suppression threshold."""
    if ctx.public and 0 < n < ctx.suppression_threshold:
        return f"fewer than {ctx.suppression_threshold}"
    return fmt_count(n)
