"""Coverage as a plain-text grid for the terminal: one line per force and year."""

from __future__ import annotations

from cspkit.config import PARTIAL_MONTH_RATIO, PARTIAL_MONTH_WINDOW
from cspkit.warehouse.coverage import MISSING, OK, Coverage

_SYMBOL = {OK: "#", MISSING: ".", "partial": "p"}
LEGEND = "\n".join(
    (
        "Key to the months J F M A M J J A S O N D:",
        "  #      held",
        "  .      missing: no rows, between months that are held",
        f"  p      possibly partial: rows below {PARTIAL_MONTH_RATIO:g} x the median of the "
        f"{PARTIAL_MONTH_WINDOW} months either side",
        "  blank  before the force's first month held or after its last",
    )
)


def coverage_table(cov: Coverage) -> str:
    """Rows 'force  year  JFMAMJJASOND' with a symbol per month, then row totals."""
    title = f"{cov.dataset} data"
    if not cov.cells:
        return f"{title}: the warehouse holds none."
    column = f"{cov.counted} in the year"
    lines = [title, f"{'force':<24} {'year':<5} JFMAMJJASOND  {column}"]
    for force in cov.forces:
        cells = cov.for_force(force)
        years = sorted({c.month.year for c in cells})
        for year in years:
            marks = [" "] * 12
            total = 0
            for c in cells:
                if c.month.year == year:
                    marks[c.month.month - 1] = _SYMBOL.get(c.status, "?")
                    total += c.rows
            lines.append(f"{force:<24} {year:<5} {''.join(marks)}  {total:,}")
    lines.append(LEGEND)
    return "\n".join(lines)
