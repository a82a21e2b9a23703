"""One call from a warehouse file to a folder of outputs: what `cspkit assess` runs."""

from __future__ import annotations

from pathlib import Path

from cspkit.assessment.build import assess
from cspkit.assessment.export import write_data
from cspkit.report.html import write_html
from cspkit.stats.periods import parse_period
from cspkit.warehouse.connection import connect_readonly


def run_assessment(
    db: Path,
    area: str,
    period: str,
    *,
    compare: str | None = None,
    peers: list[str] | None = None,
    out: Path,
) -> list[Path]:
    """Assess ``area`` for ``period`` from the warehouse ``db``; write every output to ``out``."""
    parsed = parse_period(period)
    parsed_compare = parse_period(compare) if compare else None
    con = connect_readonly(db)
    try:
        result = assess(con, area, parsed, compare=parsed_compare, peers=peers)
    finally:
        con.close()
    return [write_html(result, out), *write_data(result, out)]
