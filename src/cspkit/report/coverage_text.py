"""Coverage as a plain-text grid for the terminal: one line per force and year."""

from __future__ import annotations

from cspkit.warehouse.coverage import MISSING, OK, Coverage

_SYMBOL = {OK: "#", MISSING: ".", "partial": "p"}
LEGEND = "# held   . missing   p possibly partial (far below neighbouring months)"


def coverage_table(cov: Coverage) -> str:
    """Rows 'force  year  JFMAMJJASOND' with a symbol per month, then row totals."""
    if not cov.cells:
        return "The warehouse holds no street-level data."
    lines = [f"{'force':<24} {'year':<5} JFMAMJJASOND  rows"]
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
