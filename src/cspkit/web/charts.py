"""Server-rendered SVG SPC charts (no JavaScript), drawn from an SpcResult.

The chart only draws what the statistics returned: values, per-point mean and limits, and
each point's type. It has a title and a description for screen readers, and pages show the
same numbers in a table.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from cspkit.stats.spc import PointType, SpcResult
from cspkit.web.indicators import IndicatorStatus

WIDTH = 720
HEIGHT = 300
MARGIN_LEFT = 64
MARGIN_RIGHT = 16
MARGIN_TOP = 28
MARGIN_BOTTOM = 48
POINT_RADIUS = 4
Y_PADDING = 0.08
Y_TICKS = 5

#: Colours with at least 3:1 contrast on white (WCAG 2.2 non-text contrast).
POINT_COLOURS = {
    PointType.COMMON_CAUSE: "#505a5f",
    PointType.IMPROVEMENT: "#1d4ed8",
    PointType.CONCERN: "#b45309",
    PointType.NEITHER_HIGH: "#6b21a8",
    PointType.NEITHER_LOW: "#6b21a8",
}
MEAN_COLOUR = "#0b0c0c"
LIMIT_COLOUR = "#505a5f"
TARGET_COLOUR = "#b91c1c"
AXIS_COLOUR = "#0b0c0c"


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 10 or float(x).is_integer() else f"{x:,.1f}"


def _polyline(points: list[tuple[float, float]], colour: str, dash: str = "") -> str:
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="1.5"{dash_attr}/>'
    )


def spc_svg(status: IndicatorStatus) -> str:
    """An accessible SVG XmR chart of the indicator's SPC result ('' when there is none)."""
    spc: SpcResult | None = status.spc
    if spc is None or not spc.points:
        return ""
    pts = spc.points
    lows = [min(p.value, p.lower) for p in pts]
    highs = [max(p.value, p.upper) for p in pts]
    if status.target is not None:
        lows.append(status.target)
        highs.append(status.target)
    lo, hi = min(lows), max(highs)
    span = (hi - lo) or 1.0
    lo, hi = lo - span * Y_PADDING, hi + span * Y_PADDING
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    step = plot_w / max(len(pts) - 1, 1)

    def x(i: int) -> float:
        return MARGIN_LEFT + i * step

    def y(v: float) -> float:
        return MARGIN_TOP + (hi - v) / (hi - lo) * plot_h

    title_id = f"chart-title-{status.slug}"
    desc_id = f"chart-desc-{status.slug}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" class="spc-chart">',
        f'<title id="{title_id}">{escape(status.name)}: SPC chart of monthly values</title>',
        f'<desc id="{desc_id}">{escape(spc.summary.explanation)}</desc>',
    ]
    for k in range(Y_TICKS + 1):
        v = lo + (hi - lo) * k / Y_TICKS
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y(v):.1f}" '
            f'y2="{y(v):.1f}" stroke="#dddddd" stroke-width="1"/>'
            f'<text x="{MARGIN_LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="{AXIS_COLOUR}">{escape(_fmt(v))}</text>'
        )
    for seg in spc.segments:
        seg_pts = range(seg.start, seg.end + 1)
        for value, colour, dash in (
            (seg.mean, MEAN_COLOUR, ""),
            (seg.upper, LIMIT_COLOUR, "6 4"),
            (seg.lower, LIMIT_COLOUR, "6 4"),
        ):
            parts.append(_polyline([(x(i), y(value)) for i in seg_pts], colour, dash))
    if status.target is not None:
        parts.append(
            _polyline(
                [(MARGIN_LEFT, y(status.target)), (WIDTH - MARGIN_RIGHT, y(status.target))],
                TARGET_COLOUR,
                "2 3",
            )
        )
    parts.append(_polyline([(x(p.index), y(p.value)) for p in pts], LIMIT_COLOUR))
    for p in pts:
        label = f"{p.label or p.index}: {_fmt(p.value)}, {p.point_type.value}"
        parts.append(
            f'<circle cx="{x(p.index):.1f}" cy="{y(p.value):.1f}" r="{POINT_RADIUS}" '
            f'fill="{POINT_COLOURS[p.point_type]}"><title>{escape(label)}</title></circle>'
        )
    label_every = max(1, len(pts) // 6)
    for p in pts:
        if p.index % label_every == 0 or p.index == len(pts) - 1:
            parts.append(
                f'<text x="{x(p.index):.1f}" y="{HEIGHT - MARGIN_BOTTOM + 18}" '
                f'text-anchor="middle" font-size="12" fill="{AXIS_COLOUR}">'
                f"{escape(p.label or str(p.index))}</text>"
            )
    parts.append(
        f'<text x="{MARGIN_LEFT}" y="{HEIGHT - 8}" font-size="12" fill="{AXIS_COLOUR}">'
        f"{escape('Month. Solid: mean. Dashed: process limits. Dotted: target.')}</text>"
    )
    parts.append(
        f'<text x="4" y="12" font-size="12" fill="{AXIS_COLOUR}">'
        f"{escape(f'{status.unit} per month')}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
