"""Charts as SVG (for pages) and PNG (for Word), drawn with matplotlib.

Charts use a colour-blind-safe palette, text kept as text in the SVG, and never colour alone
to carry meaning: every series is labelled and every figure has alt text and a data table.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure as MplFigure

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
