"""Charts as SVG (for pages) and PNG (for Word), drawn with matplotlib.

Charts use a colour-blind-safe palette, text kept as text in the SVG, and never colour alone
to carry meaning: every series is labelled and every figure has alt text and a data table.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure as MplFigure

from cspkit.report.formatting import fmt_rate
from cspkit.stats.spc import PointType, SpcResult

#: Okabe-Ito colour-blind-safe palette.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
INK = "#1b1b1b"
MUTED = "#505a5f"
PNG_DPI = 150
FIGURE_SIZE = (8.0, 3.6)
SVG_SALT = "cspkit"

_STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": INK,
    "ytick.color": INK,
    "svg.fonttype": "none",
    "svg.hashsalt": SVG_SALT,
}


def new_figure(size: tuple[float, float] = FIGURE_SIZE) -> MplFigure:
    """A blank figure in the report style."""
    with plt.rc_context(cast(Any, _STYLE)):
        fig = plt.figure(figsize=size)
    return fig


_PNG_WANTED: ContextVar[bool] = ContextVar("cspkit_png_wanted", default=True)


@contextlib.contextmanager
def without_png() -> Iterator[None]:
    """Within this block charts are drawn as SVG only (PNG is needed only for Word files)."""
    token = _PNG_WANTED.set(False)
    try:
        yield
    finally:
        _PNG_WANTED.reset(token)


def render(fig: MplFigure) -> tuple[str, bytes]:
    """SVG text and PNG bytes of a figure (empty bytes inside ``without_png``); the figure is
    closed afterwards."""
    with plt.rc_context(cast(Any, _STYLE)):
        svg_buffer = io.StringIO()
        fig.savefig(svg_buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
        png_buffer = io.BytesIO()
        if _PNG_WANTED.get():
            fig.savefig(png_buffer, format="png", dpi=PNG_DPI, bbox_inches="tight")
    plt.close(fig)
    svg = svg_buffer.getvalue()
    start = svg.find("<svg")
    return svg[start:], png_buffer.getvalue()


def style() -> dict[str, Any]:
    """The rc parameters charts are drawn with (use inside plt.rc_context)."""
    return dict(_STYLE)


XMR_FIGURE_SIZE = (8.0, 3.8)
TARGET_COLOUR = "#b91c1c"

MAX_UNTHINNED_TICKS = 18
"""Series longer than this get a month label every TICK_STEP months."""
TICK_STEP = 3
MARKER_SIZE = 6
Y_MARGIN = 0.12
"""Room above and below the data for the labels of special-cause runs."""
NOT_TESTED_LABEL = "Month (not tested: too few points)"


@dataclass(frozen=True)
class MarkerStyle:
    """How one point type is drawn: marker shape, colour and legend label."""

    marker: str
    colour: str
    label: str
    note: str  # the short text placed beside the first point of a special-cause run


MARKERS: dict[PointType, MarkerStyle] = {
    PointType.COMMON_CAUSE: MarkerStyle("o", MUTED, "Common cause", ""),
    PointType.CONCERN: MarkerStyle("D", PALETTE[1], "Special cause – concern", "concern"),
    PointType.IMPROVEMENT: MarkerStyle(
        "s", PALETTE[0], "Special cause – improvement", "improvement"
    ),
    PointType.NEITHER_HIGH: MarkerStyle("^", PALETTE[3], "Special cause – neither (high)", "high"),
    PointType.NEITHER_LOW: MarkerStyle("v", PALETTE[3], "Special cause – neither (low)", "low"),
}


def month_ticks(ax: Axes, labels: Sequence[str]) -> None:
    step = 1 if len(labels) <= MAX_UNTHINNED_TICKS else TICK_STEP
    ticks = list(range(len(labels) - 1, -1, -step))[::-1]
    ax.set_xticks(ticks, [labels[i] for i in ticks], fontsize=7)
    ax.set_xlim(-0.5, len(labels) - 0.5)


def end_label(ax: Axes, x: float, y: float, text: str, colour: str) -> None:
    ax.annotate(
        text,
        (x, y),
        xytext=(6, 0),
        textcoords="offset points",
        va="center",
        fontsize=7,
        color=colour,
        annotation_clip=False,
    )


def spc_chart(
    labels: Sequence[str],
    result: SpcResult,
    *,
    tested: bool = True,
    y_label: str,
    target: float | None = None,
    size: tuple[float, float] = XMR_FIGURE_SIZE,
    x_label: str = "Month",
) -> tuple[str, bytes]:
    """An XmR (SPC) chart in the style of "Making Data Count": the values marked by point
    type (special causes coloured by improvement or concern, with a key), the mean, process
    limits and near limits, and an optional target. Used by the report and the web pages.

    ``labels`` are the tick labels (one per point). When ``tested`` is false (fewer points
    than the SPC minimum) every point is drawn alike and the limits are provisional.
    """
    fig = new_figure(size)
    ax = fig.add_subplot()
    points = result.points
    xs = list(range(len(points)))
    ax.plot(xs, [p.value for p in points], color=MUTED, linewidth=1, zorder=2)
    lines = (
        ([p.upper for p in points], "-", 1.2, MUTED, "Process limits"),
        ([p.lower for p in points], "-", 1.2, MUTED, None),
        ([p.near_upper for p in points], "--", 0.8, MUTED, "Near limits (dashed)"),
        ([p.near_lower for p in points], "--", 0.8, MUTED, None),
        ([p.mean for p in points], "-", 1.4, INK, "Mean"),
    )
    for ys, dashes, width, colour, label in lines:
        ax.plot(
            xs,
            ys,
            linestyle=dashes,
            linewidth=width,
            color=colour,
            label=label,
            drawstyle="steps-mid",
            zorder=1,
        )
    last = xs[-1] + 0.5
    provisional = "" if tested else " (provisional)"
    end_label(ax, last, points[-1].upper, f"Upper limit {fmt_rate(points[-1].upper)}", MUTED)
    end_label(ax, last, points[-1].mean, f"Mean {fmt_rate(points[-1].mean)}", INK)
    end_label(
        ax, last, points[-1].lower, f"Lower limit {fmt_rate(points[-1].lower)}{provisional}", MUTED
    )
    kinds = [p.point_type if tested else PointType.COMMON_CAUSE for p in points]
    for kind in MARKERS:
        chosen = [i for i, k in enumerate(kinds) if k is kind]
        if not chosen:
            continue
        style = MARKERS[kind]
        label = style.label if tested else NOT_TESTED_LABEL
        ax.scatter(
            chosen,
            [points[i].value for i in chosen],
            marker=style.marker,
            s=MARKER_SIZE**2,
            color=style.colour,
            edgecolors=INK,
            linewidths=0.5,
            label=label,
            zorder=3,
            gid=f"points-{kind.name.lower()}",
        )
        for i in chosen:
            starts_run = i == 0 or kinds[i - 1] is not kind
            if style.note and starts_run:
                above = points[i].value >= points[i].mean
                ax.annotate(
                    style.note,
                    (i, points[i].value),
                    xytext=(0, 8 if above else -12),
                    textcoords="offset points",
                    ha="center",
                    fontsize=7,
                    color=INK,
                )
    if target is not None:
        ax.axhline(target, color=TARGET_COLOUR, linestyle=":", linewidth=1.4, label="Target")
        end_label(ax, last, target, f"Target {fmt_rate(target)}", TARGET_COLOUR)
    month_ticks(ax, labels)
    ax.margins(y=Y_MARGIN)
    ax.set_ylabel(y_label)
    ax.set_xlabel(x_label, fontsize=8)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=3, fontsize=7, frameon=False)
    return render(fig)
