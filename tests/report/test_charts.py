"""The one SPC chart of the report and the web pages: limits, mean, target, a key of point
types, every point drawn, and nothing clipped."""

from __future__ import annotations

import re

from cspkit.report.charts import spc_chart, without_png
from cspkit.stats.spc import xmr

VALUES = [50.0, 52, 49, 51, 50, 53, 48, 50, 52, 51, 80, 82, 85]
LABELS = [f"2024-{m:02d}" for m in range(1, 13)] + ["2025-01"]


def test_spc_chart_has_limits_mean_target_key_and_every_point() -> None:
    result = xmr(VALUES, labels=LABELS)
    svg, png = spc_chart(LABELS, result, y_label="Records per month", target=55)
    for text in (
        "Process limits",
        "Mean",
        "Target 55.0",
        "Special cause – concern",
        "Records per month",
        "2025-01",
    ):
        assert text in svg, text
    points = re.findall(r'<g id="points-[a-z_]+">(.*?)</g>', svg, flags=re.DOTALL)
    assert sum(group.count("<use") for group in points) == len(VALUES)
    assert png.startswith(b"\x89PNG")
    with without_png():
        assert spc_chart(LABELS, result, y_label="Records")[1] == b""


def test_untested_series_draws_provisional_limits_without_special_causes() -> None:
    result = xmr(VALUES[:8], labels=LABELS[:8])
    svg, _ = spc_chart(LABELS[:8], result, tested=False, y_label="Records")
    assert "(provisional)" in svg and "Special cause" not in svg
