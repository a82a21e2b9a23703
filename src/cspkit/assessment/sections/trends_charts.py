"""Charts of the trends section: XmR charts of monthly counts and rolling 12-month context.

The charts only draw results computed elsewhere (:func:`cspkit.stats.spc.xmr` and the
section's rolling totals). Point types are told apart by marker shape and a legend label as
well as colour, the lines are labelled at their right-hand end, and the near limits are
dashed, so nothing depends on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes

from cspkit.report.charts import INK, MUTED, PALETTE, new_figure, render
from cspkit.report.formatting import fmt_count, fmt_rate
from cspkit.stats.spc import PointType, SpcResult

XMR_FIGURE_SIZE = (8.0, 3.8)
ROLLING_FIGURE_SIZE = (8.0, 3.0)
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


def _month_ticks(ax: Axes, labels: Sequence[str]) -> None:
    step = 1 if len(labels) <= MAX_UNTHINNED_TICKS else TICK_STEP
    ticks = list(range(len(labels) - 1, -1, -step))[::-1]
    ax.set_xticks(ticks, [labels[i] for i in ticks], fontsize=7)
    ax.set_xlim(-0.5, len(labels) - 0.5)


def _end_label(ax: Axes, x: float, y: float, text: str, colour: str) -> None:
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


def xmr_chart(
    labels: Sequence[str], result: SpcResult, *, tested: bool, y_label: str
) -> tuple[str, bytes]:
    """An XmR chart: the monthly values marked by point type, mean, limits and near limits.

    ``labels`` are the tick labels (one per point). When ``tested`` is false (fewer points
    than the SPC minimum) every point is drawn alike and the limits are provisional.
    """
    fig = new_figure(XMR_FIGURE_SIZE)
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
    _end_label(ax, last, points[-1].upper, f"Upper limit {fmt_rate(points[-1].upper)}", MUTED)
    _end_label(ax, last, points[-1].mean, f"Mean {fmt_rate(points[-1].mean)}", INK)
    _end_label(
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
    _month_ticks(ax, labels)
    ax.margins(y=Y_MARGIN)
    ax.set_ylabel(y_label)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3, fontsize=7, frameon=False)
    return render(fig)


def rolling_chart(
    labels: Sequence[str], totals: Sequence[int], *, y_label: str
) -> tuple[str, bytes]:
    """Rolling 12-month totals as a labelled line: context only, with no limits or rules."""
    fig = new_figure(ROLLING_FIGURE_SIZE)
    ax = fig.add_subplot()
    xs = list(range(len(totals)))
    ax.plot(xs, totals, color=PALETTE[0], marker="o", markersize=3, linewidth=1.4)
    _end_label(
        ax, xs[-1] + 0.5, totals[-1], f"Rolling 12-month total {fmt_count(totals[-1])}", PALETTE[0]
    )
    _month_ticks(ax, labels)
    ax.set_ylabel(y_label)
    return render(fig)
