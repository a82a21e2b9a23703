"""Rendering a report document as one self-contained, accessible HTML page."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from cspkit.report.document import ReportDocument
from cspkit.report.formatting import format_cell
from cspkit.report.layout import landscape_lead_in, table_layout

REPORT_NAME = "report.html"


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("cspkit.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        fmt=format_cell,
        kind=lambda block: type(block).__name__,
        layout=table_layout,
        lead_in=landscape_lead_in,
    )
    return env


def render_html(doc: ReportDocument) -> str:
    """The report page as a string."""
    return _environment().get_template("document.html.j2").render(doc=doc)


def write_html(doc: ReportDocument, out: Path) -> Path:
    """Write report.html into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / REPORT_NAME
    path.write_text(render_html(doc), encoding="utf-8")
    return path
