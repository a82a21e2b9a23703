"""Rendering an assessment as a self-contained, accessible HTML page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from cspkit.assessment.build import Assessment
from cspkit.assessment.comparison import describe_gaps
from cspkit.stats.change import SMALL_COUNT_THRESHOLD
from cspkit.stats.periods import format_month
from cspkit.stats.rates import DenominatorBasis, Rate
from cspkit.warehouse.coverage import OK

REPORT_NAME = "report.html"


def fmt_count(value: float | None) -> str:
    """1234.0 -> '1,234'; None -> an en dash."""
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def fmt_signed(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:+,.0f}".replace("-", "−")


def fmt_pct(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:+.1f}%".replace("-", "−")


def fmt_rate(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.1f}"


def fmt_p(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"= {value:.3f}"


def month(value: date | None) -> str:
    return "–" if value is None else format_month(value)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("cspkit.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        fmt_count=fmt_count,
        fmt_signed=fmt_signed,
        fmt_pct=fmt_pct,
        fmt_rate=fmt_rate,
        fmt_p=fmt_p,
        month=month,
    )
    return env


def _denominators(a: Assessment) -> tuple[list[str], list[str]]:
    described: dict[str, str] = {}
    sources: dict[str, str] = {}
    for r in a.overview.rows:
        if r.denominator is None:
            continue
        rate = Rate(
            r.rate_per_1000,
            0,
            r.denominator,
            DenominatorBasis(r.denominator_basis),
            r.denominator_year,
        )
        text = rate.describe()
        described[r.denominator_basis] = text[text.index(" per ") + len(" per 1,000 ") :]
        if r.denominator_source:
            sources[r.denominator_source] = r.denominator_source
    return list(described.values()), list(sources)


def render_html(a: Assessment) -> str:
    """The report page as a string."""
    o = a.overview
    held = [c for c in a.coverage if c.status == OK]
    gaps = tuple(c for c in a.coverage if c.status != OK)
    coverage_sentence = (
        f"The warehouse holds street-level data for {o.area.force} for {len(held)} months "
        f"between {month(a.coverage[0].month)} and {month(a.coverage[-1].month)}."
        if a.coverage
        else "No street-level data are held for this force."
    )
    denominators, denominator_sources = _denominators(a)
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            a=a,
            o=o,
            denominators=denominators,
            denominator_sources=denominator_sources,
            coverage_sentence=coverage_sentence,
            gaps=describe_gaps(gaps) if gaps else "",
            small_count=SMALL_COUNT_THRESHOLD,
        )
    )


def write_html(a: Assessment, out: Path) -> Path:
    """Write report.html into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / REPORT_NAME
    path.write_text(render_html(a), encoding="utf-8")
    return path
