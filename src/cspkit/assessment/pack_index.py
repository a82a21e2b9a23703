"""The index of a pack: a league table of every CSP, a map of district rates, and coverage.

Writes ``index.csv`` (one row per CSP, every figure of the table), ``index.html`` (an
accessible, self-contained page: the map with a text alternative, the league table linking
each CSP's report, and the months each force is missing or has partly published) and
``coverage.csv``. Nothing here computes a statistic: the figures arrive in the league rows.
"""

from __future__ import annotations

import csv
import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np

from cspkit.assessment.areas import all_csps
from cspkit.reference import data_path
from cspkit.report.maps import MapClass, MapPanel, draw_maps, sequential_styles
from cspkit.stats.periods import Period, format_month
from cspkit.warehouse.coverage import ForceMonth

if TYPE_CHECKING:
    from cspkit.assessment.league import LeagueCell, LeagueRow

DISTRICT_BOUNDARIES = "boundaries/districts_2024.geojson"
MAP_CLASSES = 5
NO_DATA = MapClass("no data", "#ffffff", "", "#6f777b")
INDICATOR_NAMES = ("All crime", "Anti-social behaviour")
CSV_COLUMNS = (
    "csp_code",
    "csp_name",
    "districts",
    "force",
    "status",
    "report",
    "population",
    "population_year",
)
CELL_COLUMNS = (
    "count",
    "previous",
    "pct_change",
    "p_value",
    "significant",
    "rate_per_1000",
    "rank_in_force",
    "rank_in_most_similar",
)


def _fmt(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def _report_link(row: LeagueRow) -> str:
    return f"{row.folder}/report.html"


def write_csv(out: Path, rows: Sequence[LeagueRow]) -> Path:
    path = out / "index.csv"
    prefixes = ("all_crime", "asb")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([*CSV_COLUMNS, *(f"{p}_{c}" for p in prefixes for c in CELL_COLUMNS)])
        for row in rows:
            csp = row.csp
            cells = []
            for cell in row.cells:
                cells += [
                    cell.current,
                    "" if cell.previous is None else cell.previous,
                    "" if cell.pct_change is None else round(cell.pct_change, 2),
                    "" if cell.p_value is None else f"{cell.p_value:.4g}",
                    cell.significant if cell.previous is not None else "",
                    "" if cell.rate_per_1000 is None else round(cell.rate_per_1000, 3),
                    cell.force_rank,
                    cell.similar_rank,
                ]
            writer.writerow(
                [
                    csp.code,
                    csp.name,
                    "; ".join(n for _, n in csp.districts),
                    row.force,
                    row.status,
                    _report_link(row) if row.status == "assessed" else "",
                    "" if row.denominator is None else round(row.denominator),
                    row.denominator_year or "",
                    *cells,
                ]
            )
    return path


def rate_bands(values: Sequence[float], k: int = MAP_CLASSES) -> tuple[list[int], list[str]]:
    """Quantile bands of rates (one decimal): each value's band and the bands' labels.

    Every band holds at least one value, and a value equal to a band's upper edge is in it.
    """
    x = np.round(np.asarray(values, dtype=float), 1)
    cuts = sorted(set(np.round(np.quantile(x, np.linspace(0, 1, k + 1)[1:-1]), 1)))
    uppers = sorted({float(x[x <= c].max()) for c in cuts if (x <= c).any()} - {float(x.max())})
    uppers.append(float(x.max()))
    index = [int(np.searchsorted(uppers, v, side="left")) for v in x]
    labels: list[str] = []
    lower = float(x.min())
    for upper in uppers:
        labels.append(f"{lower:,.1f}" if lower == upper else f"{lower:,.1f}–{upper:,.1f}")
        above = x[x > upper]
        lower = float(above.min()) if above.size else upper
    return index, labels


def district_map(
    rows: Sequence[LeagueRow], *, whole: bool = True
) -> tuple[str, list[tuple[str, str, str]]]:
    """SVG of all-crime rates by district, and its rows as text (district, CSP, rate).

    ``whole`` draws England and Wales; otherwise the map zooms to the districts with a rate.
    """
    rates = {
        r.csp.unit_code: r.cells[0].rate_per_1000
        for r in rows
        if r.cells[0].rate_per_1000 is not None
    }
    unit_of = {lad: c for c in all_csps() for lad, _ in c.districts}
    shapes = gpd.read_file(data_path(DISTRICT_BOUNDARIES)).set_index("lad_code")
    values = [rates.get(unit_of[lad].unit_code) if lad in unit_of else None for lad in shapes.index]
    held = [v for v in values if v is not None]
    if not held:
        return "", []
    bands, labels = rate_bands(held)
    focus = tuple(lad for lad, v in zip(shapes.index, values, strict=True) if v is not None)
    styles = (*sequential_styles(labels), NO_DATA)
    it = iter(bands)
    classes = tuple(next(it) if v is not None else len(styles) - 1 for v in values)
    svg, _ = draw_maps(
        shapes,
        [
            MapPanel(
                "All crime per 1,000 residents",
                classes,
                styles,
                legend_title="Rate",
                focus=() if whole else focus,
            )
        ],
    )
    text = [
        (str(shapes.loc[lad, "lad_name"]), unit_of[lad].name if lad in unit_of else "", _fmt(v))
        for lad, v in zip(shapes.index, values, strict=True)
        if v is not None
    ]
    return svg, text


def _coverage_rows(gaps: Sequence[ForceMonth], forces: Sequence[str]) -> list[tuple[str, str]]:
    per: dict[str, list[str]] = {f: [] for f in forces}
    for g in gaps:
        per.setdefault(g.force_slug, []).append(f"{format_month(g.month)} {g.status}")
    return [(f, ", ".join(v) if v else "complete") for f, v in sorted(per.items())]


def write_coverage_csv(out: Path, gaps: Sequence[ForceMonth]) -> Path:
    path = out / "coverage.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["force", "month", "status", "rows", "neighbour_median"])
        for g in gaps:
            writer.writerow(
                [g.force_slug, format_month(g.month), g.status, g.rows, g.neighbour_median or ""]
            )
    return path


_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#0b0c0c;max-width:80rem}
table{border-collapse:collapse;font-size:.85rem;margin:1rem 0}
th,td{border:1px solid #b1b4b6;padding:.25rem .4rem;text-align:right}
th[scope=row],td.l{text-align:left}thead th{background:#f3f2f1;position:sticky;top:0}
caption{text-align:left;font-weight:bold;margin:.5rem 0}.sig{font-weight:bold}
figure svg{max-width:100%;height:auto}a{color:#1d70b8}
"""


def _cell_html(cell: LeagueCell) -> list[str]:
    change = cell.pct_change
    sig = cell.significant
    text = "" if change is None else f"{change:+.1f}%"
    if cell.previous is None:
        text = "n/a"
    elif sig:
        text = f'<span class="sig">{text} (significant)</span>' if text else "significant"
    return [
        f"{cell.current:,}",
        _fmt(cell.rate_per_1000, 2),
        text,
        html.escape(cell.force_rank),
        html.escape(cell.similar_rank),
    ]


def render_html(
    period: Period,
    previous: Period | None,
    rows: Sequence[LeagueRow],
    gaps: Sequence[ForceMonth],
    forces: Sequence[str],
    map_svg: str,
    map_text: Sequence[tuple[str, str, str]],
) -> str:
    esc = html.escape
    assessed = sum(1 for r in rows if r.status == "assessed")
    compared = f"change from {previous.label}" if previous else "no comparison period held"
    head = "".join(
        f'<th scope="col">{esc(n)}: {h}</th>'
        for n in INDICATOR_NAMES
        for h in ("records", "rate per 1,000", "change", "rank in force", "rank among similar")
    )
    body = []
    for r in rows:
        csp = r.csp
        status = r.status
        name = (
            f'<a href="{esc(_report_link(r))}">{esc(csp.name)}</a>'
            if status == "assessed"
            else esc(csp.name)
        )
        cells = "".join(f"<td>{c}</td>" for cell in r.cells for c in _cell_html(cell))
        note = "" if status == "assessed" else esc(status)
        body.append(
            f'<tr><th scope="row">{name}</th><td class="l">{esc(r.force)}</td>'
            f'{cells}<td class="l">{note}</td></tr>'
        )
    cov = "".join(
        f'<tr><th scope="row">{esc(f)}</th><td class="l">{esc(t)}</td></tr>'
        for f, t in _coverage_rows(gaps, forces)
    )
    map_rows = "".join(
        f'<tr><th scope="row">{esc(d)}</th><td class="l">{esc(c)}</td><td>{v}</td></tr>'
        for d, c, v in map_text
    )
    figure = (
        f'<figure><div role="img" aria-label="Map of all crime per 1,000 residents by '
        f'district; the rates are in the table below the map">{map_svg}</div>'
        "<figcaption>All crime per 1,000 residents by district (each district shows its "
        "CSP's rate); districts without data are white.</figcaption></figure>"
        f"<details><summary>The map's data</summary><table><caption>All crime per 1,000 "
        f'residents by district</caption><thead><tr><th scope="col">District</th>'
        f'<th scope="col">CSP</th><th scope="col">Rate</th></tr></thead>'
        f"<tbody>{map_rows}</tbody></table></details>"
        if map_svg
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Community Safety Partnerships: {esc(period.label)}</title><style>{_STYLE}</style></head>
<body><main>
<h1>Community Safety Partnerships: {esc(period.label)}</h1>
<p>{assessed} of {len(rows)} CSPs assessed; {esc(compared)}. Rates are police.uk records per
1,000 residents; ranks put 1 as the lowest rate, among the force's CSPs and among the CSP and
its most similar CSPs that have data. A change is marked significant at p &lt; 0.05 (exact
test for two Poisson counts); no percentage is given when either count is below 10. Every
figure is in <a href="index.csv">index.csv</a>.</p>
<h2>Rates by district</h2>{figure}
<h2>League table</h2>
<table><caption>Every CSP: all crime and anti-social behaviour, {esc(period.label)}</caption>
<thead><tr><th scope="col">CSP</th><th scope="col">Force</th>{head}
<th scope="col">Note</th></tr></thead><tbody>{"".join(body)}</tbody></table>
<h2>Coverage per force</h2>
<p>Months of {esc(period.label)} each force has not published, or looks to have published only
in part (fewer than half the records of its neighbouring months). A CSP of such a force is not
assessed for the period. Details: <a href="coverage.csv">coverage.csv</a>.</p>
<table><caption>Street data coverage per force, {esc(period.label)}</caption>
<thead><tr><th scope="col">Force</th><th scope="col">Missing or partial months</th></tr></thead>
<tbody>{cov}</tbody></table>
</main></body></html>
"""


def write_index(
    out: Path,
    period: Period,
    previous: Period | None,
    rows: Sequence[LeagueRow],
    gaps: Sequence[ForceMonth],
    forces: Sequence[str],
    *,
    whole: bool = True,
) -> tuple[Path, Path]:
    """Write index.html, index.csv and coverage.csv into ``out``."""
    svg, text = district_map(rows, whole=whole)
    page = out / "index.html"
    page.write_text(render_html(period, previous, rows, gaps, forces, svg, text), "utf-8")
    write_coverage_csv(out, gaps)
    return page, write_csv(out, rows)
