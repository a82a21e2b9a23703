"""Charts of the trends section: XmR charts of monthly counts and rolling 12-month context.

The charts only draw results computed elsewhere (:func:`cspkit.stats.spc.xmr` and the
section's rolling totals). Point types are told apart by marker shape and a legend label as
well as colour, the lines are labelled at their right-hand end, and the near limits are
dashed, so nothing depends on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from cspkit.report.charts import PALETTE, end_label, month_ticks, new_figure, render, spc_chart
from cspkit.report.formatting import fmt_count
from cspkit.stats.spc import SpcResult

ROLLING_FIGURE_SIZE = (8.0, 3.0)


def xmr_chart(
    labels: Sequence[str], result: SpcResult, *, tested: bool, y_label: str
) -> tuple[str, bytes]:
    """An XmR chart of monthly records (drawn by :func:`cspkit.report.charts.spc_chart`)."""
    return spc_chart(labels, result, tested=tested, y_label=y_label)


def rolling_chart(
    labels: Sequence[str], totals: Sequence[int], *, y_label: str
) -> tuple[str, bytes]:
    """Rolling 12-month totals as a labelled line: context only, with no limits or rules."""
    fig = new_figure(ROLLING_FIGURE_SIZE)
    ax = fig.add_subplot()
    xs = list(range(len(totals)))
    ax.plot(xs, totals, color=PALETTE[0], marker="o", markersize=3, linewidth=1.4)
    end_label(
        ax, xs[-1] + 0.5, totals[-1], f"Rolling 12-month total {fmt_count(totals[-1])}", PALETTE[0]
    )
    month_ticks(ax, labels)
    ax.set_ylabel(y_label)
    return render(fig)
