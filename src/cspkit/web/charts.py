"""Server-rendered SVG SPC charts (no JavaScript), drawn from an SpcResult.

The chart only draws what the statistics returned: values, per-point mean and limits, and
each point's type. It has a title and a description for screen readers, and pages show the
same numbers in a table.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from cspkit.report.charts import spc_chart, without_png
from cspkit.stats.spc import SpcResult
from cspkit.web.indicators import IndicatorStatus

#: Inches: drawn at the width of the page's content column.
WEB_FIGURE_SIZE = (8.0, 3.4)


def spc_svg(status: IndicatorStatus) -> str:
    """An accessible SVG XmR chart of the indicator's SPC result ('' when there is none).

    Drawn by the report's chart code (:func:`cspkit.report.charts.spc_chart`), so a chart on
    a page looks like the same chart in the Strategic Assessment.
    """
    spc: SpcResult | None = status.spc
    if spc is None or not spc.points:
        return ""
    with without_png():
        svg, _ = spc_chart(
            [p.label or str(p.index) for p in spc.points],
            spc,
            y_label=f"{status.unit[:1].upper()}{status.unit[1:]} per month",
            target=status.target,
            size=WEB_FIGURE_SIZE,
        )
    title_id = f"chart-title-{status.slug}"
    desc_id = f"chart-desc-{status.slug}"
    opening = svg[: svg.index(">") + 1]
    accessible = opening.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{title_id} {desc_id}" class="spc-chart" ',
        1,
    )
    return (
        accessible
        + f'<title id="{title_id}">{escape(status.name)}: SPC chart of monthly values</title>'
        + f'<desc id="{desc_id}">{escape(spc.summary.explanation)}</desc>'
        + svg[len(opening) :]
    )
